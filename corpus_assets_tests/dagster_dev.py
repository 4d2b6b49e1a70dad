"""The real `dagster dev` (webserver and daemon) on a free port, with its own DAGSTER_HOME, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from corpus_assets.dagster_home import prepare_home
from corpus_assets_tests.paths import REPO_ROOT

STARTUP_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dagster_command(home: Path, config_path: Path, *args: str, **popen: Any) -> subprocess.Popen:
    """`python -m dagster <args>` against the code location, as a user runs it from a shell, in its own process
    group so a test can kill it and everything it started."""
    env = {**os.environ, "DAGSTER_HOME": str(home), "CORPUS_CONFIG": str(config_path)}
    return subprocess.Popen([sys.executable, "-m", "dagster", *args], cwd=home, env=env, start_new_session=True,
                            **popen)


class DagsterDev:
    """`dagster dev -w workspace.yaml` as a user starts it; stopped with its whole process group."""

    def __init__(self, home: Path, config_path: Path):
        self.home = home
        self.config_path = config_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = home / "dagster-dev.log"

    def __enter__(self) -> DagsterDev:
        prepare_home(self.home)
        env = {**os.environ, "DAGSTER_HOME": str(self.home), "CORPUS_CONFIG": str(self.config_path)}
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            ["uv", "run", "--frozen", "dagster", "dev", "-w", "workspace.yaml", "-h", "127.0.0.1",
             "-p", str(self.port)],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            self._wait_until_loaded()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_loaded(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dagster dev exited with {self.process.returncode}:\n{self.log()}")
            try:
                status = self.graphql("{ workspaceOrError { ... on Workspace { locationEntries { "
                                      "locationOrLoadError { __typename } } } } }")
            except requests.RequestException:
                time.sleep(0.5)
                continue
            entries = status["workspaceOrError"]["locationEntries"]
            if entries and entries[0]["locationOrLoadError"] and \
                    entries[0]["locationOrLoadError"]["__typename"] == "RepositoryLocation":
                return
            if entries and entries[0]["locationOrLoadError"] and \
                    entries[0]["locationOrLoadError"]["__typename"] == "PythonError":
                raise RuntimeError(f"the code location failed to load:\n{self.log()}")
            time.sleep(0.5)
        raise TimeoutError(f"dagster dev did not load the code location in {STARTUP_SECONDS}s:\n{self.log()}")

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = requests.post(f"{self.url}/graphql", json={"query": query, "variables": variables or {}},
                                 timeout=30)
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""

    def __exit__(self, *exc_info) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # dagster dev stops its webserver, daemon and code server on SIGTERM; anything left is killed.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # stragglers of the group (code server, run workers)
        except ProcessLookupError:
            pass
