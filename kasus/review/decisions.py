"""A review session: the coders' disagreements one by one, each settled with a comment.

A disagreement is a unit and a code that some of the session's coders applied and others did
not. A reviewer accepts it (the code applies: a consensus coding is made), rejects it (it
does not), or recodes it (another code applies). Decisions live in the project, so a session
can be left and resumed; deciding again supersedes the earlier decision, which is kept.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.coding.codings import (
    existing_coding,
    get_coding,
    insert_coding,
    require_active_code,
)
from kasus.errors import KasusError, NotFoundError
from kasus.review.units import Judgements, Span, Unit, judge
from kasus.store import transaction
from kasus.store.schema import new_guid

VERDICTS = ("accept", "reject", "recode")


@dataclass(frozen=True)
class ReviewSession:
    """Which coders are compared, on which units, at which coverage threshold."""

    id: str
    coders: tuple[str, ...]
    unit: str
    threshold: float


@dataclass(frozen=True)
class Decision:
    """A reviewer's verdict on one disagreement."""

    id: int
    verdict: str
    comment: str
    reviewer: str
    decided_at: str
    new_code_id: str | None
    consensus_coding_id: int | None


@dataclass(frozen=True)
class Disagreement:
    """A unit and code some coders applied and others did not, with each side's codings."""

    unit: Unit
    code_id: str
    applied_by: tuple[str, ...]
    not_applied_by: tuple[str, ...]
    codings: tuple[Span, ...]
    decision: Decision | None
    # What each coder applied to the same unit: often the other code a disagreement is about.
    unit_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """document:ordinal:code, how the CLI names a disagreement."""
        return f"{self.unit.document_id}:{self.unit.ordinal}:{self.code_id}"


@dataclass(frozen=True)
class Progress:
    decided: int
    total: int


def session_id(coders: tuple[str, ...], unit: str, threshold: float) -> str:
    return f"{'+'.join(coders)}/{unit}/{threshold:g}"


def open_session(db: Database, coders: tuple[str, ...], unit: str, threshold: float,
                 actor: str) -> ReviewSession:
    """The review session of these coders on these units, made the first time it is asked."""
    session = ReviewSession(session_id(coders, unit, threshold), coders, unit, threshold)
    if not db.execute("SELECT 1 FROM review_sessions WHERE id = ?", [session.id]).fetchone():
        judge(db, coders, unit, threshold)  # refuses unknown coders and units before storing
        with transaction(db):
            db.table("review_sessions").insert({
                "id": session.id, "coders": json.dumps(coders), "unit": unit,
                "threshold": threshold, "created_by": actor, "created_at": now()})
            record(db, actor, "review.session", "review_session", session.id,
                   after={"coders": coders, "unit": unit, "threshold": threshold})
    return session


def _decisions(db: Database, session: ReviewSession) -> dict[tuple[str, int, int, str], Decision]:
    rows = db.query("SELECT * FROM review_decisions WHERE session_id = ? AND superseded_at IS "
                    "NULL", [session.id])
    return {(r["document_id"], r["version"], r["ordinal"], r["code_id"]): Decision(
        r["id"], r["verdict"], r["comment"], r["reviewer"], r["decided_at"], r["new_code_id"],
        r["consensus_coding_id"]) for r in rows}


def list_disagreements(db: Database, session: ReviewSession, code_id: str | None = None,
                       site_id: str | None = None) -> list[Disagreement]:
    """Every disagreement of the session on the current texts, in document order."""
    judgements = judge(db, session.coders, session.unit, session.threshold, code_id, site_id)
    decided = _decisions(db, session)
    found = []
    for index, unit in enumerate(judgements.units):
        by_code = {code: judgements.applied.get(code, {}).get(index, frozenset())
                   for code in judgements.codes}
        unit_codes = {coder: tuple(code for code, coders in by_code.items() if coder in coders)
                      for coder in session.coders}
        for code, applied in by_code.items():
            if not applied or len(applied) == len(session.coders):
                continue
            found.append(Disagreement(
                unit, code, tuple(c for c in session.coders if c in applied),
                tuple(c for c in session.coders if c not in applied),
                _codings_in(judgements, unit, code),
                decided.get((unit.document_id, unit.version, unit.ordinal, code)),
                unit_codes))
    return found


def _codings_in(judgements: Judgements, unit: Unit, code_id: str) -> tuple[Span, ...]:
    return tuple(s for s in judgements.spans if s.document_id == unit.document_id
                 and s.code_id == code_id and s.start < unit.end and s.end > unit.start)


def coverage_runs(disagreement: Disagreement) -> list[tuple[int, int, frozenset[str]]]:
    """The unit cut into runs by which coders' codings of the code cover them, so each side's
    span can be shown."""
    unit = disagreement.unit
    cuts = {unit.start, unit.end}
    for span in disagreement.codings:
        cuts.update(min(max(p, unit.start), unit.end) for p in (span.start, span.end))
    edges = sorted(cuts)
    return [(left, right, frozenset(s.coder for s in disagreement.codings
                                    if s.start < right and s.end > left))
            for left, right in itertools.pairwise(edges) if right > left]


def likely_reviewed_coders(db: Database) -> tuple[str, ...]:
    """The two coders with the most codings of their own: the pair a review usually compares."""
    rows = db.execute("SELECT coder FROM codings WHERE removed_at IS NULL AND origin != "
                      "'consensus' GROUP BY coder ORDER BY count(*) DESC, coder LIMIT 2")
    return tuple(row[0] for row in rows)


