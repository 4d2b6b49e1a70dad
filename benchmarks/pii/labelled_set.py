"""A labelled PII set from real text: values of every type and near misses planted at sentence boundaries.

Each planted value comes inside a short sentence of its own, inserted where a sentence of the real text ends, and
its span in the new text is recorded with its label: a PII type of `corpus_assets.privacy.PII_TYPES` (to be
redacted) or a near-miss kind of `NEAR_MISS_KINDS` (to be kept). Values are generated with a seeded
`random.Random`, so a seed always builds the same set; they are realistic rather than known test numbers: phone
numbers libphonenumber calls valid, card numbers with real brand prefixes and a Luhn check digit, IBANs with
their country's length and computed check digits.
"""

from __future__ import annotations

import ipaddress
import random
import re
import string
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import phonenumbers

from corpus_assets.privacy import iban_valid, luhn_valid

Generator = Callable[[random.Random], str]

# --- values to redact ------------------------------------------------------------------------------------------

_FIRST_NAMES = ("anna", "james", "maria", "li", "oliver", "sophie", "lukas", "chloe", "omar", "priya", "jean")
_LAST_NAMES = ("smith", "mueller", "dubois", "garcia", "nguyen", "okafor", "rossi", "kowalski", "tanaka", "brown")
_DOMAINS = ("gmail.com", "outlook.com", "example.org", "mail.example.co.uk", "newsroom.example.com", "uni-hamburg.de",
            "staff.example.ac.uk", "orange.fr", "web.de", "company.example.io")


def _email(rng: random.Random) -> str:
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    local = rng.choice((f"{first}.{last}", f"{first}{rng.randint(1, 99)}", f"{first[0]}{last}",
                        f"{first}+{rng.choice(('news', 'shop', 'lists'))}", f"{first}_{last}", f"{last}.{first[0]}"))
    return f"{local}@{rng.choice(_DOMAINS)}"


_PHONE_TYPES = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)


def _phone_number(rng: random.Random, region: str) -> phonenumbers.PhoneNumber:
    """A valid number of `region`: its example number with the last six digits drawn at random."""
    example = phonenumbers.example_number_for_type(region, rng.choice(_PHONE_TYPES))
    significant = phonenumbers.national_significant_number(example)
    while True:
        digits = significant[:-6] + "".join(rng.choice(string.digits) for _ in range(6))
        number = phonenumbers.parse("+" + str(example.country_code) + digits)
        if phonenumbers.is_valid_number(number):
            return number


def _phone(rng: random.Random) -> str:
    number = _phone_number(rng, rng.choice(("US", "GB", "DE", "FR")))
    written = rng.choice((phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                          phonenumbers.PhoneNumberFormat.E164))
    text = phonenumbers.format_number(number, written)
    if number.country_code == 1 and written == phonenumbers.PhoneNumberFormat.NATIONAL:
        digits = phonenumbers.national_significant_number(number)
        # Americans also write 201-555-0123 and 201.555.0123.
        text = rng.choice((text, f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"{digits[:3]}.{digits[3:6]}.{digits[6:]}"))
    return text


def _ip_address(rng: random.Random) -> str:
    if rng.random() < 0.6:
        while True:
            address = ipaddress.IPv4Address(rng.getrandbits(32))
            if address.is_global:
                return str(address)
    # Global unicast as the regional registries hand it out (2a00::/12 RIPE, 2600::/12 ARIN), compressed or not.
    prefix = rng.choice((0x2A00, 0x2600, 0x2400))
    address = ipaddress.IPv6Address((prefix << 112) | rng.getrandbits(108))
    if rng.random() < 0.3:
        address = ipaddress.IPv6Address(int(address) & ~((1 << 64) - 1) | rng.getrandbits(16))  # a '::' in it
    return address.exploded if rng.random() < 0.2 else str(address)


def _luhn_completed(body: str) -> str:
    """`body` with the check digit that makes it pass Luhn."""
    return next(body + digit for digit in string.digits if luhn_valid(body + digit))


# Brand, first digits, length, printed grouping.
_CARD_BRANDS = (("visa", "4", 16, (4, 4, 4, 4)), ("mastercard", "5", 16, (4, 4, 4, 4)),
                ("mastercard 2-series", "22", 16, (4, 4, 4, 4)), ("amex", "37", 15, (4, 6, 5)),
                ("discover", "6011", 16, (4, 4, 4, 4)))


def _grouped(digits: str, grouping: tuple[int, ...], separator: str) -> str:
    groups, start = [], 0
    for size in grouping:
        groups.append(digits[start:start + size])
        start += size
    return separator.join(groups)


