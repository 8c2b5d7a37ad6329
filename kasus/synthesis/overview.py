"""The goal-attainment table: for the overall row and each goal its judgement, grounds with
flags, warnings, and the tally of evidence by stance and site, so a reader sees whether the
text is borne out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from kasus.evidence.goals import SiteEvidence
from kasus.evidence.links import STANCES, list_links
from kasus.synthesis.columns import GOAL_AREAS, GOAL_ROWS, column_codes, goal_key
from kasus.synthesis.grounds import EVIDENCE_KINDS, Ground, grounds_of
from kasus.synthesis.judgements import JudgementVersion, current_judgement

NO_INDICATOR = "cites no indicator"
NO_EVIDENCE = "cites no evidence (a coding, link or cell)"


@dataclass(frozen=True)
class Tally:
    """The goal's coded evidence: passages per site, and evidence links per stance."""

    stances: dict[str, int]
    sites: list[SiteEvidence]


@dataclass(frozen=True)
class GoalRow:
    goal_id: str
    number: str  # "0" for the overall row, else 1–5
    label: str  # the goal as the codebook names it: the table's "Mål"
    judgement: JudgementVersion | None
    grounds: list[Ground]
    warnings: list[str]
    tally: Tally

    @property
    def flagged(self) -> list[Ground]:
        return [g for g in self.grounds if g.flags]


def warnings_for(judgement: JudgementVersion | None, grounds: list[Ground]) -> list[str]:
    """What a reader should know before trusting the row."""
    found = [] if judgement else ["no judgement yet"]
    kinds = {g.kind for g in grounds}
    if "indicator" not in kinds:
        found.append(NO_INDICATOR)
    if not kinds & set(EVIDENCE_KINDS):
        found.append(NO_EVIDENCE)
    flagged = sum(1 for g in grounds if g.flags)
    if flagged:
        found.append(f"{flagged} ground(s) flagged: changed or gone since cited")
    return found


def evidence_tally(db: Database, goal_id: str) -> Tally:
    """Codings of the goal's codes per site, and links to its indicators by stance and site."""
    codes = column_codes(db, goal_id) if db.execute(
        "SELECT 1 FROM codes WHERE id = ?", [goal_id]).fetchone() else ()
    area = GOAL_AREAS[goal_id]
    wanted = {row[0] for row in db.execute("SELECT id FROM indicators WHERE area = ?", [area])}
    links = [link for link in list_links(db) if link.indicator_id in wanted]
    marks = ", ".join("?" for _ in codes) or "NULL"
    counts = {row[0]: row[1] for row in db.execute(
        f"SELECT d.site_id, count(*) FROM codings c JOIN documents d ON d.id = c.document_id "
        f"WHERE c.removed_at IS NULL AND c.code_id IN ({marks}) GROUP BY d.site_id",
        list(codes))}
    per_site: dict[str, Counter[str]] = {}
    for link in links:
        per_site.setdefault(link.site_id, Counter())[link.stance] += 1
    total = Counter(link.stance for link in links)
    sites = [SiteEvidence(site, counts.get(site, 0),
                          {s: per_site.get(site, Counter())[s] for s in STANCES})
             for site in sorted(set(counts) | set(per_site))]
    return Tally({s: total[s] for s in STANCES}, sites)


def goal_row(db: Database, goal: str | int) -> GoalRow:
    """One row of the table with everything the goal screen shows of it."""
    goal_id = goal_key(goal)
    found = db.execute("SELECT label_nb FROM codes WHERE id = ?", [goal_id]).fetchone()
    judgement = current_judgement(db, goal_id)
    grounds = grounds_of(db, goal_id)
    return GoalRow(goal_id, str(GOAL_ROWS.index(goal_id)),
                   found[0] if found else f"{goal_id} (not in the codebook)", judgement,
                   grounds, warnings_for(judgement, grounds), evidence_tally(db, goal_id))


def goal_table(db: Database) -> list[GoalRow]:
    """The six rows: the overall escalation, then goals 1–5."""
    return [goal_row(db, goal_id) for goal_id in GOAL_ROWS]
