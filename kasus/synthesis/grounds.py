"""A judgement's grounds: cited indicators, codings, evidence links and matrix cells.

A ground keeps what it pointed at when it was cited (the quote, the summary version), so a
ground that later disappears or changes is shown flagged beside what was cited, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.coding.codings import get_coding
from kasus.errors import KasusError, NotFoundError
from kasus.evidence.indicators import get_indicator
from kasus.evidence.links import get_link
from kasus.store import transaction
from kasus.store.schema import new_guid
from kasus.synthesis.columns import goal_key
from kasus.synthesis.facts import IndicatorFact, indicator_fact
from kasus.synthesis.summaries import cell_key, current_summary

KINDS = ("indicator", "coding", "link", "cell")
EVIDENCE_KINDS = ("coding", "link", "cell")
REF_HINT = "cite indicator:ID, coding:ID, link:ID or cell:SITE/CODE"


@dataclass(frozen=True)
class Ground:
    """A cited ground as it stands now: what was cited, what it is now, and its flags."""

    id: int
    goal_id: str
    kind: str
    ref: str
    note: str
    cited_by: str
    cited_at: str
    cited: dict[str, Any]  # what it was at citing time
    flags: tuple[str, ...] = ()
    # Filled for what is still there: the indicator's facts; a passage's place and words.
    indicator: IndicatorFact | None = None
    site_id: str = ""
    role: str = ""
    document_id: str = ""
    quote: str = ""
    summary_line: str = ""

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.ref}"

    @property
    def place(self) -> str:
        """Where a cited passage is: site, informant role, document."""
        return f"{self.site_id}, {self.role or 'ukjent rolle'}, {self.document_id}"


def parse_ref(db: Database, text: str) -> tuple[str, str]:
    """(kind, canonical ref) of 'indicator:77', 'coding:12', 'link:3' or 'cell:Karmøy/rop'."""
    kind, _, ref = text.strip().partition(":")
    kind, ref = kind.strip().casefold(), ref.strip()
    if kind not in KINDS or not ref:
        raise KasusError(f"ground {text!r} is not of a known kind", REF_HINT)
    if kind == "cell":
        site, _, code = ref.rpartition("/")
        if not site or not code:
            raise KasusError(f"ground {text!r} names no cell", "write cell:SITE/CODE")
        site_id, code_id = cell_key(db, site, code)
        return kind, f"{site_id}/{code_id}"
    if not ref.isdigit():
        raise KasusError(f"ground {text!r}: {ref!r} is not an id", REF_HINT)
    return kind, ref


def _snapshot(db: Database, kind: str, ref: str) -> dict[str, Any]:
    """What a ground is at citing time; refuses what does not exist (or is removed)."""
    if kind == "indicator":
        indicator = get_indicator(db, int(ref))
        fact = indicator_fact(indicator)
        return {"name": indicator.name_nb, "verdict": fact.verdict, "latest": fact.latest}
    if kind == "coding":
        coding = get_coding(db, int(ref))
        return {"quote": coding.quote, "code_id": coding.code_id, "coder": coding.coder,
                **_place(db, coding.document_id)}
    if kind == "link":
        link = get_link(db, int(ref))
        return {"coding_id": link.coding_id, "indicator_id": link.indicator_id,
                "stance": link.stance, "quote": link.quote, "code_id": link.code_id,
                **_place(db, link.document_id)}
    site_id, column_id = ref.split("/", 1)
    summary = current_summary(db, site_id, column_id)
    return {"site_id": site_id, "column_id": column_id,
            "summary_version": summary.version if summary else None,
            "summary_line": summary.first_line if summary else "",
            "summary_text": summary.text if summary else None}


def _place(db: Database, document_id: str) -> dict[str, Any]:
    row = db.execute("SELECT site_id, role FROM documents WHERE id = ?", [document_id]).fetchone()
    return {"document_id": document_id, "site_id": row[0], "role": row[1] or ""}


def cite(db: Database, goal: str | int, text: str, actor: str, note: str = "") -> Ground:
    """Add a ground to a goal row's judgement, keeping what it is now."""
    goal_id = goal_key(goal)
    with transaction(db):
        kind, ref = parse_ref(db, text)
        same = db.execute("SELECT id FROM judgement_grounds WHERE goal_id = ? AND kind = ? "
                          "AND ref = ? AND removed_at IS NULL", [goal_id, kind, ref]).fetchone()
        if same is not None:
            raise KasusError(f"goal {goal_id} already cites {kind}:{ref} (ground {same[0]})",
                             "nothing was added")
        cited = _snapshot(db, kind, ref)
        row = {"goal_id": goal_id, "kind": kind, "ref": ref, "note": note,
               "cited": json.dumps(cited, ensure_ascii=False), "cited_by": actor,
               "cited_at": now(), "guid": new_guid()}
        ground_id = int(db.table("judgement_grounds").insert(row).last_rowid or 0)
        record(db, actor, "ground.cite", "judgement_ground", ground_id,
               after={"goal": goal_id, "kind": kind, "ref": ref, "cited": cited})
    return ground(db, ground_id)


