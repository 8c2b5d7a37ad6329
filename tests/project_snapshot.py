"""What a project holds that a migration must keep: codings, memos, links, review decisions,
documents and their versions, by stable identity, as plain JSON-able data.

Only columns of the schema version a fixture was made at are read, so a later migration that
adds columns still compares equal; one that loses or changes a value does not.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

QUERIES = {
    "documents": "SELECT id, guid, identity, site_id, role, version, content_hash, word_count "
                 "FROM documents ORDER BY id",
    "document_versions": "SELECT document_id, version, content_hash FROM document_versions "
                         "ORDER BY document_id, version",
    "codings": 'SELECT c.guid, c.document_id, c.code_id, c.start, c."end", c.quote, c.coder, '
               "c.memo, c.origin, c.status, c.document_version, c.removed_at IS NOT NULL AS "
               "removed FROM codings c ORDER BY c.guid",
    "memos": "SELECT guid, target_kind, target_id, author, text FROM memos ORDER BY guid",
    "evidence_links": "SELECT l.guid, c.guid AS coding, l.indicator_id, l.stance, l.note, "
                      "l.coder, l.removed_at IS NOT NULL AS removed FROM evidence_links l "
                      "JOIN codings c ON c.id = l.coding_id ORDER BY l.guid",
    "review_sessions": "SELECT id, coders, unit, threshold, created_by FROM review_sessions "
                       "ORDER BY id",
    "review_decisions": "SELECT d.guid, d.session_id, d.document_id, d.version, d.unit_kind, "
                        "d.ordinal, d.code_id, d.verdict, d.new_code_id, c.guid AS consensus, "
                        "d.comment, d.reviewer, d.superseded_at IS NOT NULL AS superseded "
                        "FROM review_decisions d LEFT JOIN codings c ON c.id = "
                        "d.consensus_coding_id ORDER BY d.guid",
    "coders": "SELECT name, guid FROM coders ORDER BY name",
    "audit_actions": "SELECT action, count(*) AS n FROM audit_log GROUP BY action "
                     "ORDER BY action",
    "project": "SELECT key, value FROM project WHERE key != 'schema' ORDER BY key",
}


def snapshot(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row that must survive, per table."""
    return {name: [dict(row) for row in db.query(sql)] for name, sql in QUERIES.items()}
