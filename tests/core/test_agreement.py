"""Agreement statistics against reference computations on constructed cases (to 1e-9)."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from sqlite_utils import Database

from kasus.coding.codings import apply_coding
from kasus.documents import insert_document, segments_of
from kasus.errors import KasusError
from kasus.review.agreement import CodeAgreement, compute_agreement

# Ten sentences: the units of the constructed cases.
TEXT = " ".join(f"Setning nummer {word} handler om tjenestene." for word in (
    "en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti"))


@pytest.fixture
def sentences(db: Database) -> list[tuple[int, int]]:
    insert_document(db, {"id": "d1", "identity": "id:d1", "site_id": "karmoy", "title": "d1",
                         "metadata": "{}"}, TEXT, "d1.md")
    spans = [(s.start, s.end) for s in segments_of(db, "d1", "sentence")]
    assert len(spans) == 10
    return spans


def code_units(db: Database, spans: list[tuple[int, int]], coder: str, code: str,
               units: list[int]) -> None:
    for unit in units:
        apply_coding(db, "d1", *spans[unit], code, coder)


def reference_kappa(first: list[int], second: list[int]) -> float:
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    p1, p2 = sum(first) / n, sum(second) / n
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    return (observed - expected) / (1 - expected)


def reference_alpha(rows: list[list[int]]) -> float:
    """Krippendorff's nominal alpha from the coincidence matrix (no missing values)."""
    coincidences: Counter[tuple[int, int]] = Counter()
    for column in zip(*rows, strict=True):
        m = len(column)
        for i, j in itertools.permutations(range(m), 2):
            coincidences[(column[i], column[j])] += 1 / (m - 1)
    totals: Counter[int] = Counter()
    for (c, _), weight in coincidences.items():
        totals[c] += weight
    n = sum(totals.values())
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k) / (n - 1)
    return 1 - observed / expected


def vector(units: list[int]) -> list[int]:
    return [1 if i in units else 0 for i in range(10)]


def only(report_codes: list[CodeAgreement], code: str) -> CodeAgreement:
    return next(c for c in report_codes if c.code_id == code)


