"""Inter-coder agreement per code and overall: percent agreement, Cohen's kappa, Krippendorff's
alpha, prevalence, and MAXQDA-style segment overlap.

Each statistic is computed on units (see kasus.review.units); one that is undefined for the
data (kappa when both coders never used a code) is reported with the reason, never as 0 or 1.
Unlike QualCoder's kappa, the expected agreement counts the units neither coder coded: a code
is judged on every unit in scope, not only on the coded text.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import krippendorff
from sqlite_utils import Database

from kasus.errors import KasusError
from kasus.review.units import Judgements, Span, judge

DEFAULT_OVERLAP = 0.5


@dataclass(frozen=True)
class Statistic:
    """A value, or None with the reason it is undefined for these data."""

    value: float | None
    reason: str = ""


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code (or, as 'overall', on every code pooled)."""

    code_id: str
    units: int
    # Units by how many coders applied the code: index 0 = nobody, len(coders) = everybody.
    applied_by_count: tuple[int, ...]
    # Two coders: the four-cell table; more coders: None.
    table: dict[str, int] | None
    percent_agreement: Statistic
    cohen_kappa: Statistic
    krippendorff_alpha: Statistic
    prevalence: Statistic
    segment_overlap: Statistic
    codings: dict[str, int]
    pairwise_kappa: dict[str, Statistic] = field(default_factory=dict)


@dataclass(frozen=True)
class AgreementReport:
    """Agreement of two or more coders on one kind of unit."""

    coders: tuple[str, ...]
    unit: str
    threshold: float
    overlap: float
    site_id: str | None
    codes: list[CodeAgreement]
    overall: CodeAgreement


def cohen_kappa(both: int, only_first: int, only_second: int, neither: int) -> Statistic:
    """Cohen's kappa of a 2×2 table (code applied / not applied by two coders)."""
    n = both + only_first + only_second + neither
    if n == 0:
        return Statistic(None, "no units")
    observed = (both + neither) / n
    first_yes, second_yes = (both + only_first) / n, (both + only_second) / n
    expected = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    if math.isclose(expected, 1.0):
        used = "neither coder applied the code" if first_yes == 0 else \
            "both coders applied the code to every unit"
        return Statistic(None, f"expected agreement is 1: {used}")
    return Statistic((observed - expected) / (1 - expected))


def alpha_nominal(rows: list[list[int]]) -> Statistic:
    """Krippendorff's alpha, nominal, for coders × units (1 applied, 0 not)."""
    values = {value for row in rows for value in row}
    if not rows or not rows[0]:
        return Statistic(None, "no units")
    if len(values) < 2:
        used = "no coder applied the code" if values == {0} else \
            "every coder applied the code to every unit"
        return Statistic(None, f"no variation: {used}")
    return Statistic(float(krippendorff.alpha(reliability_data=rows,
                                              level_of_measurement="nominal")))


def _overlap_share(a: Span, b: Span) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    union = max(a.end, b.end) - min(a.start, b.start)
    return inter / union if inter > 0 else 0.0


def segment_overlap(spans: Iterable[Span], overlap: float) -> Statistic:
    """Share of codings matched by another coder's coding of the same code that overlaps it by
    at least `overlap` of the two spans' joint extent (MAXQDA's segment agreement)."""
    by_place: dict[tuple[str, str], list[Span]] = {}
    for span in spans:
        by_place.setdefault((span.document_id, span.code_id), []).append(span)
    total = matched = 0
    for group in by_place.values():
        for span in group:
            total += 1
            if any(other.coder != span.coder and _overlap_share(span, other) >= overlap
                   for other in group):
                matched += 1
    if total == 0:
        return Statistic(None, "no codings")
    return Statistic(matched / total)


def _code_agreement(code_id: str, rows: list[list[int]], coders: tuple[str, ...],
                    spans: list[Span], overlap: float) -> CodeAgreement:
    n = len(rows[0]) if rows else 0
    counts = [0] * (len(coders) + 1)
    for column in zip(*rows, strict=True):
        counts[sum(column)] += 1
    table = None
    kappa = Statistic(None, "Cohen's kappa compares two coders: see pairwise_kappa and alpha")
    pairwise: dict[str, Statistic] = {}
    if len(coders) == 2:
        cells = [0, 0, 0, 0]  # both, only first, only second, neither
        for first, second in zip(rows[0], rows[1], strict=True):
            cells[0 if first and second else 1 if first else 2 if second else 3] += 1
        table = dict(zip(("both", "only_a", "only_b", "neither"), cells, strict=True))
        kappa = cohen_kappa(*cells)
    else:
        for (i, a), (j, b) in itertools.combinations(enumerate(coders), 2):
            cells = [0, 0, 0, 0]
            for x, y in zip(rows[i], rows[j], strict=True):
                cells[0 if x and y else 1 if x else 2 if y else 3] += 1
            pairwise[f"{a},{b}"] = cohen_kappa(*cells)
    agreeing = counts[0] + counts[-1]
    judged = n * len(coders)
    return CodeAgreement(
        code_id=code_id, units=n, applied_by_count=tuple(counts), table=table,
        percent_agreement=Statistic(agreeing / n) if n else Statistic(None, "no units"),
        cohen_kappa=kappa, krippendorff_alpha=alpha_nominal(rows),
        prevalence=(Statistic(sum(map(sum, rows)) / judged) if judged
                    else Statistic(None, "no units")),
        segment_overlap=segment_overlap(spans, overlap),
        codings={coder: sum(1 for s in spans if s.coder == coder) for coder in coders},
        pairwise_kappa=pairwise,
    )


def _rows(judgements: Judgements, code_id: str) -> list[list[int]]:
    per_unit = judgements.applied.get(code_id, {})
    return [[1 if coder in per_unit.get(index, ()) else 0
             for index in range(len(judgements.units))] for coder in judgements.coders]


def agreement_of(judgements: Judgements, overlap: float = DEFAULT_OVERLAP,
                 site_id: str | None = None) -> AgreementReport:
    """The statistics per code and pooled over all codes, from unit judgements."""
    coders = judgements.coders
    per_code = []
    pooled: list[list[int]] = [[] for _ in coders]
    for code_id in judgements.codes:
        rows = _rows(judgements, code_id)
        spans = [s for s in judgements.spans if s.code_id == code_id]
        per_code.append(_code_agreement(code_id, rows, coders, spans, overlap))
        for target, row in zip(pooled, rows, strict=True):
            target.extend(row)
    overall = _code_agreement("overall", pooled, coders, judgements.spans, overlap)
    return AgreementReport(coders, judgements.kind, judgements.threshold, overlap, site_id,
                           per_code, overall)


def compute_agreement(db: Database, coders: tuple[str, ...], unit: str = "paragraph",
                      threshold: float = 0.5, code_id: str | None = None,
                      site_id: str | None = None,
                      overlap: float = DEFAULT_OVERLAP) -> AgreementReport:
    """Agreement of the coders on the project's units, per code and overall."""
    if not 0 < overlap <= 1:
        raise KasusError(f"overlap {overlap} is not in (0, 1]", "give a share such as 0.5")
    judgements = judge(db, coders, unit, threshold, code_id, site_id)
    return agreement_of(judgements, overlap, site_id)
