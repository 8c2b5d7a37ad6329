"""What a theme summary holds, gathered once for every format: each code's definition, its
passages by site with their references, counts per site and role, and its indicators."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlite_utils import Database

from kasus.codebook.codes import list_codes, require_code
from kasus.coding.codings import list_codings
from kasus.documents import list_documents
from kasus.errors import KasusError
from kasus.evidence.goals import goal_codes
from kasus.evidence.indicators import get_indicator, trend
from kasus.evidence.links import STANCES, list_links
from kasus.model import Code
from kasus.synthesis.summaries import SummaryVersion, site_summaries


@dataclass(frozen=True)
class Passage:
    """A coded passage with the reference a report writer cites."""

    coding_id: int
    document_id: str
    site: str
    role: str
    date: str
    coder: str
    quote: str
    memo: str
    status: str


@dataclass(frozen=True)
class IndicatorLine:
    id: int
    name: str
    unit: str
    values: dict[int, float]
    verdict: str
    years: str
    stances: dict[str, int]


@dataclass(frozen=True)
class CodeSummary:
    code: Code
    passages: list[Passage]
    per_site: dict[str, tuple[int, int]]  # site -> (passages, documents)
    per_role: dict[str, tuple[int, int]]
    indicators: list[IndicatorLine]


@dataclass(frozen=True)
class ThemeSummary:
    title: str
    codes: list[CodeSummary] = field(default_factory=list)
    # A site profile's matrix-cell summaries: (column label, current version).
    cell_summaries: list[tuple[str, SummaryVersion]] = field(default_factory=list)


def _counts(passages: list[Passage], key: str) -> dict[str, tuple[int, int]]:
    found: Counter[str] = Counter(getattr(p, key) for p in passages)
    documents: dict[str, set[str]] = {}
    for passage in passages:
        documents.setdefault(getattr(passage, key), set()).add(passage.document_id)
    return {name: (found[name], len(documents[name])) for name in sorted(found)}


def _indicator_lines(db: Database, code: Code) -> list[IndicatorLine]:
    lines = []
    for indicator_id in code.indicators:
        indicator = get_indicator(db, indicator_id)
        judged = trend(indicator)
        stances = Counter(link.stance for link in list_links(db, indicator_id=indicator_id))
        levels = {v.year: v.value for v in indicator.values
                  if v.origin == "status2019" and v.kind == "level" and v.value is not None}
        lines.append(IndicatorLine(indicator.id, indicator.name_nb, indicator.unit, levels,
                                   judged.verdict, judged.years,
                                   {s: stances[s] for s in STANCES}))
    return lines


def theme_summary(db: Database, code_ids: list[str] | None = None, goal: int | None = None,
                  site_id: str | None = None, coder: str | None = None,
                  round_: int | None = None) -> ThemeSummary:
    """The summary of the named codes, or of every code a goal counts (its own and its
    themes'), optionally for one site or one coder's codings."""
    if not code_ids and goal is None:
        raise KasusError("a summary needs --code C (one or more) or --goal N")
    for code_id in code_ids or []:
        require_code(db, code_id)
    wanted = list(code_ids or []) + (goal_codes(db, goal) if goal is not None else [])
    codes = {code.id: code for code in list_codes(db)}
    documents = {d["id"]: d for d in list_documents(db)}
    summaries = []
    for code_id in dict.fromkeys(wanted):
        passages = [
            Passage(c.id, c.document_id, documents[c.document_id]["site"],
                    documents[c.document_id]["role"] or "", documents[c.document_id]["date"] or "",
                    c.coder, c.quote, c.memo, c.status)
            for c in list_codings(db, code_id=code_id, site_id=site_id, coder=coder,
                                  round_=round_)
        ]
        summaries.append(CodeSummary(codes[code_id], passages, _counts(passages, "site"),
                                     _counts(passages, "role"),
                                     _indicator_lines(db, codes[code_id])))
    title = (f"Hovedmål {goal}" if goal is not None and not code_ids
             else ", ".join(s.code.label_nb for s in summaries))
    return ThemeSummary(title, summaries)


def site_profile(db: Database, site_id: str, coder: str | None = None,
                 round_: int | None = None) -> ThemeSummary:
    """Every code with passages at one site, in codebook order, with those passages: the
    skeleton of that site's case section."""
    used = {c.code_id for c in list_codings(db, site_id=site_id, coder=coder, round_=round_)}
    if not used:
        raise KasusError(f"no codings at site {site_id!r}", "code some of its notes first")
    ordered = [code.id for code in list_codes(db) if code.id in used]
    name = db.execute("SELECT name FROM sites WHERE id = ?", [site_id]).fetchone()[0]
    summary = theme_summary(db, ordered, site_id=site_id, coder=coder, round_=round_)
    return ThemeSummary(f"Casebeskrivelse: {name}", summary.codes, site_summaries(db, site_id))
