"""Codings: apply, remove, memo, recode, list, and how an audit entry on one is reverted.

Every change is one transaction with one audit entry holding the state before and after.
Removing a coding marks it removed; no coding row is ever deleted.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.codebook.codes import SUBTREE_SQL, require_code
from kasus.documents import document_clauses, get_document, require_document
from kasus.errors import KasusError, NotFoundError
from kasus.model import Coding
from kasus.store import transaction
from kasus.store.schema import ensure_coder, new_guid

ORIGINS = ("manual", "suggested", "auto", "merged", "consensus")
CODING_FIELDS = ("id", "document_id", "code_id", "start", "end", "quote", "coder", "memo",
                 "origin", "status", "anchor_score", "document_version", "created_at")


def _coding(row: dict[str, Any]) -> Coding:
    return Coding(**{key: row[key] for key in CODING_FIELDS})


def get_coding(db: Database, coding_id: int, include_removed: bool = False) -> Coding:
    """One coding by id, or NotFoundError."""
    where = "id = ?" if include_removed else "id = ? AND removed_at IS NULL"
    rows = list(db.table("codings").rows_where(where, [coding_id]))
    if not rows:
        raise NotFoundError(f"no coding {coding_id}", "see `kasus codings` for ids")
    return _coding(rows[0])


def require_active_code(db: Database, code_id: str) -> None:
    """Refuse a code the project does not have, or one retired from the codebook."""
    row = db.execute("SELECT status FROM codes WHERE id = ?", [code_id]).fetchone()
    if row is None:
        raise NotFoundError(f"no code {code_id!r}", "see `kasus codebook` for code ids")
    if row[0] != "active":
        raise KasusError(f"code {code_id!r} is retired", "pick a code from the current codebook")


def drop_redo(db: Database, coder: str) -> None:
    # A new action ends the redo chain, as in every editor.
    db.execute("UPDATE audit_log SET undo_state = 'dropped' WHERE actor = ? "
               "AND undo_state = 'undone'", [coder])


def apply_coding(
    db: Database,
    document_id: str,
    start: int,
    end: int,
    code_id: str,
    coder: str,
    memo: str = "",
    origin: str = "manual",
    expected_version: int | None = None,
) -> Coding:
    """Code the span text[start:end] of a document; the stored quote is exactly that text.

    A caller that computed the offsets on a document it is showing passes the version it
    shows: if the document was re-imported since, the offsets mean other text, so refuse.
    """
    if origin not in ORIGINS:
        raise KasusError(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")
    with transaction(db):
        document = get_document(db, document_id)
        if expected_version is not None and document.version != expected_version:
            raise KasusError(
                f"document {document_id!r} changed since it was opened (now version "
                f"{document.version})",
                "reopen it and select the passage again",
            )
        require_active_code(db, code_id)
        if not 0 <= start < end <= len(document.text):
            raise KasusError(
                f"span {start}–{end} is outside document {document_id!r} "
                f"(0–{len(document.text)})",
                "give START < END within the text",
            )
        quote = document.text[start:end]
        if not quote.strip():
            raise KasusError(f"span {start}–{end} holds only whitespace", "select some text")
        _refuse_duplicate(db, document_id, start, end, code_id, coder)
        coding = get_coding(db, insert_coding(db, {
            "document_id": document_id, "code_id": code_id, "start": start, "end": end,
            "quote": quote, "coder": coder, "memo": memo, "origin": origin,
            "document_version": document.version,
        }))
        drop_redo(db, coder)
        record(db, coder, "coding.apply", "coding", coding.id, after=asdict(coding),
               undoable=True)
    return coding


def insert_coding(db: Database, row: dict[str, Any]) -> int:
    """Store one coding row as given (checked by the caller), with a new GUID unless it
    brings one, inside the caller's transaction; returns its id. No audit entry."""
    stamp = now()
    full = {"memo": "", "origin": "manual", "status": "anchored", "created_at": stamp,
            "updated_at": stamp, "guid": new_guid(), **row}
    ensure_coder(db, full["coder"])
    return int(db.table("codings").insert(full).last_rowid or 0)


def existing_coding(db: Database, document_id: str, start: int, end: int, code_id: str,
                    coder: str) -> int | None:
    """The live coding with exactly this code, span and coder, if there is one."""
    row = db.execute(
        'SELECT id FROM codings WHERE document_id = ? AND code_id = ? AND start = ? '
        'AND "end" = ? AND coder = ? AND removed_at IS NULL', [document_id, code_id, start, end,
                                                              coder]).fetchone()
    return None if row is None else int(row[0])


def _refuse_duplicate(db: Database, document_id: str, start: int, end: int, code_id: str,
                      coder: str) -> None:
    found = existing_coding(db, document_id, start, end, code_id, coder)
    if found is not None:
        raise KasusError(f"{code_id} already codes {start}–{end} of {document_id} "
                         f"(coding {found}, {coder})", "nothing was added")


def describe(coding: Coding) -> str:
    """How a coding is named in messages: code, span and document."""
    return f"{coding.code_id} {coding.start}–{coding.end} of {coding.document_id}"


def _refuse_other_coder(coding: Coding, actor: str, force: bool) -> None:
    if coding.coder != actor and not force:
        raise KasusError(f"coding {coding.id} ({describe(coding)}) is {coding.coder}'s, not "
                         f"{actor}'s", "pass --force (or confirm) to change another coder's work")


