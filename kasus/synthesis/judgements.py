"""Goal-attainment judgements: per goal row a level on the report's fixed scale, a text,
optional sub-judgements, draft or reviewed; every save a new version, as for summaries."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.errors import KasusError, NotFoundError
from kasus.store import transaction
from kasus.store.schema import new_guid
from kasus.synthesis.columns import goal_key
from kasus.synthesis.summaries import require_status

# The scale of the evaluation's final report, best first.
LEVELS = ("høy", "relativt høy", "middels", "lav", "sammensatt – ikke mulig å vurdere samlet")
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "-": " ", "–": " ", "_": " "})


def _folded(text: str) -> str:
    return " ".join(text.casefold().translate(_FOLD).split())


def parse_level(text: str) -> str:
    """The scale level a user means: 'relativt hoy', 'Relativt høy', 'sammensatt' …"""
    wanted = _folded(text)
    for level in LEVELS:
        folded = _folded(level)
        if wanted and (wanted == folded or (level.startswith("sammensatt")
                                            and folded.startswith(wanted))):
            return level
    raise KasusError(f"level {text!r} is not on the scale",
                     "use one of: " + " / ".join(LEVELS))


@dataclass(frozen=True)
class SubJudgement:
    """A part of a judgement: 'individnivå: relativt høy'."""

    label: str
    level: str
    text: str = ""


@dataclass(frozen=True)
class JudgementVersion:
    goal_id: str
    version: int
    level: str
    text: str
    parts: tuple[SubJudgement, ...]
    status: str
    author: str
    created_at: str
    restored_from: int | None = None


def _version(row: dict[str, Any]) -> JudgementVersion:
    parts = tuple(SubJudgement(**part) for part in json.loads(row["parts"]))
    return JudgementVersion(row["goal_id"], row["version"], row["level"], row["text"], parts,
                            row["status"], row["author"], row["created_at"],
                            row["restored_from"])


def judgement_history(db: Database, goal: str | int) -> list[JudgementVersion]:
    """Every version of a goal row's judgement, oldest first."""
    return [_version(row) for row in db.query(
        "SELECT * FROM goal_judgements WHERE goal_id = ? ORDER BY version", [goal_key(goal)])]


def current_judgement(db: Database, goal: str | int) -> JudgementVersion | None:
    """The newest version of a goal row's judgement, or None."""
    history = judgement_history(db, goal)
    return history[-1] if history else None


def save_judgement(db: Database, goal: str | int, actor: str, level: str | None = None,
                   text: str | None = None, parts: list[SubJudgement] | None = None,
                   status: str | None = None,
                   restored_from: int | None = None) -> JudgementVersion:
    """Save a new version of a goal's judgement; what is not given is kept from the current
    one, a changed level or text makes it a draft again, and no change saves nothing."""
    goal_id = goal_key(goal)
    if status is not None:
        require_status(status)
    checked = [SubJudgement(p.label.strip(), parse_level(p.level), p.text.strip())
               for p in parts or []]
    with transaction(db):
        current = current_judgement(db, goal_id)
        if current is None and (level is None or not (text or "").strip()):
            raise KasusError(f"goal {goal_id} has no judgement yet",
                             "give both --level L and --text T")
        base = current or JudgementVersion(goal_id, 0, "", "", (), "draft", actor, "")
        new_level = parse_level(level) if level is not None else base.level
        new_text = text.strip() if text is not None else base.text
        new_parts = tuple(checked) if parts is not None else base.parts
        if not new_text:
            raise KasusError(f"the judgement of goal {goal_id} would have no text")
        changed = (new_level, new_text, new_parts) != (base.level, base.text, base.parts)
        new_status = status or ("draft" if changed or current is None else base.status)
        if current is not None and not changed and new_status == current.status:
            return current
        version = JudgementVersion(goal_id, base.version + 1, new_level, new_text, new_parts,
                                   new_status, actor, now(), restored_from)
        row = {**asdict(version), "parts": json.dumps([asdict(p) for p in version.parts],
                                                      ensure_ascii=False), "guid": new_guid()}
        db.table("goal_judgements").insert(row)
        record(db, actor, "judgement.save", "goal_judgement", goal_id,
               before=None if current is None else asdict(current), after=asdict(version))
    return version


def restore_judgement(db: Database, goal: str | int, version: int, actor: str,
                      status: str = "draft") -> JudgementVersion:
    """Bring back an earlier version (level, text and parts) as a new version."""
    history = judgement_history(db, goal)
    old = next((v for v in history if v.version == version), None)
    if old is None:
        known = ", ".join(str(v.version) for v in history) or "none"
        raise NotFoundError(f"goal {goal_key(goal)} has no judgement version {version}",
                            f"versions: {known} (see --history)")
    return save_judgement(db, goal, actor, old.level, old.text, list(old.parts), status,
                          restored_from=version)
