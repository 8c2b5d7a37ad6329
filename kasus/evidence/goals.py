"""The goal overview (triangulation): a main goal's indicators and their verdicts beside the
coded evidence per site, with a flag where evidence and trend disagree."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlite_utils import Database

from kasus.codebook.codes import code_subtree
from kasus.errors import KasusError
from kasus.evidence.indicators import list_indicators, trend
from kasus.evidence.links import STANCES, list_links
from kasus.model import EvidenceLink


@dataclass(frozen=True)
class IndicatorVerdict:
    id: int
    name: str
    desired: str
    verdict: str
    years: str
    stances: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteEvidence:
    site_id: str
    codings: int
    stances: dict[str, int]


@dataclass(frozen=True)
class GoalOverview:
    goal: int
    code_id: str
    label: str
    codes: list[str]
    indicators: list[IndicatorVerdict]
    verdicts: dict[str, int]
    sites: list[SiteEvidence]
    flags: list[str]


def goal_codes(db: Database, goal: int) -> list[str]:
    """The goal's code, its sub-codes, and the themes (with their sub-codes) the codebook says
    contribute to it: housing evidence is goal-4 evidence."""
    code_id = f"hm{goal}"
    if not db.execute("SELECT 1 FROM codes WHERE id = ?", [code_id]).fetchone():
        raise KasusError(f"the codebook has no goal code {code_id!r}",
                         "goals are the codes hm1 … hm5")
    codes = code_subtree(db, code_id)
    for row in db.execute("SELECT code_id FROM code_goals WHERE goal_id = ? ORDER BY code_id",
                          [code_id]):
        codes += [c for c in code_subtree(db, row[0]) if c not in codes]
    return codes


def _disagreement(name: str, verdict: str, stances: Counter[str]) -> str | None:
    against, along = stances["contradicts"], stances["supports"]
    if verdict in ("improving", "worsening", "rising", "falling") and against > along:
        return (f"{name} is {verdict}, but {against} of {sum(stances.values())} linked "
                f"passages contradict the trend ({along} support it)")
    return None


def goal_overview(db: Database, goal: int) -> GoalOverview:
    """Indicators of the goal with their verdicts, evidence per site and stance, and flags."""
    codes = goal_codes(db, goal)
    label = db.execute("SELECT label_nb FROM codes WHERE id = ?", [f"hm{goal}"]).fetchone()[0]
    indicators = [i for i in list_indicators(db) if i.area == f"hovedmal{goal}"]
    links = [link for i in indicators for link in list_links(db, indicator_id=i.id)]
    verdicts: Counter[str] = Counter()
    rows, flags = [], []
    for indicator in indicators:
        judged = trend(indicator)
        verdicts[judged.verdict] += 1
        stances = Counter(link.stance for link in links if link.indicator_id == indicator.id)
        rows.append(IndicatorVerdict(indicator.id, indicator.name_nb, indicator.desired,
                                     judged.verdict, judged.years, dict(stances)))
        flag = _disagreement(f"indicator {indicator.id}", judged.verdict, stances)
        if flag:
            flags.append(flag)
    overall = Counter(link.stance for link in links)
    majority = "improving" if verdicts["improving"] > verdicts["worsening"] else (
        "worsening" if verdicts["worsening"] > verdicts["improving"] else "")
    if majority and overall["contradicts"] > overall["supports"]:
        flags.insert(0, f"most indicators of goal {goal} are {majority} "
                        f"({verdicts[majority]} of {len(indicators)}), but most linked evidence "
                        f"contradicts them ({overall['contradicts']} of {sum(overall.values())})")
    return GoalOverview(goal, f"hm{goal}", label, codes, rows, dict(verdicts),
                        _site_evidence(db, codes, links), flags)


def _site_evidence(db: Database, codes: list[str],
                   links: list[EvidenceLink]) -> list[SiteEvidence]:
    marks = ", ".join("?" for _ in codes)
    counts = {row[0]: row[1] for row in db.execute(
        f"SELECT d.site_id, count(*) FROM codings c JOIN documents d ON d.id = c.document_id "
        f"WHERE c.removed_at IS NULL AND c.code_id IN ({marks}) GROUP BY d.site_id", codes)}
    stances: dict[str, Counter[str]] = {}
    for link in links:
        stances.setdefault(link.site_id, Counter())[link.stance] += 1
    return [SiteEvidence(site, counts.get(site, 0),
                         {s: stances.get(site, Counter())[s] for s in STANCES})
            for site in sorted(set(counts) | set(stances))]


@dataclass(frozen=True)
class Coverage:
    unlinked_indicators: list[tuple[int, str]]
    codes_without_indicators: list[str]


def coverage(db: Database) -> Coverage:
    """Indicators no code links to, and active codes that link no indicator."""
    unlinked = [(row[0], row[1]) for row in db.execute(
        "SELECT id, name_nb FROM indicators WHERE id NOT IN "
        "(SELECT indicator_id FROM code_indicators WHERE context = 0) ORDER BY id")]
    bare = [row[0] for row in db.execute(
        "SELECT id FROM codes WHERE status = 'active' AND id NOT IN "
        "(SELECT code_id FROM code_indicators WHERE context = 0) ORDER BY position")]
    return Coverage(unlinked, bare)
