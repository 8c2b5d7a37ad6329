"""Cell summaries: a versioned text per matrix cell (site × column), draft or reviewed.

Every save appends a version (author, time) with its audit entry; nothing is overwritten, and
restoring an earlier version appends it again as a new one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.codebook.codes import require_code
from kasus.errors import KasusError, NotFoundError
from kasus.sites import find_site
from kasus.store import transaction
from kasus.store.schema import new_guid

STATUSES = ("draft", "reviewed")
# How the report, written in Norwegian, names them.
STATUS_NB = {"draft": "utkast", "reviewed": "gjennomgått"}


@dataclass(frozen=True)
class SummaryVersion:
    """One saved version of a cell's summary."""

    site_id: str
    column_id: str
    version: int
    text: str
    status: str
    author: str
    created_at: str
    restored_from: int | None = None

    @property
    def first_line(self) -> str:
        """The line the matrix shows: the summary's first non-empty line."""
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")


def require_status(status: str) -> str:
    """Refuse a status other than draft or reviewed."""
    if status not in STATUSES:
        raise KasusError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    return status


def cell_key(db: Database, site: str, column_id: str) -> tuple[str, str]:
    """(site id, column id) from a site id or name and a code id, both checked."""
    site_id = find_site(db, site)
    require_code(db, column_id)
    return site_id, column_id


def _version(row: dict[str, Any]) -> SummaryVersion:
    return SummaryVersion(row["site_id"], row["column_id"], row["version"], row["text"],
                          row["status"], row["author"], row["created_at"], row["restored_from"])


def summary_history(db: Database, site: str, column_id: str) -> list[SummaryVersion]:
    """Every version of a cell's summary, oldest first."""
    site_id, column_id = cell_key(db, site, column_id)
    return [_version(row) for row in db.query(
        "SELECT * FROM cell_summaries WHERE site_id = ? AND column_id = ? ORDER BY version",
        [site_id, column_id])]


def current_summaries(db: Database) -> dict[tuple[str, str], SummaryVersion]:
    """The newest version of every cell's summary, by (site id, column id)."""
    rows = db.query(
        "SELECT s.* FROM cell_summaries s JOIN (SELECT site_id, column_id, max(version) AS v "
        "FROM cell_summaries GROUP BY site_id, column_id) m ON m.site_id = s.site_id "
        "AND m.column_id = s.column_id AND m.v = s.version")
    return {(row["site_id"], row["column_id"]): _version(row) for row in rows}


def current_summary(db: Database, site: str, column_id: str) -> SummaryVersion | None:
    """The newest version of a cell's summary, or None when it has none."""
    history = summary_history(db, site, column_id)
    return history[-1] if history else None


def save_summary(db: Database, site: str, column_id: str, actor: str,
                 text: str | None = None, status: str | None = None,
                 restored_from: int | None = None) -> SummaryVersion:
    """Save a new version of a cell's summary (new text, a new status, or both); an unchanged
    text and status saves nothing and returns the current version."""
    if status is not None:
        require_status(status)
    with transaction(db):
        site_id, column_id = cell_key(db, site, column_id)
        current = current_summary(db, site_id, column_id)
        if text is None and current is None:
            raise KasusError(f"the cell {site_id}/{column_id} has no summary yet",
                             "write one with --set TEXT or --file F")
        new_text = (current.text if current else "") if text is None else text.strip()
        if not new_text:
            raise KasusError(f"the summary of {site_id}/{column_id} would be empty",
                             "give the summary some text")
        new_status = status or (current.status if current and text is None else "draft")
        if current and (current.text, current.status) == (new_text, new_status):
            return current
        version = SummaryVersion(site_id, column_id, (current.version if current else 0) + 1,
                                 new_text, new_status, actor, now(), restored_from)
        db.table("cell_summaries").insert({**asdict(version), "guid": new_guid()})
        record(db, actor, "summary.save", "cell_summary", f"{site_id}/{column_id}",
               before=None if current is None else asdict(current), after=asdict(version))
    return version


def restore_summary(db: Database, site: str, column_id: str, version: int, actor: str,
                    status: str = "draft") -> SummaryVersion:
    """Bring back an earlier version's text as a new version (draft unless told)."""
    history = summary_history(db, site, column_id)
    old = next((v for v in history if v.version == version), None)
    if old is None:
        known = ", ".join(str(v.version) for v in history) or "none"
        raise NotFoundError(f"the cell {site}/{column_id} has no summary version {version}",
                            f"versions: {known} (see --history)")
    return save_summary(db, site, column_id, actor, old.text, status, restored_from=version)


def site_summaries(db: Database, site_id: str) -> list[tuple[str, SummaryVersion]]:
    """The current summaries of one site's cells, in codebook order, each with its column's
    label: what a site profile shows first."""
    labels = {row[0]: f"{row[1]} ({row[0]})" for row in db.execute(
        "SELECT id, label_nb FROM codes ORDER BY position")}
    mine = {column: v for (site, column), v in current_summaries(db).items() if site == site_id}
    return [(labels[column], mine[column]) for column in labels if column in mine]
