"""Where Dagster records the runs of a config: its DAGSTER_HOME.

Unless the user sets `DAGSTER_HOME`, it is the folder `dagster/` beside the config's warehouse, so that two configs
(the default crawl and an offline trial, say) never share a run history: a failed date of one does not turn the
assets of the other red in the UI. The home holds a copy of the repo's `dagster.yaml` (the instance settings: the
warehouse pool, the run queue, retries, monitoring), refreshed whenever the repo's copy changes.
"""

from __future__ import annotations

import os
from pathlib import Path

from corpus_assets.config import CorpusConfig

INSTANCE_SETTINGS = Path(__file__).resolve().parents[1] / "dagster.yaml"
HOME_ENV_VAR = "DAGSTER_HOME"


def default_home(config: CorpusConfig) -> Path:
    """`dagster/` beside the config's warehouse."""
    return config.warehouse.parent / "dagster"


def prepare_home(home: Path) -> Path:
    """A Dagster home holding the repo's instance settings (storage defaults to folders inside the home)."""
    home.mkdir(parents=True, exist_ok=True)
    settings = INSTANCE_SETTINGS.read_text(encoding="utf-8")
    target = home / "dagster.yaml"
    if not target.is_file() or target.read_text(encoding="utf-8") != settings:
        target.write_text(settings, encoding="utf-8")
    return home


def resolve_home(config: CorpusConfig) -> Path:
    """`DAGSTER_HOME` as the user set it, or the config's own home (prepared); also set in this process's
    environment, so that Dagster and anything it starts use it."""
    if os.environ.get(HOME_ENV_VAR):
        return Path(os.environ[HOME_ENV_VAR])
    home = prepare_home(default_home(config))
    os.environ[HOME_ENV_VAR] = str(home)
    return home
