"""A project's codes: brought in line with a codebook, listed, counted, looked up."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.errors import NotFoundError
from kasus.model import Code
from kasus.store.schema import code_guid


@dataclass(frozen=True)
class Codebook:
    name: str
    codes: tuple[Code, ...]
    path: str = ""

    def by_id(self) -> dict[str, Code]:
        return {code.id: code for code in self.codes}


@dataclass
class CodebookChanges:
    """What loading a codebook did to a project's codes; nothing is ever deleted."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    unchanged: int = 0


def _code_row(code: Code, status: str) -> dict[str, Any]:
    return {
        "id": code.id,
        "parent_id": code.parent_id,
        "kind": code.kind,
        "label_nb": code.label_nb,
        "label_en": code.label_en,
        "definition": code.definition,
        "include": code.include,
        "exclude": code.exclude,
        "examples": json.dumps(code.examples, ensure_ascii=False),
        "keywords": json.dumps(code.keywords, ensure_ascii=False),
        "colour": code.colour,
        "position": code.position,
        "status": status,
    }


_COMPARED = ("parent_id", "kind", "label_nb", "label_en", "definition", "include", "exclude",
             "examples", "keywords", "colour", "position")


def sync_codebook(db: Database, codebook: Codebook, actor: str) -> CodebookChanges:
    """Bring the project's codes in line with a codebook, inside the caller's transaction.

    New codes are added and changed ones updated; codes missing from the file are kept as
    retired with all their codings, so a codebook edit can never lose coded work.
    """
    changes = CodebookChanges()
    stored = {row["id"]: row for row in db.table("codes").rows}
    stored_links = _stored_links(db, with_context=True)
    stored_goals = _stored_goals(db)
    # Insert parents before children: foreign keys are checked per statement.
    for code in codebook.codes:
        row = _code_row(code, "active")
        old = stored.get(code.id)
        if old is None:
            db.table("codes").insert({**row, "guid": code_guid(code.id), "updated_at": now()})
            changes.added.append(code.id)
        elif old["status"] == "retired" or any(old[key] != row[key] for key in _COMPARED):
            db.table("codes").update(code.id, {**row, "updated_at": now()})
            (changes.reactivated if old["status"] == "retired" else changes.updated).append(
                code.id
            )
        else:
            changes.unchanged += 1
        wanted = {(i, 0) for i in code.indicators} | {(i, 1) for i in code.context_indicators}
        if wanted != stored_links.get(code.id, set()) or \
                set(code.goals) != stored_goals.get(code.id, set()):
            db.execute("DELETE FROM code_indicators WHERE code_id = ?", [code.id])
            db.table("code_indicators").insert_all(
                {"code_id": code.id, "indicator_id": i, "context": c} for i, c in sorted(wanted))
            db.execute("DELETE FROM code_goals WHERE code_id = ?", [code.id])
            db.table("code_goals").insert_all(
                {"code_id": code.id, "goal_id": goal} for goal in code.goals)
            if old is not None and code.id not in changes.updated + changes.reactivated:
                changes.updated.append(code.id)
    in_file = {code.id for code in codebook.codes}
    for code_id, row in stored.items():
        if code_id not in in_file and row["status"] == "active":
            db.table("codes").update(code_id, {"status": "retired", "updated_at": now()})
            changes.retired.append(code_id)
    record(db, actor, "codebook.load", "codebook", codebook.path, after={
        "added": changes.added, "updated": changes.updated,
        "retired": changes.retired, "reactivated": changes.reactivated,
    })
    return changes


def _stored_links(db: Database, with_context: bool = False) -> dict[str, set[Any]]:
    links: dict[str, set[Any]] = {}
    for row in db.table("code_indicators").rows:
        if with_context:
            links.setdefault(row["code_id"], set()).add((row["indicator_id"], row["context"]))
        elif not row["context"]:
            links.setdefault(row["code_id"], set()).add(row["indicator_id"])
    return links


def _stored_goals(db: Database) -> dict[str, set[str]]:
    goals: dict[str, set[str]] = {}
    for row in db.table("code_goals").rows:
        goals.setdefault(row["code_id"], set()).add(row["goal_id"])
    return goals


def _row_to_code(row: dict[str, Any], indicators: tuple[int, ...]) -> Code:
    return Code(
        id=row["id"],
        parent_id=row["parent_id"],
        kind=row["kind"],
        label_nb=row["label_nb"],
        label_en=row["label_en"],
        colour=row["colour"],
        definition=row["definition"],
        include=row["include"],
        exclude=row["exclude"],
        examples=tuple(json.loads(row["examples"])),
        keywords=tuple(json.loads(row["keywords"])),
        indicators=indicators,
        status=row["status"],
        position=row["position"],
    )


