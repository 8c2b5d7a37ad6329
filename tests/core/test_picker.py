"""The code picker's ranking against the shipped codebook: what a coder types finds the code."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kasus.codebook.file import load_codebook
from kasus.model import Code
from kasus.picker import fold, rank_codes
from kasus.project import DEFAULT_CODEBOOK

CODES: list[Code] = list(load_codebook(DEFAULT_CODEBOOK).codes)

# (query, code expected on top) — what a coder types, and the code they mean.
FIRST = [
    ("bol", "bolig"),                       # prefix of the theme's id and label
    ("pakke", "pakkeforlop"),               # prefix of a folded word: pakkeforløp
    ("rop", "rop"),                         # the theme before its sub-codes
    ("ROP", "rop"),                         # case does not matter
    ("parorende", "hm1.parorende"),         # ø and å typed as o and a
    ("pårørende", "hm1.parorende"),         # or typed as they are
    ("barn pårørende", "hm1.barn-parorende"),  # every query word counts
    ("housing first", "bolig.housing-first"),  # English label
    ("lar", "hm3.lar"),
    ("øhd", "hm3.ohd"),
    ("ohd", "hm3.ohd"),
    ("nalokson", "hm3.skadereduksjon"),     # a keyword only
    ("ips", "hm4.arbeid"),                  # a keyword only
    ("bostøtte", "bolig.bostotte"),
    ("bollig", "bolig"),                    # a typo still finds it (fuzzy)
    ("rop samtidig", "rop.samtidig"),
    ("§12", "hm5.paragraf12"),
    ("recovery", "recovery"),
    ("tilskudd", "finansiering.tilskudd"),
    ("arbeid", "hm4.arbeid"),               # the id beats a label word
]

# (query, code expected among the first n)
AMONG = [
    ("housing", "bolig.housing-first", 2),
    ("fengsel", "hm5.fengselshelse", 3),
    ("samarbeid dps", "samarbeid", 1),
    ("kompetanse", "kompetanse.kapasitet", 3),
]


@pytest.mark.parametrize(("query", "expected"), FIRST)
def test_query_puts_the_meant_code_first(query: str, expected: str) -> None:
    assert rank_codes(CODES, query)[0].id == expected


@pytest.mark.parametrize(("query", "expected", "within"), AMONG)
def test_query_puts_the_code_near_the_top(query: str, expected: str, within: int) -> None:
    assert expected in [code.id for code in rank_codes(CODES, query)[:within]]


def test_empty_query_keeps_codebook_order() -> None:
    assert rank_codes(CODES, "", limit=100) == CODES
    assert rank_codes(CODES, "   ", limit=5) == CODES[:5]


def test_nonsense_finds_nothing() -> None:
    assert rank_codes(CODES, "xyzzy") == []


def test_limit_caps_the_result() -> None:
    assert len(rank_codes(CODES, "bolig", limit=3)) == 3


def test_retired_codes_are_never_offered() -> None:
    retired = [replace(code, status="retired") if code.id == "rop" else code for code in CODES]
    assert "rop" not in [code.id for code in rank_codes(retired, "rop")]
    assert "rop" not in [code.id for code in rank_codes(retired, "", limit=100)]


def test_fold_folds_norwegian_letters() -> None:
    assert fold("Pårørende ØHD Ærlig") == "parorende ohd aerlig"
