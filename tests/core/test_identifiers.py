"""Identifier patterns: fødselsnumre checked by both check digits and the date, phone numbers
as Norwegians write them, e-mail addresses."""

from __future__ import annotations

import pytest

from kasus.corpus.identifiers import find_identifiers, valid_fnr

# The check digits as the National Registry verifies them: each weighted sum of the whole
# number is divisible by 11 (the implementation computes them the other way round).
VERIFY_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
VERIFY_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def _verifies(number: str) -> bool:
    digits = [int(c) for c in number]
    return (sum(w * d for w, d in zip(VERIFY_1, digits[:10], strict=True)) % 11 == 0
            and sum(w * d for w, d in zip(VERIFY_2, digits, strict=True)) % 11 == 0)


def with_check_digits(first_nine: str) -> str:
    """The eleven-digit number the first nine digits make, found by trying every ending."""
    for ending in range(100):
        number = f"{first_nine}{ending:02d}"
        if _verifies(number):
            return number
    raise AssertionError(f"{first_nine}: no check digits exist (a 10 remainder); pick another")


def _first_valid(date: str, individuals: range = range(100, 500)) -> str:
    """A number with right check digits for a date (valid or not) and an individual number."""
    for individual in individuals:
        try:
            return with_check_digits(f"{date}{individual}")
        except AssertionError:
            continue
    raise AssertionError(date)


def test_a_valid_number_passes() -> None:
    assert valid_fnr(_first_valid("150785"))


def test_a_wrong_check_digit_fails() -> None:
    number = _first_valid("150785")
    for position in (9, 10):
        wrong = str((int(number[position]) + 1) % 10)
        assert not valid_fnr(number[:position] + wrong + number[position + 1:])


def test_d_and_h_numbers_pass() -> None:
    assert valid_fnr(_first_valid("550785"))  # D-number: day 15 + 40
    assert valid_fnr(_first_valid("154785"))  # H-number: month 07 + 40


def test_right_check_digits_on_an_impossible_date_fail() -> None:
    assert not valid_fnr(_first_valid("310285"))  # 31 February
    assert not valid_fnr(_first_valid("321085"))


def test_the_individual_number_decides_the_century_of_a_leap_day() -> None:
    # 29 February 1900 did not exist; 29 February 2000 did.
    assert not valid_fnr(with_check_digits("290200123"))
    assert valid_fnr(_first_valid("290200", range(500, 1000)))


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(f.kind, text[f.start:f.end], f.value) for f in find_identifiers(text)]


def test_a_fodselsnummer_in_text_is_found_with_or_without_a_space() -> None:
    number = _first_valid("150785")
    text = f"Fnr {number}, også skrevet {number[:6]} {number[6:]}."
    assert [value for kind, _, value in _found(text) if kind == "fnr"] == [number, number]


def test_an_invalid_number_is_left_alone() -> None:
    number = _first_valid("150785")
    wrong = number[:10] + str((int(number[10]) + 1) % 10)
    assert _found(f"Fnr {wrong} er feil.") == []


@pytest.mark.parametrize("written", [
    "91234567", "912 34 567", "91 23 45 67", "9123 4567", "+47 91234567", "+4791234567",
    "0047 912 34 567", "+47 91 23 45 67",
])
def test_phone_numbers_as_written_are_one_value(written: str) -> None:
    assert _found(f"Ring {written} i dag.") == [("phone", written, "91234567")]


@pytest.mark.parametrize("text", [
    "Budsjettet er 12 000 000 kroner.", "I 2019 og 2020.", "Saksnummer 1234567.",
    "Konto 123456789.", "Nummer 01234567.", "Beløpet 45 000.", "Kode AB91234567.",
    "Verdien 9123.4567 er en desimal.", "Planperioden 2016 2020.", "Datert 20190315.",
])
def test_other_numbers_are_not_phone_numbers(text: str) -> None:
    assert _found(text) == []


def test_email_addresses_are_found_case_folded() -> None:
    text = "Skriv til Kari.Nordmann@karmoy.kommune.no eller post@nav.no."
    assert _found(text) == [
        ("email", "Kari.Nordmann@karmoy.kommune.no", "kari.nordmann@karmoy.kommune.no"),
        ("email", "post@nav.no", "post@nav.no"),
    ]
