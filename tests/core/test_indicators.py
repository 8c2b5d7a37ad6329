"""The indicator set: every row of the shipped CSV, 2020 statements merged with qualifiers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlite_utils import Database

from kasus.errors import KasusError
from kasus.evidence.indicators import get_indicator, list_indicators, load_indicators, trend
from kasus.project import DEFAULT_INDICATORS


def test_every_row_is_stored_with_its_yearly_values(db: Database) -> None:
    with DEFAULT_INDICATORS.open(encoding="utf-8") as handle:
        rows = {int(row["id"]): row for row in csv.DictReader(handle)}
    stored = {indicator.id: indicator for indicator in list_indicators(db)}
    assert set(stored) == set(rows) and len(rows) == 85
    for indicator_id, row in rows.items():
        levels = stored[indicator_id].levels(origin="status2019")
        for year in (2016, 2017, 2018):
            expected = row[f"v{year}"]
            assert levels.get(year) == (float(expected) if expected else None), (indicator_id, year)


def test_2020_statements_keep_qualifier_and_kind(db: Database) -> None:
    values = get_indicator(db, 2).values
    final = [v for v in values if v.origin == "final2021"]
    assert final and final[0].qualifier == "om lag" and final[0].kind == "cumulative"
    ranges = [v for v in get_indicator(db, 77).values if v.kind == "range"]
    assert ranges and ranges[0].value is None and "mellom" in ranges[0].qualifier


def test_trend_direction_from_the_status_report_years(db: Database) -> None:
    growing = trend(get_indicator(db, 4))  # FTEs 13936 -> 15894
    assert growing.movement == "up"
    assert trend(get_indicator(db, 32)).verdict == "too little data"  # 2018 only, 2020 in doubt


def test_bad_value_names_file_and_line(tmp_path: Path) -> None:
    text = DEFAULT_INDICATORS.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(",419,", ",fire hundre,")
    path = tmp_path / "indicators.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(KasusError, match=rf"{path}:2: v2016 value 'fire hundre' is not a number"):
        load_indicators(path)
