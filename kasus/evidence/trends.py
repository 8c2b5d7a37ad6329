"""What an indicator's values say: the trend over its longest comparable run of levels, judged
against the direction the plan wants, with breaks, conflicts and targets made explicit."""

from __future__ import annotations

from dataclasses import dataclass, field

from kasus.model import Indicator, IndicatorValue

DIRECTIONS = ("up", "down", "neither")
# A survey share that moves 1–2 points has not moved: sampling noise is of that size.
PERCENT_POINTS = 3.0
# Counts, money, days and scores: a change under 5 % of the first value is stable.
RELATIVE_SHARE = 0.05
# Qualifiers that still give a point value; "mer enn", "mellom …" and the like do not.
POINT_QUALIFIERS = ("", "om lag", "ca.", "cirka", "rundt")
# BrukerPlan changed its sample in 2020 (without NAV and barnevern registrations): its 2020
# figures do not continue the 2016–2019 series.
SAMPLE_BREAKS = {("BrukerPlan", 2020)}
# Yearly increases that add up to the plan's overall escalation target (mill. NOK).
INCREMENTS = {1, 2}
ESCALATION_TARGET = 2400.0
# Den gylne regel: growth in TSB costs at least as high as in somatic care (ratio >= 1).
GOLDEN_RULE = 6
PLAN_YEARS = 5


@dataclass(frozen=True)
class Continuation:
    """The end-of-period (2019/2020) value beside the series, and whether it continues it."""

    year: int
    value: float | None
    qualifier: str
    kind: str
    continues: bool
    why_not: str = ""  # "brudd: …" for a sample break, or why the value is not a level


@dataclass(frozen=True)
class Trend:
    """The verdict on an indicator's development, with the years and values it rests on."""

    desired: str
    verdict: str  # improving / worsening / stable / rising / falling / too little data
    movement: str  # up / down / flat / none
    first_year: int | None = None
    last_year: int | None = None
    first_value: float | None = None
    last_value: float | None = None
    change: float | None = None
    change_unit: str = ""  # "percentage points", or the indicator's unit
    threshold: str = ""
    continuation: tuple[Continuation, ...] = ()
    conflicts: tuple[str, ...] = ()
    running_total: float | None = None
    target: float | None = None
    golden_rule: tuple[tuple[int, bool], ...] = field(default=())

    @property
    def years(self) -> str:
        return f"{self.first_year}–{self.last_year}" if self.first_year is not None else ""


def _is_point(value: IndicatorValue) -> bool:
    return (value.kind == "level" and value.value is not None
            and value.qualifier.strip().lower() in POINT_QUALIFIERS)


def _conflicts(values: list[IndicatorValue]) -> dict[int, list[float]]:
    by_year: dict[int, set[float]] = {}
    for value in values:
        if _is_point(value) and value.value is not None:
            by_year.setdefault(value.year, set()).add(value.value)
    return {year: sorted(found) for year, found in by_year.items() if len(found) > 1}


def _break(indicator: Indicator, value: IndicatorValue) -> str:
    if (indicator.source, value.year) in SAMPLE_BREAKS:
        return f"brudd: {indicator.source} changed its sample in {value.year}"
    return ""


def comparable_run(indicator: Indicator) -> tuple[dict[int, float], tuple[Continuation, ...],
                                                   tuple[str, ...]]:
    """The level values that form one series (by year), the end-of-period values shown beside
    it, and the conflicting years, each said in words."""
    run = {v.year: v.value for v in indicator.values
           if v.origin == "status2019" and _is_point(v) and v.value is not None}
    later = [v for v in indicator.values if v.origin != "status2019"]
    conflicts = _conflicts(later)
    continuation = []
    for value in sorted(later, key=lambda v: (v.year, v.value is None)):
        why = _break(indicator, value)
        if not why and value.year in conflicts:
            why = f"conflicting values for {value.year}: " + " and ".join(
                f"{found:g}" for found in conflicts[value.year])
        if not why and not _is_point(value):
            why = (f"a {value.kind}, not a level" if value.kind != "level"
                   else f"stated as '{value.qualifier} {value.value:g}', not a point value")
        continues = not why and value.year > max(run, default=value.year)
        if continues and value.value is not None:
            run[value.year] = value.value
        continuation.append(Continuation(value.year, value.value, value.qualifier,
                                         value.kind, continues, why))
    said = tuple(f"{year}: " + " vs ".join(f"{v:g}" for v in found) + " (not picked)"
                 for year, found in sorted(conflicts.items()))
    return dict(sorted(run.items())), tuple(continuation), said


def _movement(indicator: Indicator, first: float, last: float) -> tuple[str, float, str, str]:
    change = last - first
    if indicator.unit == "percent":
        flat = abs(change) < PERCENT_POINTS
        return ("flat" if flat else "up" if change > 0 else "down", change,
                "percentage points", f"a move under {PERCENT_POINTS:g} points is stable")
    flat = abs(change) < RELATIVE_SHARE * (abs(first) or 1.0)
    return ("flat" if flat else "up" if change > 0 else "down", change, indicator.unit,
            f"a change under {RELATIVE_SHARE:.0%} of the first value is stable")


VERDICTS = {("up", "up"): "improving", ("up", "down"): "worsening",
            ("down", "down"): "improving", ("down", "up"): "worsening"}


def judge_trend(indicator: Indicator, desired: str) -> Trend:
    """The trend over the longest comparable run of levels, judged by the desired direction."""
    run, continuation, conflicts = comparable_run(indicator)
    extras: dict[str, object] = {"continuation": continuation, "conflicts": conflicts}
    if indicator.id in INCREMENTS:
        extras["running_total"] = sum(run.values())
        extras["target"] = ESCALATION_TARGET
    if indicator.id == GOLDEN_RULE:
        extras["golden_rule"] = tuple((year, value >= 1.0) for year, value in run.items())
    if len(run) < 2:
        return Trend(desired, "too little data", "none", **extras)  # type: ignore[arg-type]
    (first_year, first), (last_year, last) = next(iter(run.items())), list(run.items())[-1]
    movement, change, unit, threshold = _movement(indicator, first, last)
    if indicator.id in INCREMENTS:
        # Yearly additions: what counts is how much has been added against the plan's pace
        # (the target spread evenly over 2016–2020), not whether one year added less.
        pace = ESCALATION_TARGET * len(run) / PLAN_YEARS
        verdict = "on the plan's pace" if sum(run.values()) >= pace else "behind the plan's pace"
    elif movement == "flat":
        verdict = "stable"
    elif desired == "neither":
        verdict = "rising" if movement == "up" else "falling"
    else:
        verdict = VERDICTS[(desired, movement)]
    return Trend(desired, verdict, movement, first_year, last_year, first, last, change, unit,
                 threshold, **extras)  # type: ignore[arg-type]
