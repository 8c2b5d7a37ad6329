"""Undo and redo per coder, kept in the audit log so they survive a restart.

Every undoable audit entry names its entity; each entity kind has one reverter, and an entry
of a kind without one is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from kasus.audit import record
from kasus.coding import batch, codings
from kasus.corpus import pseudonymise
from kasus.errors import KasusError
from kasus.evidence import links
from kasus.review import decisions
from kasus.store import transaction

Reverter = Callable[[Database, dict[str, Any], bool], str]
REVERTERS: dict[str, Reverter] = {
    "coding": codings.revert_entry,
    "coding_batch": batch.revert_batch,
    "review_decision": decisions.revert_decision,
    "evidence_link": links.revert_link,
    "pseudonymisation": pseudonymise.refuse_undo,
}


@dataclass(frozen=True)
class Step:
    """One undone or redone change: the audit entry's action and entity, and what it did."""

    action: str
    entity: str
    entity_id: str
    done: str


def _entry(db: Database, actor: str, state: str, newest: bool) -> dict[str, Any] | None:
    order = "DESC" if newest else "ASC"
    rows = list(db.query(
        f"SELECT * FROM audit_log WHERE actor = ? AND undo_state = ? ORDER BY id {order} LIMIT 1",
        [actor, state],
    ))
    return rows[0] if rows else None


def _changed_by_others(db: Database, entry: dict[str, Any]) -> str | None:
    # Undo never reaches across coders: if someone else changed the same record later, this
    # entry's "before" is no longer the state to go back to.
    row = db.execute(
        "SELECT actor FROM audit_log WHERE entity = ? AND entity_id = ? AND id > ? "
        "AND actor != ? AND action NOT IN ('undo', 'redo') ORDER BY id LIMIT 1",
        [entry["entity"], entry["entity_id"], entry["id"], entry["actor"]],
    ).fetchone()
    return None if row is None else str(row[0])


def _step(db: Database, actor: str, forward: bool) -> Step | None:
    # Undo takes the newest 'done' entry; redo the oldest 'undone' one, which is the one
    # undone last, because any new action drops the undone entries.
    source, target = ("undone", "done") if forward else ("done", "undone")
    with transaction(db):
        entry = _entry(db, actor, source, newest=not forward)
        if entry is None:
            return None
        reverter = REVERTERS.get(entry["entity"])
        if reverter is None:
            raise KasusError(f"audit entry {entry['id']} ({entry['action']}) cannot be undone: "
                             f"kasus has no undo for {entry['entity']!r}")
        other = _changed_by_others(db, entry)
        if other is None:
            done = reverter(db, entry, forward)
            db.table("audit_log").update(entry["id"], {"undo_state": target})
            record(db, actor, "redo" if forward else "undo", "audit_log", entry["id"],
                   before={"action": entry["action"]})
            return Step(entry["action"], entry["entity"], entry["entity_id"], done)
        db.table("audit_log").update(entry["id"], {"undo_state": "dropped"})
    raise KasusError(
        f"cannot {'redo' if forward else 'undo'} {entry['action']} of {entry['entity']} "
        f"{entry['entity_id']}: {other} changed it since",
        f"it stays as {other} left it; `kasus {'redo' if forward else 'undo'}` goes on with "
        "your other changes",
    )


def undo(db: Database, actor: str) -> Step | None:
    """Undo the actor's most recent change; None when there is nothing to undo."""
    return _step(db, actor, forward=False)


def redo(db: Database, actor: str) -> Step | None:
    """Redo the change the actor undid last; None when there is nothing to redo."""
    return _step(db, actor, forward=True)
