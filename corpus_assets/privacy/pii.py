"""Find personal data in a page's text and replace each value with its type's placeholder.

Each type has a finder that proposes spans with a cheap regular expression and keeps only those that pass a
check the shape alone cannot fake: e-mail addresses need a domain with a real-looking top-level label, phone
numbers are parsed by libphonenumber (`PhoneNumberMatcher` at `STRICT_GROUPING`, so digits must be grouped as the
region writes them, which turns away ISBNs and dates), IP addresses are parsed by `ipaddress`, card numbers pass
Luhn and start like a payment card, IBANs have their country's length and pass mod-97. A finder runs only when a
prefilter says the page can hold its type (an '@', a run of seven digits, ...), since most pages hold none.

On the AEB news texts (4.8 kB on average) this runs at about 1,500 pages/s on one core, 6-7 MB/s, and as fast per
byte on 50 kB pages. libphonenumber dominates where it runs: a 55 kB results table of figures takes about 0.6 s
(the US pass, whose numbers have no trunk prefix to rule runs out), a page of 2,500 phone numbers about 2 s.

IP addresses that are not globally routable (loopback, private, link-local, documentation ranges; for IPv6
anything outside 2000::/3) are kept by default: they identify no one, and technical pages quote them constantly
(`127.0.0.1`, `192.168.1.1`). `PrivacyConfig.redact_non_public_ips` redacts them too.

Spans of different types may overlap (a phone matcher sees digits inside an IBAN); the first type in
`_PRIORITY` wins, as its check is the stricter. Counts say how many values of each type were replaced, never
which.

The gate re-scans redacted text without trusting this module: its own RE2 patterns and Luhn sum are in
sql/filtered_text/audit.sql.
"""

from __future__ import annotations

import bisect
import functools
import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers

from corpus_assets.privacy.config import PII_TYPES, PiiType, PrivacyConfig


@dataclass(frozen=True)
class PiiRedaction:
    """A page's text with personal data replaced, and how many values of each type were replaced."""

    text: str
    counts: dict[str, int]


def luhn_valid(digits: str) -> bool:
    """Whether `digits` (digits only) passes the Luhn check that every payment card number passes."""
    if not digits.isdigit():
        return False
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = ord(character) - 48
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


# Digits right after one of these words are a version ('version 1.2.3.4', 'build 10.0.19041.1') or a book's number.
_LABEL_BEFORE = re.compile(
    r"(?:versions?(?:\s+(?:prior\s+to|before|after|since|from|up\s+to))?|releases?|build|v\.?|ver\.?|"
    r"isbn(?:-1[03])?:?|issn:?)\s*$",
    re.IGNORECASE,
)
# A token with a digit ending, after one space, dot, slash or dash, just before a number, or a digit (or a letter
# glued on by '-' or '/') just after it: the number is a piece of something longer ('0.28.29.9179',
# '4971 7539 5412 7223', the ISBN '0-291-91411-X').
_CODE_BEFORE = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9]*[ ./-]$")
_CODE_AFTER = re.compile(r"[ ./-]?\d|[-/][A-Za-z]")


def _is_version(text: str, start: int) -> bool:
    """Whether the number at `start` follows a word that makes it a version or a book number."""
    return _LABEL_BEFORE.search(text, max(0, start - 24), start) is not None


def _is_embedded(text: str, start: int, end: int) -> bool:
    """Whether the number at `text[start:end]` is a version or a piece of a longer number or code."""
    return (_is_version(text, start) or _CODE_BEFORE.search(text, max(0, start - 40), start) is not None
            or _CODE_AFTER.match(text, end) is not None)


# --- e-mail ----------------------------------------------------------------------------------------------------

# The local part is read backwards from each '@' and the domain forwards from it, so a long run of letters with no
# '@' costs nothing (a single regular expression would retry it from every position).
_EMAIL_LOCAL_TAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}$")
_EMAIL_DOMAIN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}([A-Za-z]{2,63})(?![A-Za-z0-9-])")
# 'icon@2x.png' is an image at twice the resolution, not an address: none of these is a top-level domain.
_FILE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "pdf", "js", "css"})


