"""Load and validate codebook.yaml, and bring a project's codes in line with it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlite_utils import Database

from kasus.audit import now, record
from kasus.errors import CodebookError, NotFoundError
from kasus.model import Code
from kasus.safe_yaml import YamlProblem, load_yaml
from kasus.store.schema import code_guid

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
# Labels and names are printed on one line in tables and the TUI; longer texts may break
# lines. Neither may hold terminal control codes or bidi overrides (they would reach the
# terminal or reorder what the coder reads).
_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _refuse_unsafe(value: str, pattern: re.Pattern[str]) -> str:
    found = pattern.search(value)
    if found:
        raise ValueError(f"{value!r} holds the control or bidi character "
                         f"U+{ord(found.group()):04X}; remove it")
    return value


class _CodeEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Literal["goal", "theme", "code"] = "code"
    parent: str | None = None
    label_nb: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = []
    keywords: list[str] = []
    colour: str
    indicators: list[int] = []
    # Indicators the code is read beside but that do not measure it (they predate it, say).
    context_indicators: list[int] = []
    # For a theme: the main goals its evidence counts for (housing evidence is goal-4 evidence).
    goals: list[str] = []

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f"id {value!r} must be lowercase letters/digits joined by . or -")
        return value

    @field_validator("label_nb", "label_en")
    @classmethod
    def _one_safe_line(cls, value: str) -> str:
        return _refuse_unsafe(value, _UNSAFE_IN_LINE)

    @field_validator("definition", "include", "exclude", "examples", "keywords")
    @classmethod
    def _safe_text(cls, value: str | list[str]) -> str | list[str]:
        for text in [value] if isinstance(value, str) else value:
            _refuse_unsafe(text, _UNSAFE_IN_TEXT)
        return value

    @field_validator("colour")
    @classmethod
    def _colour_shape(cls, value: str) -> str:
        if not COLOUR_PATTERN.match(value):
            raise ValueError(f"colour {value!r} is not #rrggbb (for example #4e79a7)")
        return value.lower()


class _CodebookFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    name: str = ""
    codes: list[_CodeEntry] = Field(min_length=1)

    @field_validator("name")
    @classmethod
    def _one_safe_line(cls, value: str) -> str:
        return _refuse_unsafe(value, _UNSAFE_IN_LINE)


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


# The shipped codebook is under 100 KB; a file twenty times that is not a codebook, and
# PyYAML would take minutes over it.
MAX_CODEBOOK_BYTES = 2 * 1024 * 1024
def load_codebook(path: str | Path, indicator_ids: Iterable[int] | None = None) -> Codebook:
    """Read and validate a codebook file; errors name file:line and what to fix."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CODEBOOK_BYTES:
            raise CodebookError(
                f"{path}: codebook too large ({size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_CODEBOOK_BYTES // 1024 // 1024} MB)", "check that this is the codebook")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodebookError(f"{path}: no such codebook file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CodebookError(f"{path}: cannot read codebook ({error})", "save it as UTF-8") from None
    root, data = _parse_yaml(path, text)
    lines = _line_index(root)
    try:
        parsed = _CodebookFile.model_validate(data)
    except ValidationError as error:
        raise _validation_error(path, error, lines, data) from None
    _check_references(path, parsed, lines, indicator_ids)
    codes = tuple(_to_code(entry, position) for position, entry in enumerate(parsed.codes))
    return Codebook(name=parsed.name, codes=codes, path=str(path))


def _parse_yaml(path: Path, text: str) -> tuple[yaml.Node | None, Any]:
    try:
        root, data = load_yaml(text)
    except YamlProblem as problem:
        where = f"{path}:{problem.line}" if problem.line else f"{path}"
        raise CodebookError(f"{where}: {problem.problem}", problem.hint) from None
    if not isinstance(data, dict):
        raise CodebookError(f"{path}:1: a codebook is a mapping with a 'codes:' list")
    return root, data


def _line_index(node: yaml.Node | None, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """Map each YAML path (keys and list indexes) to its 1-based line in the file."""
    lines: dict[tuple[Any, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, key_node.value)
            lines[key_path] = key_node.start_mark.line + 1
            lines.update(_line_index(value_node, key_path))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            lines[item_path] = item.start_mark.line + 1
            lines.update(_line_index(item, item_path))
    return lines


def _line_for(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return 1


def _validation_error(
    path: Path, error: ValidationError, lines: dict[tuple[Any, ...], int], data: Any
) -> CodebookError:
    first = error.errors()[0]
    loc = tuple(first["loc"])
    where = ""
    if len(loc) >= 2 and loc[0] == "codes" and isinstance(loc[1], int):
        entry = data["codes"][loc[1]]
        code_id = entry.get("id") if isinstance(entry, dict) else None
        where = f"code {code_id!r}: " if code_id else f"code #{loc[1] + 1}: "
    field_name = str(loc[-1]) if loc and not isinstance(loc[-1], int) else ""
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        message = f"missing field '{field_name}'"
    elif first["type"] == "extra_forbidden":
        message = f"unknown field '{field_name}'"
    elif field_name and field_name not in message:
        message = f"{field_name}: {message}"
    return CodebookError(f"{path}:{_line_for(lines, loc)}: {where}{message}")


def _check_references(
    path: Path,
    parsed: _CodebookFile,
    lines: dict[tuple[Any, ...], int],
    indicator_ids: Iterable[int] | None,
) -> None:
    seen: dict[str, int] = {}
    for index, entry in enumerate(parsed.codes):
        line = lines.get(("codes", index, "id"), 1)
        if entry.id in seen:
            raise CodebookError(
                f"{path}:{line}: duplicate code id {entry.id!r} (first defined on line "
                f"{seen[entry.id]})",
                "give each code its own id",
            )
        seen[entry.id] = line
    for index, entry in enumerate(parsed.codes):
        if entry.parent is not None and entry.parent not in seen:
            raise CodebookError(
                f"{path}:{lines.get(('codes', index, 'parent'), 1)}: code {entry.id!r} has "
                f"unknown parent {entry.parent!r}", "use the id of a code defined in this file",
            )
    # Cycles before order: in a cycle some code always comes before its parent, and saying
    # so would hide the real fault.
    _check_cycles(path, parsed, lines)
    defined: set[str] = set()
    for index, entry in enumerate(parsed.codes):
        line = lines.get(("codes", index, "parent"), 1)
        if entry.parent is not None and entry.parent not in defined:
            raise CodebookError(
                f"{path}:{line}: code {entry.id!r} comes before its parent {entry.parent!r} "
                f"(line {seen[entry.parent]})",
                "list every parent above its sub-codes",
            )
        defined.add(entry.id)
    _check_goals(path, parsed, lines)
    if indicator_ids is None:
        return
    known = set(indicator_ids)
    for index, entry in enumerate(parsed.codes):
        for position, indicator in enumerate([*entry.indicators, *entry.context_indicators]):
            if indicator not in known:
                line = _line_for(lines, ("codes", index, "indicators", position))
                raise CodebookError(
                    f"{path}:{line}: code {entry.id!r} links unknown indicator {indicator}",
                    "use an id from the project's indicators (kasus indicators)",
                )


def _check_goals(path: Path, parsed: _CodebookFile, lines: dict[tuple[Any, ...], int]) -> None:
    goals = {entry.id for entry in parsed.codes if entry.kind == "goal"}
    for index, entry in enumerate(parsed.codes):
        for position, goal in enumerate(entry.goals):
            if goal not in goals:
                line = _line_for(lines, ("codes", index, "goals", position))
                raise CodebookError(f"{path}:{line}: code {entry.id!r} counts for {goal!r}, "
                                    "which is not a goal", "name goal codes such as hm4")


def _check_cycles(path: Path, parsed: _CodebookFile, lines: dict[tuple[Any, ...], int]) -> None:
    parents = {entry.id: entry.parent for entry in parsed.codes}
    for index, entry in enumerate(parsed.codes):
        seen = {entry.id}
        parent = entry.parent
        while parent is not None:
            if parent in seen:
                line = lines.get(("codes", index, "parent"), 1)
                raise CodebookError(
                    f"{path}:{line}: code {entry.id!r} is its own ancestor (parent cycle)",
                    "point parent at a code higher up the tree",
                )
            seen.add(parent)
            parent = parents.get(parent)


def _to_code(entry: _CodeEntry, position: int) -> Code:
    return Code(
        id=entry.id,
        parent_id=entry.parent,
        kind=entry.kind,
        label_nb=entry.label_nb.strip(),
        label_en=entry.label_en.strip(),
        colour=entry.colour,
        definition=entry.definition.strip(),
        include=entry.include.strip(),
        exclude=entry.exclude.strip(),
        examples=tuple(entry.examples),
        keywords=tuple(entry.keywords),
        indicators=tuple(entry.indicators),
        context_indicators=tuple(entry.context_indicators),
        goals=tuple(entry.goals),
        position=position,
    )


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