CASES = {
    "perfect": ([0, 1, 2], [0, 1, 2]),
    "none-shared": ([0, 1, 2], [5, 6, 7]),
    "partial": ([0, 1, 2, 3], [2, 3, 4]),
    "unequal-numbers": ([0], [0, 1, 2, 3, 4, 5, 6]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_two_coders_match_the_reference(db: Database, sentences: list[tuple[int, int]],
                                        case: str) -> None:
    first, second = CASES[case]
    code_units(db, sentences, "anna", "bolig", first)
    code_units(db, sentences, "bjorn", "bolig", second)
    result = only(compute_agreement(db, ("anna", "bjorn"), "sentence").codes, "bolig")
    a, b = vector(first), vector(second)
    assert result.units == 10
    assert result.table == {"both": len(set(first) & set(second)),
                            "only_a": len(set(first) - set(second)),
                            "only_b": len(set(second) - set(first)),
                            "neither": 10 - len(set(first) | set(second))}
    assert result.percent_agreement.value == pytest.approx(
        sum(x == y for x, y in zip(a, b, strict=True)) / 10, abs=1e-9)
    assert result.cohen_kappa.value == pytest.approx(reference_kappa(a, b), abs=1e-9)
    assert result.krippendorff_alpha.value == pytest.approx(reference_alpha([a, b]), abs=1e-9)
    assert result.prevalence.value == pytest.approx((sum(a) + sum(b)) / 20, abs=1e-9)
    if case == "perfect":
        assert result.cohen_kappa.value == pytest.approx(1.0, abs=1e-9)
        assert result.segment_overlap.value == 1.0
    if case == "none-shared":
        assert result.segment_overlap.value == 0.0


def test_a_code_used_by_one_coder_only(db: Database, sentences: list[tuple[int, int]]) -> None:
    code_units(db, sentences, "anna", "bolig", [0, 1])
    code_units(db, sentences, "anna", "rop", [3])
    code_units(db, sentences, "bjorn", "rop", [3])
    report = compute_agreement(db, ("anna", "bjorn"), "sentence")
    assert [c.code_id for c in report.codes] == ["bolig", "rop"]  # codebook order
    bolig = only(report.codes, "bolig")
    a, b = vector([0, 1]), vector([])
    assert bolig.cohen_kappa.value == pytest.approx(reference_kappa(a, b), abs=1e-9)
    assert bolig.cohen_kappa.value == pytest.approx(0.0, abs=1e-9)
    assert bolig.krippendorff_alpha.value == pytest.approx(reference_alpha([a, b]), abs=1e-9)
    assert bolig.percent_agreement.value == pytest.approx(0.8)  # a high percent, kappa 0
    assert bolig.codings == {"anna": 2, "bjorn": 0}


def test_undefined_statistics_say_why(db: Database, sentences: list[tuple[int, int]]) -> None:
    code_units(db, sentences, "anna", "rop", [3])
    code_units(db, sentences, "bjorn", "rop", [3])
    code_units(db, sentences, "anna", "bolig", list(range(10)))
    code_units(db, sentences, "bjorn", "bolig", list(range(10)))
    report = compute_agreement(db, ("anna", "bjorn"), "sentence", code_id="bolig")
    bolig = only(report.codes, "bolig")
    assert bolig.cohen_kappa.value is None
    assert "every unit" in bolig.cohen_kappa.reason
    assert bolig.krippendorff_alpha.value is None
    assert "no variation" in bolig.krippendorff_alpha.reason
    assert bolig.percent_agreement.value == 1.0
    assert [c.code_id for c in report.codes] == ["bolig"]


def test_three_coders_alpha_and_pairwise_kappa(db: Database,
                                               sentences: list[tuple[int, int]]) -> None:
    units = {"anna": [0, 1, 2, 5], "bjorn": [0, 1, 5, 6], "cato": [0, 2, 3]}
    for coder, coded in units.items():
        code_units(db, sentences, coder, "rop", coded)
    result = only(compute_agreement(db, ("anna", "bjorn", "cato"), "sentence").codes, "rop")
    rows = [vector(units[c]) for c in ("anna", "bjorn", "cato")]
    assert result.krippendorff_alpha.value == pytest.approx(reference_alpha(rows), abs=1e-9)
    assert result.cohen_kappa.value is None and "two coders" in result.cohen_kappa.reason
    for (i, a), (j, b) in itertools.combinations(enumerate(("anna", "bjorn", "cato")), 2):
        assert result.pairwise_kappa[f"{a},{b}"].value == pytest.approx(
            reference_kappa(rows[i], rows[j]), abs=1e-9)
    all_agree = sum(1 for column in zip(*rows, strict=True) if len(set(column)) == 1)
    assert result.percent_agreement.value == pytest.approx(all_agree / 10, abs=1e-9)
    assert result.table is None and sum(result.applied_by_count) == 10


def test_threshold_decides_when_a_partly_coded_unit_counts(
        db: Database, sentences: list[tuple[int, int]]) -> None:
    start, end = sentences[0]
    apply_coding(db, "d1", start, start + (end - start) // 3, "rop", "anna")  # a third
    apply_coding(db, "d1", start, end, "rop", "bjorn")
    half = only(compute_agreement(db, ("anna", "bjorn"), "sentence", 0.5).codes, "rop")
    any_overlap = only(compute_agreement(db, ("anna", "bjorn"), "sentence", 0.0).codes, "rop")
    assert half.table is not None and half.table["only_b"] == 1
    assert any_overlap.table is not None and any_overlap.table["both"] == 1
    assert half.segment_overlap.value == 0.0  # a third of the joint extent is under 50 %
    by_document = only(compute_agreement(db, ("anna", "bjorn"), "document").codes, "rop")
    assert by_document.table == {"both": 1, "only_a": 0, "only_b": 0, "neither": 0}


def test_bad_requests_are_refused(db: Database, sentences: list[tuple[int, int]]) -> None:
    code_units(db, sentences, "anna", "rop", [1])
    with pytest.raises(KasusError, match="'nobody' has no codings"):
        compute_agreement(db, ("anna", "nobody"), "sentence")
    code_units(db, sentences, "bjorn", "rop", [1])
    with pytest.raises(KasusError, match="unit 'word'"):
        compute_agreement(db, ("anna", "bjorn"), "word")
    with pytest.raises(KasusError, match="threshold 2"):
        compute_agreement(db, ("anna", "bjorn"), "sentence", threshold=2)