def _email_spans(text: str, _config: PrivacyConfig) -> Iterator[tuple[int, int]]:
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL_TAIL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local and domain and domain.group(1).lower() not in _FILE_EXTENSIONS:
            start = local.start()
            while start < at and text[start] in ".+-":  # a local part starts with a letter, digit, '_' or '%'
                start += 1
            if start < at and text[at - 1] != ".":
                yield start, domain.end()
        at = text.find("@", at + 1)


# --- phone -----------------------------------------------------------------------------------------------------

# Seven digits with at most two separators between neighbours: no phone number of any region is shorter, so a
# page without such a run skips libphonenumber, which is by far the slowest finder.
_PHONE_MIN_DIGITS = 7
_PHONE_CANDIDATE = re.compile(r"\d(?:[ \t().\-/]{0,2}\d){%d,}" % (_PHONE_MIN_DIGITS - 1))
# A date alone is never a phone number (libphonenumber refuses it too), and news pages are full of them.
_DATE = re.compile(r"\d{4}([-/.])\d{1,2}\1\d{1,2}|\d{1,2}([-/.])\d{1,2}\2\d{2,4}")
# One number with a decimal point or comma: a measurement, never a phone number written with one separator.
_DECIMAL = re.compile(r"\d+[.,]\d+")
# libphonenumber judges a number by the few characters around it and reads an extension ('ext. 1234') after it.
_PHONE_CONTEXT = 20
# The region of the matcher's pass when no region is configured: it then finds '+' numbers only.
_NO_REGION = "ZZ"


@functools.cache
def _national_prefix(region: str) -> str | None:
    """The trunk prefix every national number of `region` is written with ('0' in Britain, Germany, France), or
    None where numbers are written without one (the US's '1' is dialled, not written)."""
    prefix = phonenumbers.ndd_prefix_for_region(region, strip_non_digits=True)
    example = phonenumbers.example_number(region)
    if not prefix or example is None:
        return None
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    return prefix if re.sub(r"\D", "", national).startswith(prefix) else None


@functools.cache
def _shortest_national_number(region: str) -> int:
    """Digits of the shortest number of `region` that can be dialled from anywhere in it (10 in the US)."""
    return min(phonenumbers.PhoneMetadata.metadata_for_region(region).general_desc.possible_length)


def _may_be_number_of(text: str, candidate: re.Match, region: str) -> bool:
    """A cheap test that a candidate run of digits can hold a number of `region` as `_is_phone_shaped` wants it:
    after a '+', with a group starting with the region's trunk prefix, or long enough for the region. It spares
    libphonenumber the tables and lists of figures news pages hold."""
    if candidate.start() > 0 and text[candidate.start() - 1] == "+":
        return True
    if region == _NO_REGION:
        return False
    national_prefix = _national_prefix(region)
    if national_prefix is not None:
        return re.search(rf"(?<!\d){national_prefix}", candidate.group()) is not None
    return sum(character.isdigit() for character in candidate.group()) >= _shortest_national_number(region)


def _phone_windows(text: str, candidates: list[re.Match]) -> Iterator[tuple[int, int]]:
    """Stretches of `text` around `candidates`, merged, cut at whitespace so no number is cut in two."""
    window_start = window_end = -1
    for candidate in candidates:
        start = max(0, candidate.start() - _PHONE_CONTEXT)
        end = min(len(text), candidate.end() + _PHONE_CONTEXT)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        if start <= window_end:
            window_end = max(window_end, end)
            continue
        if window_end >= 0:
            yield window_start, window_end
        window_start, window_end = start, end
    if window_end >= 0:
        yield window_start, window_end


def _is_phone_shaped(written: str, region: str) -> bool:
    """Whether a number libphonenumber accepts is written as people write one: seven digits or more, in '+' form
    or with the region's trunk prefix, and twelve digits or more only after '+' or a 0. Germany's numbers vary in
    length, so its metadata alone takes a four-digit tail ('-51.1686'), a sixteen-digit order number or a
    timestamp in milliseconds for a number (and the US's a millisecond timestamp starting with 1)."""
    digit_count = sum(character.isdigit() for character in written)
    if digit_count < _PHONE_MIN_DIGITS:
        return False
    written = written.lstrip("(")
    if written.startswith("+"):
        return True
    if _DECIMAL.fullmatch(written):
        # 0.406040288214 starts with Britain's trunk prefix and libphonenumber takes it; scientific and numeric
        # documentation prints thousands of such fractions (1,279 taken for numbers in 3,501 pages before this).
        return False
    national_prefix = _national_prefix(region)
    if national_prefix is not None and not written.startswith(national_prefix):
        return False
    if national_prefix is None and written.isdigit():
        # Where numbers are written without a trunk prefix (the US), a bare run of digits is far more often a
        # number of something else (2147483647, a count, an id) than a phone number, which is written in groups.
        return False
    return digit_count < 12 or written.startswith("0")