def list_codes(db: Database, include_retired: bool = True) -> list[Code]:
    """Every code of the project in codebook order (retired ones last)."""
    links = _stored_links(db, with_context=True)
    goals = _stored_goals(db)
    where = None if include_retired else "status = 'active'"
    rows = db.table("codes").rows_where(where, order_by="status = 'retired', position")
    codes = []
    for row in rows:
        found = links.get(row["id"], set())
        code = _row_to_code(row, tuple(sorted(i for i, context in found if not context)))
        codes.append(replace(code, context_indicators=tuple(sorted(
            i for i, context in found if context)), goals=tuple(sorted(goals.get(row["id"], ())))))
    return codes


# One walk down the tree over parent_id; code ids are names, not paths, so a prefix such as
# 'rop.%' would miss a sub-code that was moved or named otherwise.
SUBTREE_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM codes WHERE id = ?
    UNION SELECT codes.id FROM codes JOIN subtree ON codes.parent_id = subtree.id
)
SELECT id FROM subtree
"""


def require_code(db: Database, code_id: str) -> None:
    """Refuse a code id the project does not have, offering the nearest ones."""
    if db.execute("SELECT 1 FROM codes WHERE id = ?", [code_id]).fetchone():
        return
    from rapidfuzz import process

    known = [row[0] for row in db.execute("SELECT id FROM codes")]
    near = [match for match, _, _ in process.extract(code_id, known, limit=3)]
    raise NotFoundError(f"no code {code_id!r}",
                        f"did you mean {', '.join(near)}? (see `kasus codebook`)")


def code_families(db: Database) -> dict[str, tuple[str | None, str | None]]:
    """Per code, the goal and the theme above it (or itself), found over parent_id: the
    columns a coded-segments table groups by."""
    rows = {row[0]: (row[1], row[2]) for row in db.execute("SELECT id, parent_id, kind FROM codes")}
    families: dict[str, tuple[str | None, str | None]] = {}
    for code_id in rows:
        goal = theme = None
        current: str | None = code_id
        seen: set[str] = set()
        while current is not None and current in rows and current not in seen:
            seen.add(current)
            parent, kind = rows[current]
            goal = goal or (current if kind == "goal" else None)
            theme = theme or (current if kind == "theme" else None)
            current = parent
        families[code_id] = (goal, theme)
    return families


def code_subtree(db: Database, code_id: str) -> list[str]:
    """A code's id and the ids of every code below it in the tree."""
    return [row[0] for row in db.execute(SUBTREE_SQL, [code_id]).fetchall()]


def code_counts(db: Database, document_id: str | None = None) -> dict[str, int]:
    """Live codings per code, for the whole project or one document."""
    sql = "SELECT code_id, count(*) AS n FROM codings WHERE removed_at IS NULL"
    params: list[Any] = []
    if document_id is not None:
        sql += " AND document_id = ?"
        params.append(document_id)
    sql += " GROUP BY code_id"
    return {row["code_id"]: row["n"] for row in db.query(sql, params)}


def most_used(db: Database, limit: int = 9) -> list[str]:
    """The active codes used most often in the project, most used first, ties in codebook
    order: what the TUI's digit keys apply."""
    rows = db.query(
        "SELECT codes.id FROM codes JOIN codings ON codings.code_id = codes.id "
        "WHERE codes.status = 'active' AND codings.removed_at IS NULL "
        "GROUP BY codes.id ORDER BY count(*) DESC, codes.position LIMIT ?",
        [limit],
    )
    return [row["id"] for row in rows]


def arrange_quick_codes(pinned: list[str], used: list[str], active: set[str],
                        slots: int = 9) -> list[str]:
    """The code on each digit key: a digit keeps the code it shows (pinned), a free digit
    takes the most used code not yet on a digit, a retired code gives its digit up; "" is a
    free digit with nothing to offer yet."""
    digits = [code if code in active else "" for code in [*pinned, *[""] * slots][:slots]]
    fill = iter(code for code in used if code not in set(digits) and code in active)
    return [code or next(fill, "") for code in digits]


def pin_quick_code(quick: list[str], digit: int, code_id: str) -> list[str]:
    """Put a code on a digit (1-based); the code that was there takes the code's old digit."""
    quick = list(quick)
    old = quick[digit - 1]
    if code_id in quick:
        quick[quick.index(code_id)] = old
    quick[digit - 1] = code_id
    return quick
