"""Trend rules on constructed series: direction that is better, thresholds by unit, breaks,
conflicting years, mixed kinds, missing years, increments and den gylne regel."""

from __future__ import annotations

import pytest

from kasus.evidence.trends import judge_trend
from kasus.model import Indicator, IndicatorValue


def series(values: dict[int, float | None], unit: str = "percent", source: str = "IS-24/8",
           later: tuple[IndicatorValue, ...] = (), indicator_id: int = 50) -> Indicator:
    own = tuple(IndicatorValue(year, value) for year, value in values.items()
                if value is not None)
    return Indicator(indicator_id, "hovedmal4", "resultat", "Testindikator", source, unit,
                     values=own + later)


def final(year: int, value: float | None, kind: str = "level",
          qualifier: str = "") -> IndicatorValue:
    return IndicatorValue(year, value, qualifier=qualifier, kind=kind, origin="final2021")


@pytest.mark.parametrize(("values", "desired", "verdict"), [
    ({2016: 40, 2017: 44, 2018: 46}, "up", "improving"),
    ({2016: 40, 2017: 44, 2018: 46}, "down", "worsening"),
    ({2016: 40, 2017: 41, 2018: 42}, "up", "stable"),  # 2 points in a survey: no trend
    ({2016: 46, 2017: 44, 2018: 40}, "neither", "falling"),
    ({2016: None, 2017: 30, 2018: 36}, "up", "improving"),  # 2017 as the baseline
    ({2016: None, 2017: None, 2018: 37}, "up", "too little data"),
])
def test_verdicts_follow_the_desired_direction(values: dict[int, float | None], desired: str,
                                               verdict: str) -> None:
    assert judge_trend(series(values), desired).verdict == verdict


def test_counts_move_by_their_own_units_and_a_relative_threshold() -> None:
    small = judge_trend(series({2016: 1000, 2018: 1040}, unit="count"), "down")
    assert small.verdict == "stable" and small.change == 40 and small.change_unit == "count"
    large = judge_trend(series({2016: 1000, 2018: 1100}, unit="count"), "down")
    assert large.verdict == "worsening"
    points = judge_trend(series({2016: 10, 2018: 14}), "up")
    assert points.change == 4 and points.change_unit == "percentage points"


def test_a_comparable_2020_level_continues_the_series() -> None:
    deaths = judge_trend(series({2016: 284, 2017: 247}, unit="count", source="FHI",
                                later=(final(2020, 324),)), "down")
    assert (deaths.first_year, deaths.last_year) == (2016, 2020)
    assert deaths.verdict == "worsening" and deaths.last_value == 324
    assert deaths.continuation[0].continues


def test_a_sample_break_is_shown_beside_the_series_not_in_it() -> None:
    housing = judge_trend(series({2016: 71, 2017: 73, 2018: 71}, source="BrukerPlan",
                                 later=(final(2020, 60),)), "up")
    assert housing.last_year == 2018 and housing.verdict == "stable"
    assert housing.continuation[0].why_not.startswith("brudd")


def test_mixed_kinds_and_qualified_values_do_not_continue_the_series() -> None:
    judged = judge_trend(series({2016: 20, 2018: 30}, later=(
        final(2020, 900, kind="cumulative"), final(2020, None, kind="range",
                                                   qualifier="mellom 30 og 40"),
        final(2019, 50, qualifier="mer enn"))), "up")
    assert judged.last_year == 2018
    assert all(not c.continues for c in judged.continuation)
    assert {c.why_not.split(",")[0] for c in judged.continuation} >= {
        "a cumulative", "a range"}
    about = judge_trend(series({2016: 20, 2018: 30}, later=(final(2020, 40, qualifier="om lag"),)),
                        "up")
    assert about.last_year == 2020  # 'om lag' is still a point value


def test_a_year_with_two_conflicting_values_is_flagged_not_picked() -> None:
    judged = judge_trend(series({2018: 37}, later=(final(2020, 25), final(2020, 30))), "up")
    assert judged.verdict == "too little data"
    assert judged.conflicts == ("2020: 25 vs 30 (not picked)",)
    assert all("conflicting" in c.why_not for c in judged.continuation)


def test_increments_add_up_against_the_target_and_the_golden_rule_per_year() -> None:
    increments = judge_trend(series({2016: 419, 2017: 309, 2018: 300}, unit="nok_millions",
                                    indicator_id=1), "up")
    assert increments.running_total == 1028 and increments.target == 2400
    assert increments.verdict == "behind the plan's pace"  # 1,028 of 1,440 for 3 of 5 years
    golden = judge_trend(series({2016: 2.0, 2017: -3.1, 2018: 1.0}, unit="other",
                                indicator_id=6), "up")
    assert golden.golden_rule == ((2016, True), (2017, False), (2018, True))