def _region_phone_spans(text: str, start: int, end: int, region: str) -> Iterator[tuple[int, int]]:
    """Phone numbers of `region` (or in '+' form) in `text[start:end]`."""
    for match in phonenumbers.PhoneNumberMatcher(text[start:end], region, leniency=phonenumbers.Leniency.STRICT_GROUPING):
        sentence_end = match.raw_string.find(". ")
        if sentence_end != -1:
            # libphonenumber reads on across a full stop ('call 030 898368. 30 people'): the number, if any, is
            # before it, so look again there.
            yield from _region_phone_spans(text, start, start + match.start + sentence_end, region)
            continue
        match_start, match_end = start + match.start, start + match.end
        if _is_phone_shaped(match.raw_string, region) and not _is_embedded(text, match_start, match_end):
            yield match_start, match_end


def _phone_spans(text: str, config: PrivacyConfig) -> Iterator[tuple[int, int]]:
    candidates = [candidate for candidate in _PHONE_CANDIDATE.finditer(text) if not _DATE.fullmatch(candidate.group())]
    for region in config.phone_regions or (_NO_REGION,):
        region_candidates = [candidate for candidate in candidates if _may_be_number_of(text, candidate, region)]
        for window_start, window_end in _phone_windows(text, region_candidates):
            yield from _region_phone_spans(text, window_start, window_end, region)


# --- IP address ------------------------------------------------------------------------------------------------

# Not inside a longer dotted number (1.2.3.4.5) or a word (v1.2.3.4); a port or path may follow.
_IPV4_CANDIDATE = re.compile(r"(?<![\w.-])(?:\d{1,3}\.){3}\d{1,3}(?![\w-]|\.\d)")
# Hex groups and colons, optionally ending in a dotted quad (::ffff:1.2.3.4); `ipaddress` decides.
_IPV6_CANDIDATE = re.compile(
    r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?![\w:]|\.\d)"
)
_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")


def _is_redacted_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address, config: PrivacyConfig) -> bool:
    if config.redact_non_public_ips:
        return True
    # Python calls some IPv6 addresses global that no one can hold (a::b); only 2000::/3 is ever allocated.
    return address.is_global and (address.version == 4 or address in _GLOBAL_UNICAST)


# A section number ('12.2.2.1. Installing', 'see section 4.3.2.1') is a dotted quad too. Documentation is full of
# them (138 taken for addresses in 40 pages of the Debian handbook before this rule): small parts, and a heading's
# place (the start of a line, where extraction puts a heading, or a sentence of its own: '... 2020. 12.2.1. Setup')
# or a word naming a section before it.
# A requirement pins a package's version with an operator: novas==3.1.1.3.
_PINNED_VERSION = ("==", ">=", "<=", "~=", "!=")
_SECTION_PART_MAX = 99  # PostgreSQL's manual reaches chapter 55
_SECTION_WORD_BEFORE = re.compile(
    r"(?:section|chapter|part|see|§|abschnitt|kapitel|secci[oó]n|se[cç][aã]o|cap[ií]tulo|chapitre|sezione|"
    r"sec[țt]iune|bagian|rozdzia[lł]|раздел|глава|hoofdstuk|afsnit|avsnitt)s?\s*$",
    re.IGNORECASE,
)
# A cross-reference as DocBook prints it in every language: the number, then the section's title in quotes.
_SECTION_TITLE_AFTER = re.compile(r",?\s*[“„«\"]")


def _is_section_number(text: str, candidate: re.Match) -> bool:
    if any(int(part) > _SECTION_PART_MAX for part in candidate.group().split(".")):
        return False
    before = text[max(0, candidate.start() - 20):candidate.start()]
    line_start = not before.strip() or before.rstrip(" \t").endswith("\n")
    heading = before.rstrip(" \t").endswith((".", "!", "?")) and text.startswith(".", candidate.end())
    return (line_start or heading or bool(_SECTION_WORD_BEFORE.search(before))
            or bool(_SECTION_TITLE_AFTER.match(text, candidate.end())))


