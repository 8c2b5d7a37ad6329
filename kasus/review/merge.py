"""Merge another coder's project file into this one: their codings, placed on our documents.

The other file is never written: it is copied into memory and read there (migrated in memory
when it comes from an older kasus). Documents are matched by identity, then by content hash;
where the texts differ the codings are re-anchored by the coding engine's rules, and one that
cannot be placed is kept, orphaned, never dropped. A coding's GUID says whether it was merged
before, so merging the same file again adds nothing.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.audit import record
from kasus.coding.anchoring import Span, reanchor_all
from kasus.coding.codings import drop_redo, insert_coding
from kasus.documents import insert_document
from kasus.errors import KasusError, ProjectError
from kasus.store import transaction
from kasus.store.connect import looks_like_sqlite
from kasus.store.schema import MIGRATIONS, check_schema, code_guid, project_uuid


@dataclass
class MergeReport:
    """What a merge brought in, and what it could not place exactly."""

    source: str
    coders: list[str] = field(default_factory=list)
    documents_matched: int = 0
    documents_added: list[str] = field(default_factory=list)
    codings_added: int = 0
    already_there: int = 0
    placed: dict[str, int] = field(default_factory=dict)  # kept / moved / fuzzy / orphaned
    orphaned: list[str] = field(default_factory=list)
    codes_added_retired: list[str] = field(default_factory=list)


def read_other_project(path: Path) -> Database:
    """An in-memory copy of another project file, at the current schema; the file is only read."""
    if not path.is_file():
        raise ProjectError(f"{path}: no such project file", "give the other coder's .db file")
    if not looks_like_sqlite(path):
        raise ProjectError(f"{path}: not a kasus project (not an SQLite file)")
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        memory = sqlite3.connect(":memory:")
        source.backup(memory)
        source.close()
    except sqlite3.DatabaseError as error:
        raise ProjectError(f"{path}: not a readable kasus project ({error})") from None
    other = Database(memory)
    check_schema(other, path)
    if MIGRATIONS.pending(other):
        MIGRATIONS.apply(other)
    return other


def _match_documents(db: Database, other: Database) -> dict[str, str | None]:
    """Other document id -> our document id (None: we do not have it)."""
    by_identity = {row[0]: row[1] for row in db.execute("SELECT identity, id FROM documents")}
    by_hash = {row[0]: row[1] for row in db.execute(
        "SELECT content_hash, document_id FROM document_versions")}
    matches: dict[str, str | None] = {}
    for row in other.execute("SELECT id, identity, content_hash FROM documents"):
        matches[row[0]] = by_identity.get(row[1]) or by_hash.get(row[2])
    return matches


def _add_document(db: Database, other: Database, other_id: str) -> str:
    row = dict(next(other.query("SELECT * FROM documents WHERE id = ?", [other_id])))
    site = next(other.query("SELECT * FROM sites WHERE id = ?", [row["site_id"]]))
    if not db.execute("SELECT 1 FROM sites WHERE id = ?", [site["id"]]).fetchone():
        db.table("sites").insert(site)
    document_id, number = other_id, 2
    while db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone():
        document_id, number = f"{other_id}-{number}", number + 1
    columns = {key: row[key] for key in ("identity", "site_id", "role", "informant", "date",
                                          "interviewer", "round", "title", "metadata")}
    insert_document(db, {"id": document_id, **columns}, row["text"], row["source_path"] or "")
    return document_id


def _ensure_code(db: Database, other: Database, code_id: str, report: MergeReport) -> None:
    # A code our codebook lacks is added retired: the coding is kept and shown, but nobody
    # codes with it until the codebook file takes it in.
    if db.execute("SELECT 1 FROM codes WHERE id = ?", [code_id]).fetchone():
        return
    row = dict(next(other.query("SELECT * FROM codes WHERE id = ?", [code_id])))
    if row["parent_id"] and not db.execute("SELECT 1 FROM codes WHERE id = ?",
                                           [row["parent_id"]]).fetchone():
        row["parent_id"] = None
    position = db.execute("SELECT coalesce(max(position), 0) + 1 FROM codes").fetchone()[0]
    db.table("codes").insert({**row, "status": "retired", "position": position,
                              "guid": row.get("guid") or code_guid(code_id)})
    report.codes_added_retired.append(code_id)


def _other_codings(other: Database) -> list[dict[str, Any]]:
    return list(other.query(
        "SELECT c.*, v.text AS version_text FROM codings c JOIN document_versions v "
        "ON v.document_id = c.document_id AND v.version = c.document_version "
        "WHERE c.removed_at IS NULL ORDER BY c.document_id, c.start, c.id"))


def merge_project(db: Database, path: str | Path, actor: str) -> MergeReport:
    """Bring another project's live codings into this one, in one transaction."""
    path = Path(path)
    other = read_other_project(path)
    try:
        if project_uuid(other) and project_uuid(other) == project_uuid(db):
            raise KasusError(f"{path}: is this project (or a copy of it)",
                             "merge another coder's project file")
        return _merge(db, other, path, actor)
    finally:
        other.close()


def _merge(db: Database, other: Database, path: Path, actor: str) -> MergeReport:
    report = MergeReport(str(path))
    known_guids = {row[0] for row in db.execute("SELECT guid FROM codings")}
    codings = [c for c in _other_codings(other) if c["guid"] not in known_guids]
    report.already_there = other.execute(
        "SELECT count(*) FROM codings WHERE removed_at IS NULL").fetchone()[0] - len(codings)
    placed: Counter[str] = Counter()
    added_ids: list[int] = []
    with transaction(db):
        matches = _match_documents(db, other)
        report.documents_matched = sum(1 for ours in matches.values() if ours)
        for other_id in sorted({c["document_id"] for c in codings}):
            if matches[other_id] is None:
                matches[other_id] = _add_document(db, other, other_id)
                report.documents_added.append(str(matches[other_id]))
        for coding in codings:
            _ensure_code(db, other, coding["code_id"], report)
        for document_id, group in _by_document(codings).items():
            ours = str(matches[document_id])
            text, version = db.execute("SELECT text, version FROM documents WHERE id = ?",
                                       [ours]).fetchone()
            for coding in group:
                placement = reanchor_all(coding["version_text"], text, [
                    Span(coding["start"], coding["end"], coding["quote"])])[0]
                placed[placement.outcome] += 1
                if placement.outcome == "orphaned":
                    report.orphaned.append(f"{ours}: {coding['code_id']} by {coding['coder']} "
                                           f"«{coding['quote'][:60]}»")
                added_ids.append(insert_coding(db, {
                    "document_id": ours, "code_id": coding["code_id"],
                    "start": placement.start, "end": placement.end, "quote": placement.quote,
                    "coder": coding["coder"], "memo": coding["memo"], "origin": "merged",
                    "status": placement.status, "anchor_score": placement.score,
                    "document_version": version, "created_at": coding["created_at"],
                    "guid": coding["guid"],
                }))
        report.codings_added = len(added_ids)
        report.placed = dict(placed)
        report.coders = sorted({c["coder"] for c in codings})
        drop_redo(db, actor)
        record(db, actor, "project.merge", "coding_batch", str(path), after={
            "ids": added_ids, "file": str(path), "source_uuid": project_uuid(other),
            "documents_added": report.documents_added, "placed": report.placed,
            "codes_added_retired": report.codes_added_retired,
        }, undoable=bool(added_ids))
    return report


def _by_document(codings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for coding in codings:
        grouped.setdefault(coding["document_id"], []).append(coding)
    return grouped