def uncite(db: Database, goal: str | int, ground_id: int, actor: str) -> Ground:
    """Take a ground off a judgement on purpose (kept in the store and the audit log)."""
    goal_id = goal_key(goal)
    with transaction(db):
        found = ground(db, ground_id)
        if found.goal_id != goal_id:
            raise NotFoundError(f"goal {goal_id} has no ground {ground_id}",
                                f"see `kasus goal {goal} --json` for its grounds")
        db.table("judgement_grounds").update(ground_id, {"removed_at": now()})
        record(db, actor, "ground.uncite", "judgement_ground", ground_id,
               before={"goal": goal_id, "kind": found.kind, "ref": found.ref})
    return found


def ground(db: Database, ground_id: int) -> Ground:
    """One live ground as it stands now."""
    rows = list(db.query("SELECT * FROM judgement_grounds WHERE id = ? AND removed_at IS NULL",
                         [ground_id]))
    if not rows:
        raise NotFoundError(f"no ground {ground_id}", "see `kasus goal N` for the grounds")
    return _view(db, rows[0])


def grounds_of(db: Database, goal: str | int) -> list[Ground]:
    """A goal row's live grounds, indicators first, each with its flags."""
    order = {kind: n for n, kind in enumerate(KINDS)}
    rows = db.query("SELECT * FROM judgement_grounds WHERE goal_id = ? AND removed_at IS NULL "
                    "ORDER BY id", [goal_key(goal)])
    return sorted((_view(db, row) for row in rows), key=lambda g: (order[g.kind], g.id))


def _view(db: Database, row: dict[str, Any]) -> Ground:
    base = Ground(row["id"], row["goal_id"], row["kind"], row["ref"], row["note"],
                  row["cited_by"], row["cited_at"], json.loads(row["cited"]))
    now_is = {"indicator": _indicator_now, "coding": _coding_now, "link": _link_now,
              "cell": _cell_now}[base.kind](db, base)
    return Ground(**{**base.__dict__, **now_is})


def _indicator_now(db: Database, base: Ground) -> dict[str, Any]:
    try:
        return {"indicator": indicator_fact(get_indicator(db, int(base.ref)))}
    except NotFoundError:
        return {"flags": ("indicator no longer in the project",)}


def _passage_flags(status: str, quote: str, cited: dict[str, Any]) -> list[str]:
    flags = []
    if status == "orphaned":
        flags.append("coding orphaned: its passage is gone from the re-imported note")
    elif status == "fuzzy":
        flags.append("coding re-anchored by fuzzy match: check the passage")
    if quote != cited.get("quote"):
        flags.append("quote changed since it was cited")
    return flags


def _cited_place(cited: dict[str, Any]) -> dict[str, Any]:
    """Where a cited passage stood when it was cited: shown even when it is gone."""
    return {key: cited[key] for key in ("site_id", "role", "document_id", "quote")}


def _coding_now(db: Database, base: Ground) -> dict[str, Any]:
    cited = base.cited
    place = _cited_place(cited)
    try:
        coding = get_coding(db, int(base.ref))
    except NotFoundError:
        gone = db.execute("SELECT 1 FROM codings WHERE id = ?", [int(base.ref)]).fetchone()
        return {**place, "flags": ("coding removed" if gone else "coding no longer exists",)}
    return {**place, "quote": coding.quote,
            "flags": tuple(_passage_flags(coding.status, coding.quote, cited))}


def _link_now(db: Database, base: Ground) -> dict[str, Any]:
    cited = base.cited
    place = _cited_place(cited)
    try:
        link = get_link(db, int(base.ref))
    except NotFoundError:
        return {**place, "flags": ("evidence link removed",)}
    flags = _passage_flags(link.coding_status, link.quote, cited)
    if not db.execute("SELECT 1 FROM codings WHERE id = ? AND removed_at IS NULL",
                      [link.coding_id]).fetchone():
        flags.insert(0, f"the link's coding {link.coding_id} was removed")
    return {**place, "quote": link.quote, "flags": tuple(flags)}


def _cell_now(db: Database, base: Ground) -> dict[str, Any]:
    cited = base.cited
    summary = current_summary(db, cited["site_id"], cited["column_id"])
    was = cited.get("summary_version")
    flags = []
    if summary is None and was is not None:
        flags.append("the cell's summary is gone")
    elif summary is not None and was is None:
        flags.append(f"summarised since it was cited (now version {summary.version})")
    elif summary is not None and summary.text != cited.get("summary_text"):
        flags.append(f"summary rewritten since it was cited (version {was} → "
                     f"{summary.version})")
    return {"site_id": cited["site_id"], "flags": tuple(flags),
            "summary_line": summary.first_line if summary else cited.get("summary_line", "")}



def ground_source(db: Database, found: Ground) -> tuple[str, int, int] | None:
    """Where a cited passage lies now, to open it: (document, start, end) of its coding; a
    removed or orphaned coding opens its note with nothing selected. None for an indicator
    or a cell, and for a passage whose note is gone."""
    if found.kind == "coding":
        coding_id = int(found.ref)
    elif found.kind == "link":
        coding_id = int(found.cited["coding_id"])
    else:
        return None
    try:
        coding = get_coding(db, coding_id)
    except NotFoundError:  # removed: its note is still worth opening
        coding = None
    document_id = coding.document_id if coding else found.document_id
    if not db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone():
        return None
    if coding is None or coding.status == "orphaned":
        return document_id, 0, 0
    return document_id, coding.start, coding.end
