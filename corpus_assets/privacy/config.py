"""What the PII redactor looks for and what it writes in place of each value it finds."""

from __future__ import annotations

from typing import Literal

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, field_validator

PiiType = Literal["email", "phone", "ip_address", "credit_card", "iban"]
PII_TYPES: tuple[PiiType, ...] = ("email", "phone", "ip_address", "credit_card", "iban")


def _placeholder(default: str, what: str):
    """A placeholder field: the text written in place of each value of one type."""
    return Field(default=default, min_length=1, description=f"Written in place of each {what}.")


class Placeholders(BaseModel):
    """The text that replaces a redacted value, per type. No digit and no '@', so redacted text cannot look like
    the value again to the redactor or to the gate's regular expressions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    email: str = _placeholder("<EMAIL>", "e-mail address")
    phone: str = _placeholder("<PHONE>", "phone number")
    ip_address: str = _placeholder("<IP_ADDRESS>", "IPv4 or IPv6 address")
    credit_card: str = _placeholder("<CREDIT_CARD>", "payment card number")
    iban: str = _placeholder("<IBAN>", "IBAN")

    @field_validator("*")
    @classmethod
    def _cannot_look_like_a_value(cls, placeholder: str) -> str:
        if "@" in placeholder or any(character.isdigit() for character in placeholder):
            raise ValueError(f"a placeholder may hold no digit and no '@': {placeholder!r}")
        return placeholder


class PrivacyConfig(BaseModel):
    """Personal data the redactor replaces with placeholders in a page's text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    types: tuple[PiiType, ...] = Field(
        default=PII_TYPES, description="The types redacted; a type left out is kept as written."
    )
    phone_regions: tuple[str, ...] = Field(
        default=("US", "GB", "DE", "FR"),
        description="Regions (ISO 3166 alpha-2) whose national formats are phone numbers; a number written "
        "in international '+' form is found whatever its region.",
    )
    placeholders: Placeholders = Field(
        default_factory=Placeholders, description="The text written in place of a value, per type."
    )
    redact_non_public_ips: bool = Field(
        default=False,
        description="Also redact addresses that are not globally routable (loopback, private, link-local, "
        "documentation ranges): they identify no one, and technical pages are full of them.",
    )

    @field_validator("phone_regions")
    @classmethod
    def _known_regions(cls, regions: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(regions) - phonenumbers.SUPPORTED_REGIONS)
        if unknown:
            raise ValueError(f"regions libphonenumber does not know: {unknown}")
        return regions
