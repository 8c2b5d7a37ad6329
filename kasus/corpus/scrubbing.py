"""Replacing names where the text of record is not: coding memos, earlier versions of a note
and its audit trail, so that nothing of the originals stays in a pseudonymised project."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.corpus.replacing import OffsetMap, Pseudonymiser, apply
from kasus.documents import content_hash


def memos_to_replace(db: Database, document_id: str,
                     replacer: Pseudonymiser) -> list[tuple[int, str]]:
    """Each coding memo of the document that names someone, with its new text."""
    rows = db.execute("SELECT id, memo FROM codings WHERE document_id = ? AND memo != '' "
                      "ORDER BY id", [document_id]).fetchall()
    return [(coding_id, new) for coding_id, memo in rows if (new := replacer.text(memo)) != memo]


def replace_in_memos(db: Database, document_id: str, replacer: Pseudonymiser,
                     actor: str) -> int:
    """Replace names in the coding memos of a note; returns how many changed."""
    # A memo is the coder's own words, but "ring Kari" in it names her as well as the note.
    memos = memos_to_replace(db, document_id, replacer)
    for coding_id, memo in memos:
        db.execute("UPDATE codings SET memo = ?, updated_at = ? WHERE id = ?",
                   [memo, now(), coding_id])
        record(db, actor, "coding.pseudonymise", "coding", coding_id, after={"memo": memo})
    return len(memos)


def scrub_earlier_versions(db: Database, document_id: str, replacer: Pseudonymiser) -> int:
    """Replace names in a note's earlier versions; returns how many changed.

    Earlier versions are kept for the reviews that refer to them: their text is replaced
    too, and their segments moved exactly, so units keep their meaning.
    """
    rows = db.execute("SELECT version, text FROM document_versions WHERE document_id = ? AND "
                      "version < (SELECT version FROM documents WHERE id = ?)",
                      [document_id, document_id]).fetchall()
    changed = 0
    for version, text in rows:
        found = replacer.replacements(text)
        if not found:
            continue
        changed += 1
        new_text = apply(text, found)
        db.execute("UPDATE document_versions SET text = ?, content_hash = ? "
                   "WHERE document_id = ? AND version = ?",
                   [new_text, content_hash(new_text), document_id, version])
        offsets = OffsetMap(found)
        segments = db.execute('SELECT id, start, "end" FROM segments WHERE document_id = ? '
                              "AND version = ?", [document_id, version]).fetchall()
        db.conn.executemany('UPDATE segments SET start = ?, "end" = ? WHERE id = ?',
                            [(offsets.start(s), offsets.end(e), i) for i, s, e in segments])
    return changed


def scrub_audit(db: Database, document_id: str, replacer: Pseudonymiser) -> None:
    """Replace names in the audit entries of a note and its codings (their quotes, memos)."""
    rows = db.execute(
        "SELECT id, before, after FROM audit_log WHERE "
        "(entity = 'document' AND entity_id = ?) OR (entity = 'coding' AND entity_id IN "
        "(SELECT CAST(id AS TEXT) FROM codings WHERE document_id = ?))",
        [document_id, document_id]).fetchall()
    for entry_id, before, after in rows:
        cleaned = [_scrub_json(value, replacer) for value in (before, after)]
        if cleaned != [before, after]:
            db.execute("UPDATE audit_log SET before = ?, after = ? WHERE id = ?",
                       [*cleaned, entry_id])


def _scrub_json(raw: str | None, replacer: Pseudonymiser) -> str | None:
    if raw is None:
        return None
    value = json.loads(raw)
    cleaned = _scrub_value(value, replacer)
    return raw if cleaned == value else json.dumps(cleaned, ensure_ascii=False)


def _scrub_value(value: Any, replacer: Pseudonymiser) -> Any:
    if isinstance(value, str):
        return replacer.text(value)
    if isinstance(value, list):
        return [_scrub_value(item, replacer) for item in value]
    if isinstance(value, dict):
        return {k: _scrub_value(v, replacer) for k, v in value.items()}
    return value
