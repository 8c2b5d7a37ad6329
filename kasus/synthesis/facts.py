"""What a cell or a judgement shows of an indicator: its trend, latest value, and the
end-of-period (2019/2020) values with their qualifiers."""

from __future__ import annotations

from dataclasses import dataclass

from kasus.evidence.indicators import trend
from kasus.evidence.trends import comparable_run
from kasus.model import Indicator


@dataclass(frozen=True)
class EndValue:
    """An end-of-period statement: '2020: om lag 900 (cumulative)'."""

    year: int
    text: str
    qualifier: str
    kind: str
    note: str  # why it does not continue the series, when it does not


@dataclass(frozen=True)
class IndicatorFact:
    id: int
    name: str
    unit: str
    verdict: str
    years: str
    values: dict[int, float]  # the status report's yearly levels
    latest: str  # "2018: 62" or "2020: om lag 900"
    end_values: tuple[EndValue, ...]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def indicator_fact(indicator: Indicator) -> IndicatorFact:
    """The indicator as a ground or cell shows it."""
    judged = trend(indicator)
    levels = {v.year: v.value for v in indicator.values
              if v.origin == "status2019" and v.kind == "level" and v.value is not None}
    ends = tuple(EndValue(c.year, f"{c.qualifier} {_number(c.value)}".strip(), c.qualifier,
                          c.kind, c.why_not) for c in judged.continuation)
    # The latest value is the end of the comparable series; values that break it (a new
    # sample, a range, a sum) are listed in end_values with why, never passed off as latest.
    run, _, _ = comparable_run(indicator)
    continuing = {e.year: e for e, c in zip(ends, judged.continuation, strict=True)
                  if c.continues}
    if run:
        year = max(run)
        latest = f"{year}: {continuing[year].text if year in continuing else _number(run[year])}"
    elif ends:
        latest = f"{ends[-1].year}: {ends[-1].text or '–'} ({ends[-1].note or ends[-1].kind})"
    else:
        latest = "no values"
    return IndicatorFact(indicator.id, indicator.name_nb, indicator.unit, judged.verdict,
                         judged.years, levels, latest, ends)