def _ip_spans(text: str, config: PrivacyConfig) -> Iterator[tuple[int, int]]:
    if "." in text:
        for candidate in _IPV4_CANDIDATE.finditer(text):
            if (_is_version(text, candidate.start()) or _is_section_number(text, candidate)
                    or text.endswith(_PINNED_VERSION, 0, candidate.start())):
                continue
            try:
                address = ipaddress.IPv4Address(candidate.group())  # refuses octets over 255 and leading zeros
            except ValueError:
                continue
            if _is_redacted_ip(address, config):
                yield candidate.span()
    if "::" in text or text.count(":") >= 7:
        for candidate in _IPV6_CANDIDATE.finditer(text):
            written = candidate.group()
            if written.endswith(":") and not written.endswith("::"):  # a colon ending the sentence
                written = written[:-1]
            if written.count(":") < 2 or not any(character.isdigit() for character in written):
                continue  # 'A::B' in C++ or Ruby is a name, and parses
            try:
                address = ipaddress.IPv6Address(written)
            except ValueError:
                continue
            if _is_redacted_ip(address, config):
                yield candidate.start(), candidate.start() + len(written)


# --- payment card ----------------------------------------------------------------------------------------------

# Thirteen or more digits, each optionally after one space or dash, not inside a word, a UUID or a decimal.
_CARD_CANDIDATE = re.compile(r"(?<![\w.,+/-])\d(?:[ -]?\d){12,}(?![\w-]|[.,/]\d)")
_CARD_GROUP_SEPARATOR = re.compile(r"[ -]")
_CARD_DIGITS = range(13, 20)
# The first digit of a card number is its major industry: 2-6 are banking, finance and travel cards (Visa 4,
# Mastercard 2 and 5, Amex 3, Discover and UnionPay 6). Millisecond timestamps start with 1 and fail here.
_CARD_FIRST_DIGITS = frozenset("23456")


def _is_card_grouping(groups: list[str], separators: set[str]) -> bool:
    """Printed card numbers are either one run or groups of four or more (4-4-4-4, Amex 4-6-5) with one kind of
    separator; a last group of three ends a 19-digit number. ISBNs (978-3-16-...) and phone numbers do not."""
    if len(groups) == 1:
        return True
    return len(separators) == 1 and all(len(group) >= 4 for group in groups[:-1]) and len(groups[-1]) >= 3


def _cards_in_groups(groups: list[str], separators: list[str]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive groups that are card numbers, as (first group, end group), left to right; at each
    group the longest run wins. A run holds at most 19 digits, so this is linear in the groups."""
    first = 0
    while first < len(groups):
        longest_end = None
        digit_count = 0
        for end in range(first + 1, len(groups) + 1):
            digit_count += len(groups[end - 1])
            if digit_count > _CARD_DIGITS.stop - 1:
                break
            digits = "".join(groups[first:end])
            if (digit_count in _CARD_DIGITS and digits[0] in _CARD_FIRST_DIGITS
                    and _is_card_grouping(groups[first:end], set(separators[first:end - 1])) and luhn_valid(digits)):
                longest_end = end
        if longest_end is None:
            first += 1
        else:
            yield first, longest_end
            first = longest_end


def _card_spans(text: str, _config: PrivacyConfig) -> Iterator[tuple[int, int]]:
    for candidate in _CARD_CANDIDATE.finditer(text):
        written = candidate.group()
        groups = _CARD_GROUP_SEPARATOR.split(written)
        separators = _CARD_GROUP_SEPARATOR.findall(written)
        # Each group is followed by one separator character, which gives the groups' offsets in the text.
        group_starts = [candidate.start()]
        for group in groups:
            group_starts.append(group_starts[-1] + len(group) + 1)
        for first, end in _cards_in_groups(groups, separators):
            yield group_starts[first], group_starts[end] - 1


# --- IBAN ------------------------------------------------------------------------------------------------------

# Length of the IBAN (country code and check digits included) per country, from SWIFT's IBAN registry.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    "YE": 30,
}
# Country code, check digits, then the BBAN either in one run or in groups of four separated by single spaces.
_IBAN_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)")


def iban_valid(iban: str) -> bool:
    """Whether `iban` (compact: no spaces) has its country's length and passes the ISO 13616 mod-97 check."""
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(character, 36)) for character in rearranged)) % 97 == 1