def _change(db: Database, coding_id: int, fields: dict[str, Any], action: str,
            actor: str, force: bool) -> tuple[Coding, Coding]:
    """Update one live coding with its undoable audit entry; returns (before, after)."""
    with transaction(db):
        before = get_coding(db, coding_id)
        _refuse_other_coder(before, actor, force)
        if "code_id" in fields:
            require_active_code(db, fields["code_id"])
        db.table("codings").update(coding_id, {**fields, "updated_at": now()})
        after = get_coding(db, coding_id, include_removed=True)
        drop_redo(db, actor)
        changed = [key for key in fields if key != "removed_at"]
        record(db, actor, action, "coding", coding_id,
               before={key: getattr(before, key) for key in changed} or asdict(before),
               after={key: getattr(after, key) for key in changed} or None,
               undoable=True)
    return before, after


def remove_coding(db: Database, coding_id: int, actor: str, force: bool = False) -> Coding:
    """Mark a coding removed (kept in the store, undoable); another coder's only with force."""
    return _change(db, coding_id, {"removed_at": now()}, "coding.remove", actor, force)[0]


def set_memo(db: Database, coding_id: int, memo: str, actor: str, force: bool = False) -> Coding:
    """Replace a coding's memo."""
    return _change(db, coding_id, {"memo": memo}, "coding.memo", actor, force)[1]


def recode(db: Database, coding_id: int, code_id: str, actor: str,
           force: bool = False) -> Coding:
    """Give a coding another code, keeping its span, memo and history."""
    return _change(db, coding_id, {"code_id": code_id}, "coding.recode", actor, force)[1]


def reanchor_coding(db: Database, coding_id: int, start: int, end: int, actor: str,
                    force: bool = False) -> Coding:
    """Place a coding (an orphaned or fuzzy one) on a span the user chose in the current
    text: its quote becomes that text; undoable."""
    with transaction(db):
        coding = get_coding(db, coding_id)
        document = get_document(db, coding.document_id)
        if not 0 <= start < end <= len(document.text) or not document.text[start:end].strip():
            raise KasusError(f"span {start}–{end} is not text of {coding.document_id}",
                             "select the passage the coding belongs to")
        fields = {"start": start, "end": end, "quote": document.text[start:end],
                  "status": "anchored", "anchor_score": None,
                  "document_version": document.version}
        return _change(db, coding_id, fields, "coding.reanchor", actor, force)[1]


def codings_at(codings: list[Coding], start: int, end: int) -> list[Coding]:
    """The codings a selection (or, when start == end, a cursor) touches, innermost first:
    the one meaning of "the coding here" for the codings panel, uncode and memo."""
    if start == end:
        found = [c for c in codings if c.start <= start < c.end]
    else:
        found = [c for c in codings if c.start < end and c.end > start]
    return sorted(found, key=lambda c: (c.end - c.start, -c.id))


def snap_selection(text: str, start: int, end: int,
                   sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """What a selection codes: the selected text without outer whitespace, or, when nothing
    is selected, the sentence at that point. None when there is nothing to code.

    The store never moves a span; this is the one snapping rule callers share.
    """
    if start == end:
        sentence = next((s for s in sentences if s[0] <= start < s[1]), None)
        if sentence is None:
            return None
        start, end = sentence
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def list_codings(
    db: Database,
    document_id: str | None = None,
    code_id: str | None = None,
    site_id: str | None = None,
    coder: str | None = None,
    with_descendants: bool = False,
    round_: int | None = None,
    role: str | None = None,
) -> list[Coding]:
    """Live codings matching the filters, in document and text order."""
    filters, params = document_clauses(db, round_, role)
    clauses = ["c.removed_at IS NULL", *filters]
    if code_id:
        require_code(db, code_id)
    if document_id:
        require_document(db, document_id)
        clauses.append("c.document_id = ?")
        params.append(document_id)
    if code_id:
        if with_descendants:
            clauses.append(f"c.code_id IN ({SUBTREE_SQL})")
            params.append(code_id)
        else:
            clauses.append("c.code_id = ?")
            params.append(code_id)
    if site_id:
        clauses.append("d.site_id = ?")
        params.append(site_id)
    if coder:
        clauses.append("c.coder = ?")
        params.append(coder)
    # Plain tuples into Coding: the workbench lists a document's codings after every change.
    columns = ", ".join(f'c."{field}"' for field in CODING_FIELDS)
    sql = (f"SELECT {columns} FROM codings c JOIN documents d ON d.id = c.document_id WHERE "
           + " AND ".join(clauses) + " ORDER BY d.site_id, c.document_id, c.start, c.id")
    return [Coding(*row) for row in db.execute(sql, params)]


def revert_entry(db: Database, entry: dict[str, Any], forward: bool) -> str:
    """Undo (or redo) one audit entry on a coding, inside the caller's transaction; returns
    what it did, for the message. Refuses to bring back a coding under a retired code."""
    coding_id = int(entry["entity_id"])
    action = entry["action"]
    stamp = now()
    coding = get_coding(db, coding_id, include_removed=True)
    if action in ("coding.apply", "coding.remove"):
        removed = (action == "coding.apply") != forward
        if not removed:
            require_active_code(db, coding.code_id)
        db.table("codings").update(coding_id, {"removed_at": stamp if removed else None,
                                               "updated_at": stamp})
        return f"{'removed' if removed else 'restored'} {describe(coding)}"
    state = json.loads(entry["after"] if forward else entry["before"])
    if "code_id" in state:
        require_active_code(db, state["code_id"])
    db.table("codings").update(coding_id, {**state, "updated_at": stamp})
    changed = get_coding(db, coding_id, include_removed=True)
    what = "memo" if "memo" in state else "code" if "code_id" in state else "place"
    return f"{what} of {describe(changed)} {'set again' if forward else 'set back'}"
