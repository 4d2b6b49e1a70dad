"""Personal data in a page's text: e-mail addresses, phone numbers, IP addresses, payment card numbers and IBANs,
found with checks the shape alone cannot fake and replaced by a placeholder per type.

`redact_pii(text, config)` returns the redacted text and how many values of each type it replaced. The
`filtered_text` gate re-scans redacted text by a route of its own (sql/filtered_text/audit.sql).
"""

from corpus_assets.privacy.config import PII_TYPES, PiiType, Placeholders, PrivacyConfig
from corpus_assets.privacy.pii import (
    IBAN_LENGTHS,
    PiiRedaction,
    find_pii,
    iban_valid,
    luhn_valid,
    redact_pii,
)

__all__ = [
    "IBAN_LENGTHS",
    "PII_TYPES",
    "PiiRedaction",
    "PiiType",
    "Placeholders",
    "PrivacyConfig",
    "find_pii",
    "iban_valid",
    "luhn_valid",
    "redact_pii",
]
