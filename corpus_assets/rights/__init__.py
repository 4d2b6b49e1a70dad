"""Per-page rights signals: text-and-data-mining opt-outs (robots.txt groups for AI crawlers, X-Robots-Tag and
<meta> `noai`, W3C TDMRep reservations), noindex, and the licence a page declares, as SPDX identifiers.

Plain Python, no Dagster and no DuckDB: build a `HostRights` once per host from its robots.txt and tdmrep.json,
then `assess_page_rights` every page of the host under a `RightsConfig`.
"""

from corpus_assets.rights.config import AI_USER_AGENTS, Policy, RightsConfig
from corpus_assets.rights.licences import UNKNOWN_LICENCE, Licence, find_licence, spdx_for_text, spdx_for_url
from corpus_assets.rights.signals import (
    RIGHTS_DROP_REASONS,
    HostRights,
    PageRights,
    RightsSignal,
    assess_page_rights,
)
from corpus_assets.rights.tdmrep import TdmRep, TdmRepError, TdmRepRule, parse_tdmrep

__all__ = [
    "AI_USER_AGENTS",
    "RIGHTS_DROP_REASONS",
    "UNKNOWN_LICENCE",
    "HostRights",
    "Licence",
    "PageRights",
    "Policy",
    "RightsConfig",
    "RightsSignal",
    "TdmRep",
    "TdmRepError",
    "TdmRepRule",
    "assess_page_rights",
    "find_licence",
    "parse_tdmrep",
    "spdx_for_text",
    "spdx_for_url",
]
