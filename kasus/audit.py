"""The audit log: every change a user makes, with who, when, and the state before and after."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from kasus.store.schema import ensure_coder


def now() -> str:
    """The current time as an ISO-8601 UTC string, the one timestamp format of the store."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def record(
    db: Database,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int | None,
    before: Any = None,
    after: Any = None,
    undoable: bool = False,
) -> int:
    """Append one audit entry inside the caller's transaction and return its id; the actor
    joins the project's coders."""
    ensure_coder(db, actor)
    row = {
        "at": now(),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": None if before is None else json.dumps(before, ensure_ascii=False),
        "after": None if after is None else json.dumps(after, ensure_ascii=False),
        "undo_state": "done" if undoable else None,
    }
    # A plain INSERT, not sqlite-utils' insert(): that takes a savepoint and looks the table
    # up each time, and an import records a row per note (0.1 ms each).
    cursor = db.execute(f"INSERT INTO audit_log ({', '.join(row)}) "
                        f"VALUES ({', '.join('?' * len(row))})", list(row.values()))
    return int(cursor.lastrowid or 0)
