"""Which coder applied which code to which unit (sentence, paragraph or document).

A coder applied a code to a unit when their codings of that code cover at least the threshold
share of the unit's characters (a threshold of 0 means any overlap). A whole document counts
as coded with a code wherever the coder applied it in the document: a share of a whole note
would mean nothing. Agreement statistics and
the review of disagreements both start from these judgements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from kasus.codebook.codes import code_subtree, require_code
from kasus.config import validate_coder
from kasus.errors import KasusError

UNIT_KINDS = ("sentence", "paragraph", "document")
# Consensus codings are the review's outcome, not a coder's judgement: agreement never counts
# them.
JUDGED_ORIGINS = ("manual", "suggested", "auto", "merged")


@dataclass(frozen=True)
class Unit:
    """A unit of agreement: a segment of a document version, or the whole document."""

    document_id: str
    version: int
    kind: str
    ordinal: int
    start: int
    end: int
    site_id: str

    @property
    def key(self) -> str:
        """document@version/kind/ordinal: stable across re-imports of other documents."""
        return f"{self.document_id}@{self.version}/{self.kind}/{self.ordinal}"


@dataclass(frozen=True)
class Span:
    """One coding as agreement sees it."""

    coding_id: int
    document_id: str
    code_id: str
    coder: str
    start: int
    end: int


@dataclass
class Judgements:
    """Per code, the coders who applied it to each unit (by unit index; absent means none)."""

    coders: tuple[str, ...]
    kind: str
    threshold: float
    units: list[Unit]
    codes: list[str]
    applied: dict[str, dict[int, frozenset[str]]] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)


def parse_coders(text: str) -> tuple[str, ...]:
    """'demo-a,demo-b' -> ('demo-a', 'demo-b'); two or more distinct names."""
    coders = tuple(dict.fromkeys(validate_coder(name.strip()) for name in text.split(",")
                                 if name.strip()))
    if len(coders) < 2:
        raise KasusError(f"--coders {text!r} names {len(coders)} coder(s)",
                         "give two or more, separated by commas: --coders anna,bjorn")
    return coders


def load_units(db: Database, kind: str, site_id: str | None = None) -> list[Unit]:
    """Every unit of the current document versions, in document and text order."""
    if kind not in UNIT_KINDS:
        raise KasusError(f"unit {kind!r} is not one of {', '.join(UNIT_KINDS)}")
    site_clause, params = ("AND d.site_id = ?", [site_id]) if site_id else ("", [])
    if kind == "document":
        rows = db.execute(
            f"SELECT d.id, d.version, 0, 0, length(d.text), d.site_id FROM documents d "
            f"WHERE 1 {site_clause} ORDER BY d.site_id, d.id", params).fetchall()
    else:
        rows = db.execute(
            f'SELECT s.document_id, s.version, s.ordinal, s.start, s."end", d.site_id '
            f"FROM segments s JOIN documents d ON d.id = s.document_id AND s.version = d.version "
            f"WHERE s.kind = ? {site_clause} ORDER BY d.site_id, s.document_id, s.start",
            [kind, *params]).fetchall()
    return [Unit(r[0], r[1], kind, r[2], r[3], r[4], r[5]) for r in rows]


def load_spans(db: Database, coders: tuple[str, ...], site_id: str | None = None) -> list[Span]:
    """The coders' live, placed codings (not consensus ones)."""
    marks = ", ".join("?" for _ in coders)
    origins = ", ".join("?" for _ in JUDGED_ORIGINS)
    site_clause, params = ("AND d.site_id = ?", [site_id]) if site_id else ("", [])
    rows = db.execute(
        f'SELECT c.id, c.document_id, c.code_id, c.coder, c.start, c."end" FROM codings c '
        f"JOIN documents d ON d.id = c.document_id WHERE c.removed_at IS NULL "
        f"AND c.status != 'orphaned' AND c.coder IN ({marks}) AND c.origin IN ({origins}) "
        f"{site_clause}", [*coders, *JUDGED_ORIGINS, *params]).fetchall()
    return [Span(*row) for row in rows]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _covered(unit: Unit, spans: list[tuple[int, int]]) -> int:
    return sum(max(0, min(end, unit.end) - max(start, unit.start)) for start, end in spans)


def judge(db: Database, coders: tuple[str, ...], kind: str, threshold: float = 0.5,
          code_id: str | None = None, site_id: str | None = None) -> Judgements:
    """Which coder applied which code to which unit, for the codes in scope: the given code
    and its sub-codes, else every code any of the coders used."""
    if not 0 <= threshold <= 1:
        raise KasusError(f"threshold {threshold} is not between 0 and 1")
    missing = [c for c in coders if not db.execute(
        "SELECT 1 FROM codings WHERE coder = ? LIMIT 1", [c]).fetchone()]
    if missing:
        raise KasusError(f"coder {missing[0]!r} has no codings in this project",
                         "see `kasus stats` for coders")
    if kind == "document":
        threshold = 0.0
    units = load_units(db, kind, site_id)
    spans = load_spans(db, coders, site_id)
    if code_id is not None:
        require_code(db, code_id)
        scope = set(code_subtree(db, code_id))
        spans = [s for s in spans if s.code_id in scope]
    codes = sorted({s.code_id for s in spans}, key=_code_order(db))
    judgements = Judgements(coders, kind, threshold, units, codes, spans=spans)
    by_document: dict[str, list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        by_document[unit.document_id].append(index)
    grouped: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for span in spans:
        grouped[(span.document_id, span.code_id, span.coder)].append((span.start, span.end))
    applied: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (document_id, code, coder), pieces in grouped.items():
        merged = _merged(pieces)
        for index in by_document.get(document_id, []):
            unit = units[index]
            if merged[0][0] >= unit.end or merged[-1][1] <= unit.start:
                continue
            covered = _covered(unit, merged)
            if covered and covered >= threshold * (unit.end - unit.start):
                applied[code][index].add(coder)
    judgements.applied = {code: {i: frozenset(c) for i, c in per_unit.items()}
                          for code, per_unit in applied.items()}
    return judgements


def _code_order(db: Database) -> Callable[[str], tuple[int, str]]:
    positions = {row[0]: row[1] for row in db.execute("SELECT id, position FROM codes")}
    return lambda code_id: (positions.get(code_id, 10**6), code_id)