def progress(disagreements: list[Disagreement]) -> Progress:
    """How many of these disagreements are decided."""
    return Progress(sum(1 for d in disagreements if d.decision), len(disagreements))


def find_disagreement(db: Database, session: ReviewSession, key: str) -> Disagreement:
    """A disagreement by its key (document:ordinal:code)."""
    code_id = key.split(":", 2)[-1] if key.count(":") == 2 else None
    for disagreement in list_disagreements(db, session, code_id or None):
        if disagreement.key == key:
            return disagreement
    raise NotFoundError(f"no disagreement {key!r} in review {session.id}",
                        "see `kasus review list` for keys (document:unit:code)")


def _consensus_span(disagreement: Disagreement, text: str) -> tuple[int, int]:
    """The applying coders' codings of the code, joined and cut to the unit."""
    unit = disagreement.unit
    mine = [s for s in disagreement.codings if s.coder in disagreement.applied_by]
    start = max(unit.start, min(s.start for s in mine))
    end = min(unit.end, max(s.end for s in mine))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def decide(db: Database, session: ReviewSession, disagreement: Disagreement, verdict: str,
           comment: str, reviewer: str, new_code_id: str | None = None) -> Decision:
    """Settle a disagreement with a reason; accept and recode leave a consensus coding."""
    if verdict not in VERDICTS:
        raise KasusError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    if not comment.strip():
        raise KasusError("a decision needs a comment", "say why, for the audit trail")
    if verdict == "recode" and not new_code_id:
        raise KasusError("recode needs the code that applies instead", "pass --code CODE")
    if verdict != "recode":
        new_code_id = None
    unit = disagreement.unit
    with transaction(db):
        if new_code_id:
            require_active_code(db, new_code_id)
        superseded = _supersede(db, session, disagreement)
        consensus = None
        if verdict != "reject":
            consensus = _consensus_coding(db, disagreement, new_code_id or disagreement.code_id,
                                          reviewer)
        decision_id = int(db.table("review_decisions").insert({
            "session_id": session.id, "document_id": unit.document_id,
            "version": unit.version, "unit_kind": unit.kind, "ordinal": unit.ordinal,
            "code_id": disagreement.code_id, "verdict": verdict, "new_code_id": new_code_id,
            "consensus_coding_id": consensus, "applied_by": json.dumps(disagreement.applied_by),
            "comment": comment.strip(), "reviewer": reviewer, "decided_at": now(),
            "guid": new_guid(),
        }).last_rowid or 0)
        record(db, reviewer, "review.decide", "review_decision", decision_id, after={
            "session": session.id, "disagreement": disagreement.key, "verdict": verdict,
            "new_code": new_code_id, "consensus_coding": consensus, "comment": comment,
            "supersedes": superseded}, undoable=True)
    return _decision(db, decision_id)


def _decision(db: Database, decision_id: int) -> Decision:
    r = db.table("review_decisions").get(decision_id)
    return Decision(r["id"], r["verdict"], r["comment"], r["reviewer"], r["decided_at"],
                    r["new_code_id"], r["consensus_coding_id"])


def _supersede(db: Database, session: ReviewSession, disagreement: Disagreement) -> int | None:
    earlier = disagreement.decision
    if earlier is None:
        return None
    _set_live(db, earlier.id, live=False)
    return earlier.id


def _consensus_coding(db: Database, disagreement: Disagreement, code_id: str,
                      reviewer: str) -> int:
    unit = disagreement.unit
    text, version = db.execute("SELECT text, version FROM documents WHERE id = ?",
                               [unit.document_id]).fetchone()
    start, end = _consensus_span(disagreement, text)
    found = existing_coding(db, unit.document_id, start, end, code_id, reviewer)
    if found is not None and get_coding(db, found).origin == "consensus":
        return found
    return insert_coding(db, {
        "document_id": unit.document_id, "code_id": code_id, "start": start, "end": end,
        "quote": text[start:end], "coder": reviewer, "origin": "consensus",
        "document_version": version,
        "memo": f"review {disagreement.key}: applied by {', '.join(disagreement.applied_by)}",
    })


def _set_live(db: Database, decision_id: int, live: bool) -> dict[str, Any]:
    """A decision and its consensus coding both in force, or both set aside."""
    row = dict(db.table("review_decisions").get(decision_id))
    stamp = now()
    db.table("review_decisions").update(decision_id, {"superseded_at": None if live else stamp})
    if row["consensus_coding_id"] is not None:
        db.table("codings").update(row["consensus_coding_id"], {
            "removed_at": None if live else stamp, "updated_at": stamp})
    return row


def revert_decision(db: Database, entry: dict[str, Any], forward: bool) -> str:
    """Undo a decision (set aside, with its consensus coding; the one it superseded back in
    force) or redo it."""
    after = json.loads(entry["after"])
    # Only one decision per disagreement is in force at a time: set one aside first.
    earlier = after.get("supersedes")
    if forward and earlier:
        _set_live(db, earlier, live=False)
    row = _set_live(db, int(entry["entity_id"]), live=forward)
    if not forward and earlier:
        _set_live(db, earlier, live=True)
    return (f"{'decided again' if forward else 'took back'}: {row['verdict']} on "
            f"{after['disagreement']}")
