"""Identifiers found by pattern: Norwegian phone numbers, e-mail addresses, fødselsnumre."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

# A separator inside a written number: a space, or the no-break space word processors put in.
_SEP = "[ \u00a0]"
# Eight digits as Norwegians write them: 12345678, 123 45 678, 12 34 56 78, 1234 5678, with
# +47 or 0047 before. A subscriber number starts with 2–9 (0 and 1 are prefixes and short
# codes), which keeps years, sums and case numbers out.
PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00)47{_SEP}?)?"
    rf"([2-9]\d{{7}}|[2-9]\d\d{_SEP}\d\d{_SEP}\d{{3}}|[2-9]\d(?:{_SEP}\d\d){{3}}"
    rf"|[2-9]\d{{3}}{_SEP}\d{{4}})(?![\w]|[.,]\d)"
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# Eleven digits, sometimes written with a space after the date: 010190 12345.
FNR = re.compile(rf"(?<![\w+])(\d{{6}}){_SEP}?(\d{{5}})(?![\w]|[.,]\d)")

YEAR_PAIR = re.compile(rf"(?:19|20)\d\d{_SEP}(?:19|20)\d\d")

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class Found:
    """One identifier in a text: its span, its kind and its value in a canonical form (the
    same phone number written two ways is one value)."""

    start: int
    end: int
    kind: str  # "phone", "email" or "fnr"
    value: str


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    rest = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    return {11: 0, 10: None}.get(rest, rest)


def _century(year: int, individual: int) -> int:
    """The birth century from the individual number, as the National Registry assigns it."""
    if individual < 500:
        return 1900
    if individual < 750 and year >= 54:
        return 1800
    return 2000 if year < 40 else 1900


def fnr_birth_date(number: str) -> date | None:
    """The birth date a fødselsnummer holds, or None when it holds no valid date. D-numbers
    (day + 40, given to people not in the population register) and H-numbers (month + 40,
    the health services' auxiliary numbers) count."""
    day, month, year = int(number[0:2]), int(number[2:4]), int(number[4:6])
    if day > 40:
        day -= 40
    if month > 40:
        month -= 40
    try:
        return date(_century(year, int(number[6:9])) + year, month, day)
    except ValueError:
        return None


def valid_fnr(number: str) -> bool:
    """Whether eleven digits are a fødselsnummer (or D- or H-number): both check digits
    right and a real date. A number failing either is left alone, not replaced."""
    if len(number) != 11 or not number.isdigit():
        return False
    digits = [int(c) for c in number]
    first = _check_digit(digits[:9], _WEIGHTS_1)
    if first is None or first != digits[9]:
        return False
    second = _check_digit(digits[:10], _WEIGHTS_2)
    return second is not None and second == digits[10] and fnr_birth_date(number) is not None


def _looks_like_years_or_a_date(digits: str) -> bool:
    # "2016 2020" is a period and 20190315 a date, not numbers to ring.
    if YEAR_PAIR.fullmatch(digits):
        return True
    if len(digits) == 8 and digits[:2] in ("19", "20"):
        try:
            date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            return False
        return True
    return False


def find_identifiers(text: str) -> Iterator[Found]:
    """Every phone number, e-mail address and valid fødselsnummer in the text, by position
    (a fødselsnummer wins over a phone number in the same digits)."""
    found: list[Found] = []
    for match in FNR.finditer(text):
        number = match.group(1) + match.group(2)
        if valid_fnr(number):
            found.append(Found(match.start(), match.end(), "fnr", number))
    for match in PHONE.finditer(text):
        if _looks_like_years_or_a_date(match.group(1)):
            continue
        if not any(f.start < match.end() and match.start() < f.end for f in found):
            found.append(Found(match.start(), match.end(), "phone",
                               re.sub(r"\D", "", match.group(1))))
    for match in EMAIL.finditer(text):
        found.append(Found(match.start(), match.end(), "email", match.group().casefold()))
    return iter(sorted(found, key=lambda f: f.start))
