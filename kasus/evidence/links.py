"""Evidence links: a coded passage tied to an indicator with a stance and a note.

Each change is one transaction with an undoable audit entry. A link follows its coding: when a
re-import orphans the coding, the link stays and is shown as flagged, never dropped.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.codebook.codes import SUBTREE_SQL, require_code
from kasus.coding.codings import drop_redo, get_coding
from kasus.errors import KasusError, NotFoundError
from kasus.evidence.indicators import get_indicator
from kasus.model import EvidenceLink
from kasus.store import transaction
from kasus.store.schema import new_guid

STANCES = ("supports", "contradicts", "nuances", "explains")

_SELECT = (
    'SELECT l.*, c.document_id, d.site_id, d.role, c.code_id, c.quote, c.start, c."end", '
    "c.status AS coding_status, c.coder AS coding_coder FROM evidence_links l "
    "JOIN codings c ON c.id = l.coding_id JOIN documents d ON d.id = c.document_id"
)


def _link(row: dict[str, Any]) -> EvidenceLink:
    return EvidenceLink(
        id=row["id"], coding_id=row["coding_id"], indicator_id=row["indicator_id"],
        stance=row["stance"], note=row["note"], coder=row["coder"],
        created_at=row["created_at"], document_id=row["document_id"], site_id=row["site_id"],
        role=row["role"], code_id=row["code_id"], quote=row["quote"], start=row["start"],
        end=row["end"], coding_status=row["coding_status"], coding_coder=row["coding_coder"],
    )


def get_link(db: Database, link_id: int, include_removed: bool = False) -> EvidenceLink:
    """One evidence link by id, or NotFoundError."""
    where = "l.id = ?" + ("" if include_removed else " AND l.removed_at IS NULL")
    rows = list(db.query(f"{_SELECT} WHERE {where}", [link_id]))
    if not rows:
        raise NotFoundError(f"no evidence link {link_id}", "see `kasus links` for ids")
    return _link(rows[0])


def link_coding(db: Database, coding_id: int, indicator_id: int, stance: str, actor: str,
                note: str = "") -> EvidenceLink:
    """Tie a live coding to an indicator with a stance: supports, contradicts, nuances or
    explains the indicator's trend."""
    if stance not in STANCES:
        raise KasusError(f"stance {stance!r} is not one of {', '.join(STANCES)}")
    with transaction(db):
        try:
            get_coding(db, coding_id)
        except NotFoundError:
            removed = db.execute("SELECT 1 FROM codings WHERE id = ?", [coding_id]).fetchone()
            raise NotFoundError(
                f"coding {coding_id} is removed" if removed else f"no coding {coding_id}",
                "link a coding that is in the project (see `kasus codings`)") from None
        get_indicator(db, indicator_id)
        same = db.execute("SELECT id FROM evidence_links WHERE coding_id = ? AND indicator_id = ?"
                          " AND removed_at IS NULL", [coding_id, indicator_id]).fetchone()
        if same is not None:
            raise KasusError(f"coding {coding_id} is already linked to indicator "
                             f"{indicator_id} (link {same[0]})",
                             f"unlink {same[0]} first to change its stance")
        link_id = int(db.table("evidence_links").insert({
            "coding_id": coding_id, "indicator_id": indicator_id, "stance": stance,
            "note": note, "coder": actor, "created_at": now(), "guid": new_guid(),
        }).last_rowid or 0)
        drop_redo(db, actor)
        record(db, actor, "link.add", "evidence_link", link_id,
               after={"coding": coding_id, "indicator": indicator_id, "stance": stance,
                      "note": note}, undoable=True)
    return get_link(db, link_id)


def unlink(db: Database, link_id: int, actor: str) -> EvidenceLink:
    """Remove an evidence link (kept in the store; undo brings it back)."""
    with transaction(db):
        link = get_link(db, link_id)
        db.table("evidence_links").update(link_id, {"removed_at": now()})
        drop_redo(db, actor)
        record(db, actor, "link.remove", "evidence_link", link_id,
               before={"stance": link.stance}, undoable=True)
    return link


def revert_link(db: Database, entry: dict[str, Any], forward: bool) -> str:
    """Undo or redo adding or removing a link."""
    link_id = int(entry["entity_id"])
    removed = (entry["action"] == "link.add") != forward
    db.table("evidence_links").update(link_id, {"removed_at": now() if removed else None})
    link = get_link(db, link_id, include_removed=True)
    return (f"{'removed' if removed else 'restored'} link {link_id}: coding {link.coding_id} "
            f"{link.stance} indicator {link.indicator_id}")


def list_links(db: Database, indicator_id: int | None = None, code_id: str | None = None,
               site_id: str | None = None, stance: str | None = None) -> list[EvidenceLink]:
    """Live links matching the filters, by indicator, site and place in the text. Links of
    removed codings are left out; those of orphaned codings are kept (coding_status says)."""
    clauses = ["l.removed_at IS NULL", "c.removed_at IS NULL"]
    params: list[object] = []
    if indicator_id is not None:
        get_indicator(db, indicator_id)
        clauses.append("l.indicator_id = ?")
        params.append(indicator_id)
    if code_id:
        require_code(db, code_id)
        clauses.append(f"c.code_id IN ({SUBTREE_SQL})")
        params.append(code_id)
    if site_id:
        clauses.append("d.site_id = ?")
        params.append(site_id)
    if stance:
        if stance not in STANCES:
            raise KasusError(f"stance {stance!r} is not one of {', '.join(STANCES)}")
        clauses.append("l.stance = ?")
        params.append(stance)
    sql = (f"{_SELECT} WHERE {' AND '.join(clauses)} "
           "ORDER BY l.indicator_id, d.site_id, c.document_id, c.start, l.id")
    return [_link(row) for row in db.query(sql, params)]
