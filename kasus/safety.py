"""Safety commands: a consistent online backup, and a check that the project is sound."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from kasus.errors import KasusError


def backup(db: Database, out: str | Path) -> int:
    """Copy the project with SQLite's online backup API; consistent while others write.

    The copy is made in a hidden partial file beside OUT and renamed into place when whole,
    so an interrupted backup never leaves a file under the name given that looks like one.
    """
    out = Path(out)
    if out.exists():
        raise KasusError(f"{out}: already exists", "choose a new file name for the backup")
    if not out.parent.exists():
        raise KasusError(f"{out.parent}: folder does not exist")
    partial = out.with_name(f".{out.name}.partial")
    # What a killed backup left behind is not a backup: start it afresh.
    try:
        for leftover in (partial, Path(f"{partial}-journal")):
            leftover.unlink(missing_ok=True)
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as error:
        raise KasusError(f"{out}: cannot write the backup ({error.strerror})",
                         "choose a folder you can write") from None
    os.close(fd)
    target = sqlite3.connect(str(partial))
    try:
        # One step (pages=-1) copies from one read snapshot: in WAL mode it does not block
        # writers, and a write by another process cannot restart it over and over.
        db.conn.backup(target, pages=-1)
        pages = int(target.execute("PRAGMA page_count").fetchone()[0])
        target.close()
        os.replace(partial, out)
    except (sqlite3.Error, OSError) as error:
        target.close()
        partial.unlink(missing_ok=True)
        raise KasusError(f"{out}: backup failed ({error})") from None
    return pages


# References the check names one by one (coding 5: code 'x' does not exist); the foreign-key
# check reports any other missing row generically.
_REFERENCES = (
    ("codings", "code_id", "codes", "coding {id} in {document_id}: code {value!r} does not exist"),
    ("codings", "document_id", "documents", "coding {id}: document {value!r} does not exist"),
    ("evidence_links", "coding_id", "codings",
     "evidence link {id}: coding {value} does not exist"),
    ("evidence_links", "indicator_id", "indicators",
     "evidence link {id}: indicator {value} does not exist"),
    ("segments", "document_id", "documents", "segment {id}: document {value!r} does not exist"),
)
# Audit entries name an entity by kind and id; these kinds are rows that are never deleted.
# The flag says the table's id is an integer (the entry holds it as text).
_AUDITED = {"coding": ("codings", True), "document": ("documents", False),
            "evidence_link": ("evidence_links", True),
            "review_session": ("review_sessions", False),
            "review_decision": ("review_decisions", True), "audit_log": ("audit_log", True)}


def check_project(db: Database) -> list[str]:
    """Every inconsistency found, one line each naming the row; empty means the project is
    sound."""
    findings: list[str] = []
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        findings += [f"integrity: {line}" for line in integrity]
    findings += _reference_findings(db)
    findings += _span_findings(db)
    findings += _version_findings(db)
    findings += _segment_findings(db)
    findings += _document_findings(db)
    findings += _index_findings(db)
    findings += _audit_findings(db)
    return findings


def _reference_findings(db: Database) -> list[str]:
    findings = []
    for table, column, parent, message in _REFERENCES:
        rows = db.query(f"SELECT t.id, t.{column} AS value, t.* FROM {table} t "
                        f"WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                        f"(SELECT 1 FROM {parent} p WHERE p.id = t.{column})")
        findings += [message.format(**row) for row in rows]
    named = {(table, parent) for table, _, parent, _ in _REFERENCES}
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall():
        if (table, parent) not in named:
            findings.append(f"foreign key: {table} row {rowid} points to a missing {parent} row")
    return findings


def _span_findings(db: Database) -> list[str]:
    findings = []
    rows = db.query(
        'SELECT c.id, c.document_id, c.start, c."end", c.quote, c.status, '
        "substr(d.text, c.start + 1, c.\"end\" - c.start) AS actual, length(d.text) AS size "
        "FROM codings c JOIN documents d ON d.id = c.document_id "
        "WHERE c.removed_at IS NULL AND c.status != 'orphaned'"
    )
    for row in rows:
        where = f"coding {row['id']} in {row['document_id']}"
        if not 0 <= row["start"] < row["end"] <= row["size"]:
            findings.append(f"{where}: span {row['start']}–{row['end']} outside the text "
                            f"(0–{row['size']})")
        elif row["actual"] != row["quote"]:
            findings.append(f"{where}: quote differs from the text at {row['start']}–{row['end']}")
    return findings


def _version_findings(db: Database) -> list[str]:
    # Re-import moves every coding (removed ones too) onto the new version in one transaction.
    rows = db.query("SELECT c.id, c.document_id, c.document_version, d.version FROM codings c "
                    "JOIN documents d ON d.id = c.document_id "
                    "WHERE c.document_version != d.version ORDER BY c.id")
    return [f"coding {row['id']} in {row['document_id']}: placed on version "
            f"{row['document_version']}, the document is at version {row['version']}"
            for row in rows]


def _segment_findings(db: Database) -> list[str]:
    # Each version's segments against that version's text: earlier versions keep theirs.
    rows = db.query(
        'SELECT s.id, s.document_id, s.version, s."end", length(v.text) AS size FROM segments s '
        "JOIN document_versions v ON v.document_id = s.document_id AND v.version = s.version "
        'WHERE s."end" > length(v.text) ORDER BY s.id'
    )
    return [f"segment {row['id']} of {row['document_id']} (version {row['version']}): ends at "
            f"{row['end']}, beyond the text (0–{row['size']})" for row in rows]


def _document_findings(db: Database) -> list[str]:
    """Documents that are not whole: no stored version, no paragraphs, or a changed text."""
    findings = []
    rows = db.query(
        "SELECT d.id, d.version, d.text, d.content_hash, "
        "(SELECT count(*) FROM document_versions v WHERE v.document_id = d.id "
        " AND v.version = d.version) AS versions, "
        "(SELECT count(*) FROM segments s WHERE s.document_id = d.id AND s.version = d.version "
        " AND s.kind = 'paragraph') AS paragraphs FROM documents d")
    for row in rows:
        where = f"document {row['id']}"
        if not row["versions"]:
            findings.append(f"{where}: version {row['version']} is not in its history")
        if row["text"].strip() and not row["paragraphs"]:
            findings.append(f"{where}: no segments for version {row['version']} "
                            "(half-imported; import the file again)")
        if hashlib.sha256(row["text"].encode("utf-8")).hexdigest() != row["content_hash"]:
            findings.append(f"{where}: text differs from its content hash")
    return findings


def _index_findings(db: Database) -> list[str]:
    """The search index holds the current version's sentences, and nothing else."""
    missing = db.query(
        "SELECT s.id, s.document_id FROM segments s JOIN documents d ON d.id = s.document_id "
        "AND d.version = s.version WHERE s.kind = 'sentence' AND NOT EXISTS "
        "(SELECT 1 FROM segments_fts f WHERE f.rowid = s.id)")
    findings = [f"segment {row['id']} of {row['document_id']}: not in the search index"
                for row in missing]
    stray = db.execute("SELECT f.rowid FROM segments_fts f WHERE NOT EXISTS "
                       "(SELECT 1 FROM segments s WHERE s.id = f.rowid)").fetchall()
    findings += [f"search index row {row[0]}: points to no sentence" for row in stray]
    return findings


def _audit_findings(db: Database) -> list[str]:
    findings = []
    for entity, (table, integer) in _AUDITED.items():
        key = "CAST(a.entity_id AS INTEGER)" if integer else "a.entity_id"
        rows = db.execute(
            f"SELECT a.id, a.entity_id FROM audit_log a WHERE a.entity = ? AND NOT EXISTS "
            f"(SELECT 1 FROM {table} t WHERE t.id = {key})", [entity])
        findings += [f"audit entry {row[0]}: {entity} {row[1]} does not exist"
                     for row in rows.fetchall()]
    return findings