def _iban_spans(text: str, _config: PrivacyConfig) -> Iterator[tuple[int, int]]:
    for candidate in _IBAN_CANDIDATE.finditer(text):
        written = candidate.group()
        length = IBAN_LENGTHS.get(written[:2])
        if length is None:
            continue
        # The candidate may run on into a following word ('... 0130 00 EUR'): keep the country's length of it.
        kept = alphanumerics = 0
        while kept < len(written) and alphanumerics < length:
            alphanumerics += written[kept] != " "
            kept += 1
        end = candidate.start() + kept
        if end < len(text) and text[end].isalnum():
            continue  # the IBAN would end inside a word or group
        if iban_valid(written[:kept].replace(" ", "")):
            yield candidate.start(), end


# --- redaction -------------------------------------------------------------------------------------------------

# Where spans overlap, the type checked more strictly wins: an IBAN's digits may also parse as a phone number.
_PRIORITY: tuple[PiiType, ...] = ("email", "iban", "credit_card", "ip_address", "phone")
_FINDERS: dict[PiiType, Callable[[str, PrivacyConfig], Iterator[tuple[int, int]]]] = {
    "email": _email_spans,
    "iban": _iban_spans,
    "credit_card": _card_spans,
    "ip_address": _ip_spans,
    "phone": _phone_spans,
}
# Cheap tests that a page may hold a type at all; the finder is skipped when they fail.
_PREFILTERS: dict[PiiType, Callable[[str], bool]] = {
    "email": lambda text: "@" in text,
    "iban": lambda text: _IBAN_CANDIDATE.search(text) is not None,
    "credit_card": lambda text: _CARD_CANDIDATE.search(text) is not None,
    "ip_address": lambda text: "." in text or ":" in text,
    "phone": lambda text: _PHONE_CANDIDATE.search(text) is not None,
}


def _iban_shaped_spans(text: str) -> list[tuple[int, int]]:
    """Strings shaped like an IBAN of a known country, whether or not their check passes."""
    if not _PREFILTERS["iban"](text):
        return []
    return [match.span() for match in _IBAN_CANDIDATE.finditer(text) if match.group()[:2] in IBAN_LENGTHS]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps one of `spans`, which are sorted and do not overlap each other: only the
    spans either side of where it would go can, so a page with thousands of values stays linear-logarithmic."""
    index = bisect.bisect_left(spans, (start, end))
    return (index > 0 and spans[index - 1][1] > start) or (index < len(spans) and spans[index][0] < end)


def find_pii(text: str, config: PrivacyConfig) -> list[tuple[int, int, PiiType]]:
    """The spans `redact_pii` replaces, as (start, end, type), in text order and not overlapping."""
    # A string shaped like an IBAN is a bank account or a reference even when its check fails: no other type may
    # take digits inside it (a card number or a phone number).
    iban_shaped = _iban_shaped_spans(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, PiiType]] = []
    for pii_type in _PRIORITY:
        if pii_type not in config.types or not _PREFILTERS[pii_type](text):
            continue
        for start, end in _FINDERS[pii_type](text, config):
            if _overlaps(start, end, taken) or (pii_type != "iban" and _overlaps(start, end, iban_shaped)):
                continue
            bisect.insort(taken, (start, end))
            found.append((start, end, pii_type))
    return sorted(found)


def redact_pii(text: str, config: PrivacyConfig) -> PiiRedaction:
    """`text` with each e-mail address, phone number, IP address, card number and IBAN of a type in
    `config.types` replaced by that type's placeholder, and how many were replaced per type (every type of
    `PII_TYPES` is a key, so counts of many pages line up as columns)."""
    pieces: list[str] = []
    counts = dict.fromkeys(PII_TYPES, 0)
    written_up_to = 0
    for start, end, pii_type in find_pii(text, config):
        pieces += (text[written_up_to:start], getattr(config.placeholders, pii_type))
        counts[pii_type] += 1
        written_up_to = end
    if not pieces:
        return PiiRedaction(text=text, counts=counts)
    pieces.append(text[written_up_to:])
    return PiiRedaction(text="".join(pieces), counts=counts)
