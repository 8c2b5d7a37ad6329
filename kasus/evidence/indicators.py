"""The indicator set: load the shipped CSV files, store them, and read trends back."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.errors import KasusError, NotFoundError
from kasus.evidence.trends import DIRECTIONS, Trend, judge_trend
from kasus.model import Indicator, IndicatorValue

YEAR_COLUMNS = {"v2015": 2015, "v2016": 2016, "v2017": 2017, "v2018": 2018}
REQUIRED_COLUMNS = ("id", "area", "type", "name_nb", "source", "unit", *YEAR_COLUMNS, "note")
# Optional in an indicator file of one's own (then every indicator is "neither").
DESIRED_COLUMN = "desired"
STATEMENT_COLUMNS = ("id", "year", "value", "qualifier", "quote", "confidence", "kind", "note")


def statements_path(path: Path) -> Path:
    """The end-of-period statements file shipped beside an indicator file."""
    return path.with_name(f"{path.stem}_2020{path.suffix}")


def load_indicators(path: str | Path) -> list[Indicator]:
    """Read an indicator CSV and, when present beside it, its 2020 statements file."""
    path = Path(path)
    rows = _read_csv(path, REQUIRED_COLUMNS)
    indicators: dict[int, Indicator] = {}
    for line, row in rows:
        indicator = _parse_indicator(path, line, row)
        if indicator.id in indicators:
            raise KasusError(f"{path}:{line}: duplicate indicator id {indicator.id}")
        indicators[indicator.id] = indicator
    extra = statements_path(path)
    if extra.exists():
        _merge_statements(extra, indicators)
    return sorted(indicators.values(), key=lambda indicator: indicator.id)


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in required if name not in (reader.fieldnames or [])]
            if missing:
                raise KasusError(
                    f"{path}:1: missing column(s) {', '.join(missing)}",
                    "use the header of the shipped indicators.csv",
                )
            return [(reader.line_num, row) for row in reader]
    except FileNotFoundError:
        raise KasusError(f"{path}: no such indicator file") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise KasusError(f"{path}: not a readable CSV file ({error})", "save it as UTF-8") from None


def _number(path: Path, line: int, column: str, text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise KasusError(
            f"{path}:{line}: {column} value {text!r} is not a number",
            "write decimals with a dot, or leave it empty",
        ) from None


def _integer(path: Path, line: int, column: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise KasusError(f"{path}:{line}: {column} {text!r} is not a whole number") from None


def _parse_indicator(path: Path, line: int, row: dict[str, str]) -> Indicator:
    values = tuple(
        IndicatorValue(year=year, value=value)
        for column, year in YEAR_COLUMNS.items()
        if (value := _number(path, line, column, row[column] or "")) is not None
    )
    if not (row["name_nb"] or "").strip():
        raise KasusError(f"{path}:{line}: indicator has no name_nb")
    desired = (row.get(DESIRED_COLUMN) or "neither").strip()
    if desired not in DIRECTIONS:
        raise KasusError(f"{path}:{line}: desired {desired!r} is not one of "
                         f"{', '.join(DIRECTIONS)}", "say which way is better: up, down, neither")
    return Indicator(
        id=_integer(path, line, "id", row["id"] or ""),
        area=row["area"].strip(),
        type=(row["type"] or "").strip(),
        name_nb=row["name_nb"].strip(),
        source=(row["source"] or "").strip(),
        unit=(row["unit"] or "").strip(),
        note=(row["note"] or "").strip(),
        values=values,
        desired=desired,
    )


def _merge_statements(path: Path, indicators: dict[int, Indicator]) -> None:
    for line, row in _read_csv(path, STATEMENT_COLUMNS):
        indicator_id = _integer(path, line, "id", row["id"] or "")
        if indicator_id not in indicators:
            raise KasusError(f"{path}:{line}: statement for unknown indicator {indicator_id}")
        statement = IndicatorValue(
            year=_integer(path, line, "year", row["year"] or ""),
            value=_number(path, line, "value", row["value"] or ""),
            qualifier=(row["qualifier"] or "").strip(),
            kind=(row["kind"] or "level").strip(),
            origin="final2021",
            confidence=(row["confidence"] or "").strip(),
            quote=(row["quote"] or "").strip(),
            note=(row["note"] or "").strip(),
        )
        old = indicators[indicator_id]
        indicators[indicator_id] = Indicator(
            **{**old.__dict__, "values": (*old.values, statement)}
        )


def sync_indicators(db: Database, indicators: list[Indicator]) -> None:
    """Store an indicator set, replacing earlier values; evidence links keep their ids."""
    db.table("indicators").upsert_all(
        (
            {key: getattr(ind, key) for key in ("id", "area", "type", "name_nb", "source",
                                               "unit", "note", "desired")}
            for ind in indicators
        ),
        pk="id",
    )
    _upsert_values(db, indicators)


VALUE_KEY = ("indicator_id", "origin", "year", "kind", "seq")


def _upsert_values(db: Database, indicators: list[Indicator]) -> None:
    # Values keep their row ids across a re-sync (a judgement may cite one); a value no longer
    # in the files is deleted, a changed one updated in place.
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for ind in indicators:
        for value in ind.values:
            row = {"indicator_id": ind.id, **value.__dict__, "seq": 0}
            while (key := tuple(row[k] for k in VALUE_KEY)) in rows:
                row["seq"] += 1
            rows[key] = row
    stored = {tuple(r[k] for k in VALUE_KEY): r["id"] for r in db.table("indicator_values").rows}
    for key, row_id in stored.items():
        if key not in rows:
            db.table("indicator_values").delete(row_id)
    for key, row in rows.items():
        if key in stored:
            db.table("indicator_values").update(stored[key], row)
        else:
            db.table("indicator_values").insert(row)


def _from_rows(row: dict[str, Any], values: list[dict[str, Any]]) -> Indicator:
    return Indicator(
        id=row["id"], area=row["area"], type=row["type"] or "", name_nb=row["name_nb"],
        source=row["source"] or "", unit=row["unit"] or "", note=row["note"] or "",
        desired=row["desired"],
        values=tuple(
            IndicatorValue(
                year=v["year"], value=v["value"], qualifier=v["qualifier"] or "",
                kind=v["kind"], origin=v["origin"], confidence=v["confidence"] or "",
                quote=v["quote"] or "", note=v["note"] or "",
            )
            for v in values
        ),
    )


def list_indicators(db: Database) -> list[Indicator]:
    """Every indicator of the project with all its values, by id."""
    values: dict[int, list[dict[str, Any]]] = {}
    for value in db.table("indicator_values").rows_where(order_by="indicator_id, year, id"):
        values.setdefault(value["indicator_id"], []).append(value)
    return [_from_rows(row, values.get(row["id"], [])) for row in
            db.table("indicators").rows_where(order_by="id")]


def get_indicator(db: Database, indicator_id: int) -> Indicator:
    """One indicator with its values, or NotFoundError."""
    rows = list(db.table("indicators").rows_where("id = ?", [indicator_id]))
    if not rows:
        raise NotFoundError(f"no indicator {indicator_id}", "see `kasus indicators` for ids")
    values = list(db.table("indicator_values").rows_where("indicator_id = ?", [indicator_id],
                                                    order_by="year, id"))
    return _from_rows(rows[0], values)


def linked_codes(db: Database, indicator_id: int) -> list[str]:
    """Ids of the codes whose codebook entry names this indicator as a measure of the code
    (not those that read it only as context)."""
    rows = db.query(
        "SELECT code_id FROM code_indicators JOIN codes ON codes.id = code_id "
        "WHERE indicator_id = ? AND context = 0 ORDER BY codes.position",
        [indicator_id],
    )
    return [row["code_id"] for row in rows]


def trend(indicator: Indicator) -> Trend:
    """The indicator's trend, judged by the direction its desired column gives."""
    return judge_trend(indicator, indicator.desired)
