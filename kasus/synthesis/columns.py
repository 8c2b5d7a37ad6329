"""Matrix columns: which codes (or whole goals) the framework matrix shows, what passages a
column counts, and the column choice saved per project."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from kasus.audit import record
from kasus.codebook.codes import code_subtree, require_code
from kasus.errors import KasusError, NotFoundError
from kasus.store import transaction

# The rows of the report's goal-attainment table: the overall escalation, then the five goals.
GOAL_ROWS = ("opptrapping", "hm1", "hm2", "hm3", "hm4", "hm5")
OVERALL_NAMES = ("0", "opptrapping", "overall", "samlet")
# The indicator areas of indicators.csv that measure each row.
GOAL_AREAS = {"opptrapping": "ressursinnsats", **{f"hm{n}": f"hovedmal{n}" for n in range(1, 6)}}
SETTING_KEY = "matrix.columns"


@dataclass(frozen=True)
class MatrixColumn:
    """One column of the matrix: a code (counting its sub-codes) or a whole goal (counting
    its sub-codes and the themes the codebook counts under it)."""

    id: str
    label_nb: str
    label_en: str
    kind: str  # the code's kind: goal, theme or code
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ColumnChoice:
    """What the user chose: the six goal rows, the codes under one goal, or named codes."""

    mode: str = "goals"  # goals | goal | codes
    goal: str | None = None
    codes: tuple[str, ...] = ()


def goal_key(name: str | int) -> str:
    """The code id of a goal row from what a user types: 0/opptrapping/overall or 1–5."""
    text = str(name).strip().casefold()
    if text in OVERALL_NAMES:
        return "opptrapping"
    if text.removeprefix("hm") in {"1", "2", "3", "4", "5"}:
        return f"hm{text.removeprefix('hm')}"
    raise NotFoundError(f"no goal {str(name)!r}",
                        "goals are 0 (opptrapping, the overall row) and 1–5")


def column_codes(db: Database, code_id: str) -> tuple[str, ...]:
    """The codes a column counts: the code and its sub-codes; for a goal row also the
    themes (with their sub-codes) the codebook counts under it, as the goal views do."""
    codes = code_subtree(db, code_id)
    if code_id in GOAL_ROWS:
        for row in db.execute("SELECT code_id FROM code_goals WHERE goal_id = ? "
                              "ORDER BY code_id", [code_id]):
            codes += [c for c in code_subtree(db, row[0]) if c not in codes]
    return tuple(codes)


def column(db: Database, code_id: str) -> MatrixColumn:
    """The column of one code id, refused with the nearest ids when the code is unknown."""
    require_code(db, code_id)
    row = db.execute("SELECT label_nb, label_en, kind FROM codes WHERE id = ?",
                     [code_id]).fetchone()
    return MatrixColumn(code_id, row[0], row[1], row[2], column_codes(db, code_id))


def choice_columns(db: Database, choice: ColumnChoice) -> list[MatrixColumn]:
    """The columns a choice stands for, in its order."""
    if choice.mode == "codes":
        if not choice.codes:
            raise KasusError("a matrix of codes needs at least one code", "pass --codes A,B")
        return [column(db, code_id) for code_id in dict.fromkeys(choice.codes)]
    if choice.mode == "goal" and choice.goal:
        goal = goal_key(choice.goal)
        children = [row[0] for row in db.execute(
            "SELECT id FROM codes WHERE parent_id = ? AND status = 'active' ORDER BY position",
            [goal])]
        themes = [row[0] for row in db.execute(
            "SELECT g.code_id FROM code_goals g JOIN codes c ON c.id = g.code_id "
            "WHERE g.goal_id = ? AND c.status = 'active' ORDER BY c.position", [goal])]
        return [column(db, code_id) for code_id in [goal, *children, *themes]]
    known = {row[0] for row in db.execute("SELECT id FROM codes")}
    return [column(db, code_id) for code_id in GOAL_ROWS if code_id in known]


def saved_choice(db: Database) -> ColumnChoice:
    """The project's column choice (the six goal rows until one is saved)."""
    row = db.execute("SELECT value FROM project WHERE key = ?", [SETTING_KEY]).fetchone()
    if row is None:
        return ColumnChoice()
    data = json.loads(row[0])
    return ColumnChoice(data.get("mode", "goals"), data.get("goal"), tuple(data.get("codes", ())))


def save_choice(db: Database, choice: ColumnChoice, actor: str) -> list[MatrixColumn]:
    """Check and save the project's column choice; returns its columns."""
    columns = choice_columns(db, choice)
    value = json.dumps({"mode": choice.mode, "goal": choice.goal, "codes": list(choice.codes)},
                       ensure_ascii=False)
    with transaction(db):
        before = db.execute("SELECT value FROM project WHERE key = ?", [SETTING_KEY]).fetchone()
        db.execute("INSERT OR REPLACE INTO project (key, value) VALUES (?, ?)",
                   [SETTING_KEY, value])
        record(db, actor, "matrix.columns", "project", SETTING_KEY,
               before=None if before is None else json.loads(before[0]),
               after=json.loads(value))
    return columns
