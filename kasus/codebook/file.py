"""Read and validate a codebook file (codebook.yaml); errors name file:line and what to fix.

Apart from codes.py, which keeps a project's codes: pydantic, which checks the file, takes
~80 ms to import, and the workbench and most commands never read a codebook file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kasus.codebook.codes import Codebook
from kasus.errors import CodebookError
from kasus.model import Code
from kasus.safe_yaml import YamlProblem, load_yaml

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
