"""The pseudonym key: placeholder → original, in an owner-only folder beside the project.

The key never goes into the project file, so a project can be shared without it; whoever holds
the key can read the placeholders back.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kasus.corpus.names import Entity
from kasus.errors import KasusError

KEY_FILE = "pseudonyms.json"
FORMAT = 1
# The placeholder word for each identifier kind.
IDENTIFIER_WORDS = {"phone": "TLF", "email": "EPOST", "fnr": "FNR"}
PLACEHOLDER = re.compile(r"\[([A-Z]+)-(\d+)\]")


def key_folder(project: str | Path) -> Path:
    """study.db → study.db.key/ beside it."""
    path = Path(project).resolve()
    return path.with_name(f"{path.name}.key")


@dataclass
class KeyEntity:
    """A person or place of the key, with the placeholder it always gets."""

    placeholder: str
    name: str
    aliases: list[str] = field(default_factory=list)

    @property
    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Key:
    """Every placeholder of a project and what it stands for."""

    path: Path
    entities: list[KeyEntity] = field(default_factory=list)
    # (kind, canonical value) -> placeholder
    identifiers: dict[tuple[str, str], str] = field(default_factory=dict)
    changed: bool = False

    def _next(self, word: str) -> str:
        used = [int(m.group(2)) for p in self.placeholders()
                if (m := PLACEHOLDER.fullmatch(p)) and m.group(1) == word]
        return f"[{word}-{max(used, default=0) + 1}]"

    def placeholders(self) -> list[str]:
        return [e.placeholder for e in self.entities] + list(self.identifiers.values())

    def add_names(self, names: list[Entity]) -> int:
        """Take in a names list: a known entity (by name) gains new aliases, a new one its
        placeholder. Returns how many entities are new."""
        by_name = {e.name: e for e in self.entities}
        added = 0
        for entity in names:
            known = by_name.get(entity.name)
            if known is None:
                known = KeyEntity(self._next(entity.kind), entity.name)
                self.entities.append(known)
                by_name[entity.name] = known
                added += 1
                self.changed = True
            new = [a for a in entity.aliases if a not in known.forms]
            if new:
                known.aliases.extend(new)
                self.changed = True
        return added

    def identifier(self, kind: str, value: str) -> str:
        """The placeholder of a phone number, e-mail address or fødselsnummer, new if unseen."""
        placeholder = self.identifiers.get((kind, value))
        if placeholder is None:
            placeholder = self._next(IDENTIFIER_WORDS[kind])
            self.identifiers[(kind, value)] = placeholder
            self.changed = True
        return placeholder

    def originals(self) -> dict[str, str]:
        """Placeholder → what it stands for."""
        found = {e.placeholder: e.name for e in self.entities}
        found.update({p: value for (_, value), p in self.identifiers.items()})
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "entities": [{"placeholder": e.placeholder, "name": e.name, "aliases": e.aliases}
                         for e in self.entities],
            "identifiers": [{"placeholder": p, "kind": kind, "value": value}
                            for (kind, value), p in self.identifiers.items()],
        }

    def save(self) -> None:
        """Write the key whole or not at all, owner-only; a no-op when nothing changed."""
        if not self.changed:
            return
        folder = self.path.parent
        _owner_only_folder(folder)
        partial = folder / f".{self.path.name}.partial"
        fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self.as_json(), handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, self.path)
        os.chmod(self.path, 0o600)
        self.changed = False


def _owner_only_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)  # mkdir's mode is cut by the umask, and an old folder may be wider


def load_key(project: str | Path) -> Key:
    """The project's key, or an empty one when it has none yet (nothing is created)."""
    path = key_folder(project) / KEY_FILE
    if not path.exists():
        return Key(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entities = [KeyEntity(str(e["placeholder"]), str(e["name"]),
                              [str(a) for a in e.get("aliases", [])])
                    for e in data["entities"]]
        identifiers = {(str(i["kind"]), str(i["value"])): str(i["placeholder"])
                       for i in data["identifiers"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise KasusError(f"{path}: unreadable pseudonym key ({error})",
                         "restore it from your backup; without it placeholders cannot be "
                         "kept stable") from None
    return Key(path, entities, identifiers)


@contextmanager
def locked_key(project: str | Path) -> Iterator[Key]:
    """The key, held against other kasus processes until the block ends: two imports at once
    must not give two people the same placeholder."""
    folder = key_folder(project)
    _owner_only_folder(folder)
    fd = os.open(folder / ".lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        key = load_key(project)
        yield key
        key.save()
    finally:
        os.close(fd)
