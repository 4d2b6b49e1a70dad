"""What a page's rights signals do to it: each kind of opt-out either drops the page or is only recorded.

Signals are found and recorded whatever the policies say, so the warehouse can tell what a stricter (or laxer)
policy would have dropped without a new crawl.
"""

from __future__ import annotations

from typing import Literal

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from pydantic import BaseModel, ConfigDict, Field, field_validator

Policy = Literal["drop", "record"]

# The crawlers that train (or feed) generative models and that sites name to opt out of that use.
AI_USER_AGENTS = (
    "GPTBot",
    "CCBot",
    "Google-Extended",
    "ClaudeBot",
    "anthropic-ai",
    "Applebot-Extended",
    "meta-externalagent",
    "Bytespider",
)


class RightsConfig(BaseModel):
    """Which rights signals drop a page, and which licences a page must carry (if any)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ai_user_agents: tuple[str, ...] = Field(
        default=AI_USER_AGENTS,
        description="AI crawlers' product tokens: a robots.txt group, an X-Robots-Tag prefix or a <meta name> "
        "naming one of them (case-insensitively) speaks to AI training.",
    )
    robots_ai_agents: Policy = Field(
        default="drop",
        description="A robots.txt group naming one of `ai_user_agents` that disallows the page.",
    )
    robots_meta_noai: Policy = Field(
        default="drop",
        description="`noai` in an X-Robots-Tag header or a <meta name=robots> (or name=<AI agent>); `noimageai` is "
        "recorded but never drops a text page.",
    )
    tdm_reservation: Policy = Field(
        default="drop",
        description="W3C TDMRep `tdm-reservation: 1` in effect for the page (HTML meta over HTTP header over "
        "/.well-known/tdmrep.json, as the TDMRep final report orders them).",
    )
    noindex: Policy = Field(
        default="record",
        description="`noindex` (or `none`) in an X-Robots-Tag header or <meta name=robots>: it asks search engines "
        "not to list the page, not to keep it out of training, so it is only recorded by default.",
    )
    licence_allow_list: tuple[str, ...] | None = Field(
        default=None,
        description="SPDX identifiers (e.g. CC-BY-4.0, CC0-1.0); when set, a page whose licence is not one of "
        "them, or that declares none, is dropped. A versioned GNU licence is its bare id (GPL-3.0, GFDL-1.3): a "
        "link does not say 'only' or 'or later'.",
    )

    @field_validator("ai_user_agents")
    @classmethod
    def _agents_are_tokens(cls, agents: tuple[str, ...]) -> tuple[str, ...]:
        """Agent names are product tokens: no blanks, no colon (which would split an X-Robots-Tag prefix)."""
        for agent in agents:
            if not agent.strip() or any(c.isspace() or c == ":" for c in agent):
                raise ValueError(f"{agent!r} is not a user-agent product token")
        return agents

    @field_validator("licence_allow_list")
    @classmethod
    def _allow_list_is_spdx(cls, licences: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """SPDX ids in their canonical case, so `cc-by-4.0` in a config matches the `CC-BY-4.0` a page yields."""
        if licences is None:
            return None
        canonical = []
        for licence in licences:
            try:
                canonical.append(canonicalize_license_expression(licence))
            except InvalidLicenseExpression as error:
                raise ValueError(f"{licence!r} is not an SPDX licence identifier: {error}") from None
        return tuple(canonical)
