"""The names list: the people and places to replace, one entity a row with its aliases."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kasus.errors import KasusError

# The kinds a names file may give, and the placeholder word each becomes.
KINDS = {"person": "PERSON", "informant": "PERSON", "staff": "PERSON", "ansatt": "PERSON",
         "place": "STED", "sted": "STED"}
ALIAS_SEPARATOR = re.compile(r"\s*[;|]\s*")
MAX_NAMES_BYTES = 5_000_000


@dataclass(frozen=True)
class Entity:
    """One person or place: the name it goes by and every other way the notes write it."""

    name: str
    kind: str  # the placeholder word: PERSON or STED
    aliases: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def load_names(path: str | Path) -> list[Entity]:
    """Read a names file: YAML (a 'names:' list of name, kind, aliases) or CSV (columns name,
    kind, aliases, the aliases separated by ';' or '|')."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_NAMES_BYTES:
            raise KasusError(f"{path}: names file over {MAX_NAMES_BYTES // 1_000_000} MB",
                             "a names list is one row per person or place")
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise KasusError(f"{path}: cannot read names file ({error})",
                         "pass a UTF-8 .yaml or .csv file") from None
    rows = _csv_rows(path, raw) if path.suffix.lower() == ".csv" else _yaml_rows(path, raw)
    entities = [_entity(path, where, row) for where, row in rows]
    _refuse_shared_forms(path, entities)
    return entities


def _yaml_rows(path: Path, raw: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise KasusError(f"{path}{line}: YAML syntax error in names file") from None
    entries = data.get("names") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise KasusError(f"{path}: expected a 'names:' list",
                         "each entry: name, kind (person or place), aliases")
    return [(f"entry {number}", entry if isinstance(entry, dict) else {"name": entry})
            for number, entry in enumerate(entries, start=1)]


def _csv_rows(path: Path, raw: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        reader = csv.DictReader(raw.splitlines())
        rows = [(f"line {reader.line_num}", dict(row)) for row in reader]
    except csv.Error as error:
        raise KasusError(f"{path}: unreadable CSV ({error})") from None
    if reader.fieldnames is None or "name" not in reader.fieldnames:
        raise KasusError(f"{path}:1: names table needs a 'name' column",
                         "columns: name, kind, aliases")
    for _, row in rows:
        row["aliases"] = [a for a in ALIAS_SEPARATOR.split(row.get("aliases") or "") if a]
    return rows


def _entity(path: Path, where: str, row: dict[str, Any]) -> Entity:
    name = _form(row.get("name"))
    if not name:
        raise KasusError(f"{path}: {where} has no name")
    kind = str(row.get("kind") or "person").strip().casefold()
    if kind not in KINDS:
        raise KasusError(f"{path}: {where} ({name}): kind {kind!r} is not one of "
                         f"{', '.join(KINDS)}")
    aliases = row.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list):
        raise KasusError(f"{path}: {where} ({name}): aliases must be a list")
    forms = [_form(alias) for alias in aliases]
    return Entity(name, KINDS[kind], tuple(dict.fromkeys(f for f in forms if f and f != name)))


def _form(value: Any) -> str:
    # NFC like every text of record: a names file saved on a Mac may spell "ø" in two parts.
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def _refuse_shared_forms(path: Path, entities: list[Entity]) -> None:
    # One written form standing for two entities would make the placeholder a guess.
    owner: dict[str, str] = {}
    for entity in entities:
        for form in entity.forms:
            other = owner.setdefault(form, entity.name)
            if other != entity.name:
                raise KasusError(f"{path}: {form!r} is given for both {other!r} and "
                                 f"{entity.name!r}", "give each written form to one entity")