def _card_digits(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + ("1" if prefix == "5" else "") + "".join(rng.choice(string.digits) for _ in range(length))
    return _luhn_completed(body[:length - 1])


def _credit_card(rng: random.Random) -> str:
    _brand, prefix, length, grouping = rng.choice(_CARD_BRANDS)
    return _grouped(_card_digits(rng, prefix, length), grouping, rng.choice(("", " ", "-")))


# BBAN of a country as (length, characters): digits except where banks use letters (the UK's bank code, NL's).
_BBAN_SHAPES: dict[str, tuple[tuple[int, str], ...]] = {
    "DE": ((18, string.digits),), "FR": ((23, string.digits),), "ES": ((20, string.digits),),
    "IT": ((1, string.ascii_uppercase), (22, string.digits)), "AT": ((16, string.digits),),
    "GB": ((4, string.ascii_uppercase), (14, string.digits)), "NL": ((4, string.ascii_uppercase), (10, string.digits)),
    "BE": ((12, string.digits),), "CH": ((17, string.digits),), "PL": ((24, string.digits),),
}


def _iban_check_digits(country: str, bban: str) -> str:
    numeric = "".join(str(int(character, 36)) for character in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


def _iban_parts(rng: random.Random) -> tuple[str, str]:
    country = rng.choice(sorted(_BBAN_SHAPES))
    bban = "".join(rng.choice(characters) for size, characters in _BBAN_SHAPES[country] for _ in range(size))
    return country, bban


def _print_iban(compact: str, rng: random.Random) -> str:
    """Compact or in the print form of groups of four."""
    return compact if rng.random() < 0.4 else " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _iban(rng: random.Random) -> str:
    country, bban = _iban_parts(rng)
    compact = country + _iban_check_digits(country, bban) + bban
    assert iban_valid(compact), compact
    return _print_iban(compact, rng)


# --- near misses to keep ---------------------------------------------------------------------------------------


def _version(rng: random.Random) -> str:
    major, minor, patch = rng.randint(0, 20), rng.randint(0, 40), rng.randint(0, 30)
    return rng.choice((f"v{major}.{minor}.{patch}", f"{major}.{minor}.{patch}",
                       f"version {major}.{minor}.{patch}.{rng.randint(1, 9999)}"))


def _date(rng: random.Random) -> str:
    year, month, day = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice((f"{year}-{month:02d}-{day:02d}", f"{day:02d}/{month:02d}/{year}", f"{day:02d}.{month:02d}.{year}",
                       f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"))


def _isbn(rng: random.Random) -> str:
    if rng.random() < 0.5:
        body = "978" + "".join(rng.choice(string.digits) for _ in range(9))
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
        digits = body + str(check)
        return f"ISBN {digits[:3]}-{digits[3]}-{digits[4:6]}-{digits[6:12]}-{digits[12]}"
    body = "".join(rng.choice(string.digits) for _ in range(9))
    check = (11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11) % 11
    digits = body + ("X" if check == 10 else str(check))
    return f"ISBN {digits[0]}-{digits[1:4]}-{digits[4:9]}-{digits[9]}"


def _coordinates(rng: random.Random) -> str:
    return f"{rng.uniform(-90, 90):.4f}, {rng.uniform(-180, 180):.4f}"


def _luhn_failing_number(rng: random.Random) -> str:
    _brand, prefix, length, grouping = rng.choice(_CARD_BRANDS)
    valid = _card_digits(rng, prefix, length)
    digits = valid[:-1] + str((int(valid[-1]) + rng.randint(1, 9)) % 10)
    return _grouped(digits, grouping, rng.choice(("", " ", "-")))


def _iban_wrong_check(rng: random.Random) -> str:
    country, bban = _iban_parts(rng)
    right = int(_iban_check_digits(country, bban))
    wrong = (right + rng.randint(1, 96)) % 97 or 97  # mod 97 makes every other value of two digits wrong
    return _print_iban(f"{country}{wrong:02d}{bban}", rng)


def _price(rng: random.Random) -> str:
    return rng.choice((f"${rng.randint(1000, 9_999_999):,}.{rng.randint(0, 99):02d}",
                       f"€{rng.randint(100, 99_999)},{rng.randint(0, 99):02d}"))


def _unix_time(rng: random.Random) -> str:
    return str(rng.randint(1_000_000_000, 1_900_000_000) * rng.choice((1, 1000)))


def _identifier(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return str(uuid.UUID(int=rng.getrandbits(128)))
    return f"{rng.getrandbits(160):040x}"


def _non_public_ip(rng: random.Random) -> str:
    return rng.choice((f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}", f"10.{rng.randint(0, 255)}.0.1",
                       "127.0.0.1", f"fe80::{rng.getrandbits(16):x}"))


def _section_number(rng: random.Random) -> str:
    return ".".join(str(rng.randint(1, 30)) for _ in range(4))


def _integer_constant(rng: random.Random) -> str:
    return rng.choice(("2147483647", "4294967295", str(rng.randint(2_000_000_000, 9_999_999_999))))


GENERATORS: dict[str, Generator] = {
    "email": _email, "phone": _phone, "ip_address": _ip_address, "credit_card": _credit_card, "iban": _iban,
}
NEAR_MISS_GENERATORS: dict[str, Generator] = {
    "version": _version, "date": _date, "isbn": _isbn, "coordinates": _coordinates,
    "luhn_failing_number": _luhn_failing_number, "iban_wrong_check": _iban_wrong_check, "price": _price,
    "unix_time": _unix_time, "uuid_or_hash": _identifier, "non_public_ip": _non_public_ip,
    # Found redacted in the Debian handbook and git's documentation (make benchmark-pipeline's corpus).
    "section_number": _section_number, "integer_constant": _integer_constant,
}
NEAR_MISS_KINDS = tuple(NEAR_MISS_GENERATORS)

# The sentence each value is planted in, per label; '{}' is the value.
_SENTENCES: dict[str, tuple[str, ...]] = {
    "email": ("Readers can reach the author at {}.", "Send tips to {} before Friday.", "Contact: {}"),
    "phone": ("For tickets, call {}.", "The hotline, {}, is open until 8 pm.", "Tel. {}"),
    "ip_address": ("The attack came from {}.", "Requests from {} were blocked on port 443.", "Server: {}"),
    "credit_card": ("The fraudster used card number {}.", "Card {} was charged twice.", "Paid with {}."),
    "iban": ("Donations go to {}.", "Please transfer the fee to IBAN {} by Monday.", "Account: {}"),
    "version": ("The update ships as {}.", "Users on {} should upgrade.", "Changelog for {}."),
    "date": ("The report is dated {}.", "It was filed on {}.", "Updated {}"),
    "isbn": ("The book is listed as {}.", "Reference: {}."),
    "coordinates": ("The wreck lies at {}.", "GPS: {}"),
    "luhn_failing_number": ("Your order number is {}.", "Tracking: {}"),
    "iban_wrong_check": ("The reference reads {}.", "Ref. {}"),
    "price": ("The house sold for {}.", "Total: {}"),
    "unix_time": ("The log entry is stamped {}.", "ts={}"),
    "uuid_or_hash": ("The commit is {}.", "Request id {}."),
    "non_public_ip": ("Point your browser at {}.", "The router answers on {}."),
    "section_number": ("{}. Configuring the network", "See section {} for the details.", "Chapter {} covers it."),
    "integer_constant": ("The special depth {} means unlimited.", "The counter wraps at {}."),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \n]+(?=\S)|\n+")


@dataclass(frozen=True)
class Planted:
    """One planted value: its span in the labelled text, its label, and whether it is PII to redact."""

    start: int
    end: int
    label: str
    value: str
    is_pii: bool


@dataclass(frozen=True)
class LabelledPage:
    """A real page's text with values planted in it; `original_spans` are the stretches of the original text."""

    page_id: str
    text: str
    planted: tuple[Planted, ...]
    original_spans: tuple[tuple[int, int], ...]


def _plant(text: str, labels: list[str], rng: random.Random) -> tuple[str, list[Planted], list[tuple[int, int]]]:
    """`text` with a sentence per label inserted at sentence ends (or at its end), and what was planted where."""
    boundaries = [match.end() for match in _SENTENCE_END.finditer(text)] or [len(text)]
    insertions = sorted((rng.choice(boundaries), label) for label in labels)
    pieces: list[str] = []
    planted: list[Planted] = []
    original_spans: list[tuple[int, int]] = []
    length = copied_up_to = 0
    for position, label in insertions:
        original_spans.append((length, length + position - copied_up_to))
        pieces.append(text[copied_up_to:position])
        length += position - copied_up_to
        copied_up_to = position
        generate = GENERATORS.get(label) or NEAR_MISS_GENERATORS[label]
        value = generate(rng)
        before, after = rng.choice(_SENTENCES[label]).split("{}")
        # Its own sentence: a space before unless a line starts there, and a space or newline after.
        sentence = ("" if not pieces[-1] or pieces[-1].endswith(("\n", " ")) else " ") + before
        planted.append(Planted(length + len(sentence), length + len(sentence) + len(value), label, value,
                               label in GENERATORS))
        # A sentence without a full stop ends its line: text going on with a digit would continue the value.
        sentence += value + after + (rng.choice((" ", "\n")) if after.endswith(".") else "\n")
        pieces.append(sentence)
        length += len(sentence)
    original_spans.append((length, length + len(text) - copied_up_to))
    pieces.append(text[copied_up_to:])
    return "".join(pieces), planted, original_spans


def build_labelled_set(texts: Mapping[str, str], seed: int = 20261202, pii_per_type: int = 1,
                       near_misses_per_kind: int = 1) -> list[LabelledPage]:
    """Plant `pii_per_type` values of every PII type and `near_misses_per_kind` near misses of every kind in each
    text of `texts` (page id -> text), in sorted page order, reproducibly for a given `seed`."""
    rng = random.Random(seed)
    pages = []
    for page_id in sorted(texts):
        labels = [label for label in GENERATORS for _ in range(pii_per_type)]
        labels += [kind for kind in NEAR_MISS_GENERATORS for _ in range(near_misses_per_kind)]
        text, planted, original_spans = _plant(texts[page_id], labels, rng)
        pages.append(LabelledPage(page_id, text, tuple(planted), tuple(original_spans)))
    return pages
