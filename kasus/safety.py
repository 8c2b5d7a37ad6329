"""Safety commands: a consistent online backup, and a check that the project is sound."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from kasus.errors import KasusError


def backup(db: Database, out: str | Path) -> int:
    """Copy the project with SQLite's online backup API; consistent while others write."""
    out = Path(out)
    if out.exists():
        raise KasusError(f"{out}: already exists", "choose a new file name for the backup")
    if not out.parent.exists():
        raise KasusError(f"{out.parent}: folder does not exist")
    fd = os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    target = sqlite3.connect(str(out))
    try:
        db.conn.backup(target, pages=1024)
        pages = int(target.execute("PRAGMA page_count").fetchone()[0])
    except sqlite3.Error as error:
        target.close()
        out.unlink(missing_ok=True)
        raise KasusError(f"{out}: backup failed ({error})") from None
    target.close()
    return pages


def check_project(db: Database) -> list[str]:
    """Every inconsistency found, one line each; an empty list means the project is sound."""
    findings: list[str] = []
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        findings += [f"integrity: {line}" for line in integrity]
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall():
        findings.append(f"foreign key: {table} row {rowid} points to a missing {parent} row")
    findings += _span_findings(db)
    findings += _segment_findings(db)
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


def _segment_findings(db: Database) -> list[str]:
    rows = db.query(
        'SELECT s.document_id, count(*) AS n FROM segments s JOIN documents d '
        'ON d.id = s.document_id WHERE s."end" > length(d.text) GROUP BY s.document_id'
    )
    return [f"document {row['document_id']}: {row['n']} segment(s) beyond the text"
            for row in rows]
