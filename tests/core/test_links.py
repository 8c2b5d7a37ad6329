"""Evidence links and the goal overview: stances, refusals, undo, orphaned codings flagged,
and a flag where the evidence contradicts the trend."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from kasus.coding.codings import apply_coding, remove_coding
from kasus.coding.history import undo
from kasus.errors import KasusError
from kasus.evidence.goals import coverage, goal_overview
from kasus.evidence.indicators import list_indicators, trend
from kasus.evidence.links import link_coding, list_links, unlink
from kasus.importing.importer import run_import

NOTE = ("---\nsite: Karmøy\nrole: NAV\n---\nVentelisten på kommunal bolig er lang.\n\n"
        "Flere har fått jobb gjennom IPS.\n")


@pytest.fixture
def codings(db: Database, tmp_path: Path) -> tuple[int, int]:
    note = tmp_path / "k.md"
    note.write_text(NOTE, encoding="utf-8")
    run_import(db, [note], "tester")
    text = db.execute("SELECT text FROM documents WHERE id = 'karmoy-k'").fetchone()[0]
    first, second = "Ventelisten på kommunal bolig er lang.", "Flere har fått jobb gjennom IPS."
    housing = apply_coding(db, "karmoy-k", text.index(first), text.index(first) + len(first),
                           "bolig", "tester")
    work = apply_coding(db, "karmoy-k", text.index(second),
                        text.index(second) + len(second), "hm4.arbeid", "tester")
    return housing.id, work.id


def test_a_link_carries_stance_note_site_and_quote(db: Database,
                                                   codings: tuple[int, int]) -> None:
    made = link_coding(db, codings[0], 77, "contradicts", "tester", note="lange ventelister")
    assert (made.stance, made.note, made.site_id, made.code_id) == (
        "contradicts", "lange ventelister", "karmoy", "bolig")
    assert made.quote == "Ventelisten på kommunal bolig er lang."
    assert [link.id for link in list_links(db, indicator_id=77)] == [made.id]
    assert list_links(db, code_id="bolig", stance="contradicts")[0].id == made.id
    assert list_links(db, stance="supports") == []


def test_bad_links_are_refused(db: Database, codings: tuple[int, int]) -> None:
    with pytest.raises(KasusError, match="no indicator 17"):
        link_coding(db, codings[0], 17, "supports", "tester")
    with pytest.raises(KasusError, match="stance 'agrees'"):
        link_coding(db, codings[0], 77, "agrees", "tester")
    with pytest.raises(KasusError, match="no coding 999"):
        link_coding(db, 999, 77, "supports", "tester")
    remove_coding(db, codings[1], "tester")
    with pytest.raises(KasusError, match=f"coding {codings[1]} is removed"):
        link_coding(db, codings[1], 69, "supports", "tester")
    link_coding(db, codings[0], 77, "supports", "tester")
    with pytest.raises(KasusError, match="already linked"):
        link_coding(db, codings[0], 77, "nuances", "tester")


def test_undo_removes_a_link_and_unlink_is_undone(db: Database,
                                                  codings: tuple[int, int]) -> None:
    made = link_coding(db, codings[0], 77, "explains", "tester")
    step = undo(db, "tester")
    assert step is not None and step.done.startswith(f"removed link {made.id}")
    assert list_links(db) == []
    again = link_coding(db, codings[0], 77, "explains", "tester")
    unlink(db, again.id, "tester")
    undo(db, "tester")
    assert [link.id for link in list_links(db)] == [again.id]


def test_a_link_survives_its_coding_being_orphaned(db: Database, codings: tuple[int, int],
                                                   tmp_path: Path) -> None:
    made = link_coding(db, codings[0], 77, "supports", "tester")
    note = tmp_path / "k.md"
    note.write_text(NOTE.replace("Ventelisten på kommunal bolig er lang.", "Noe annet."),
                    encoding="utf-8")
    run_import(db, [note], "tester")
    [kept] = [link for link in list_links(db) if link.id == made.id]
    assert kept.coding_status == "orphaned"


def test_the_goal_overview_flags_evidence_that_contradicts_the_trend(
        db: Database, codings: tuple[int, int]) -> None:
    goal4 = [i for i in list_indicators(db) if i.area == "hovedmal4"]
    improving = [i for i in goal4 if trend(i).verdict == "improving"]
    assert improving, "goal 4 has improving indicators in the shipped data"
    target = improving[0].id
    link_coding(db, codings[0], target, "contradicts", "tester")
    link_coding(db, codings[1], target, "contradicts", "tester")
    overview = goal_overview(db, 4)
    assert {row.id for row in overview.indicators} == {i.id for i in goal4}
    assert sum(overview.verdicts.values()) == len(goal4)
    karmoy = next(site for site in overview.sites if site.site_id == "karmoy")
    assert karmoy.codings == 2 and karmoy.stances["contradicts"] == 2
    assert any(f"indicator {target} is improving, but 2 of 2" in flag for flag in overview.flags)
    assert "bolig" in overview.codes or "hm4.arbeid" in overview.codes



def test_coverage(db: Database) -> None:
    found = coverage(db)
    ids = [indicator_id for indicator_id, _ in found.unlinked_indicators]
    measured = {row[0] for row in db.execute(
        "SELECT indicator_id FROM code_indicators WHERE context = 0")}
    every = {row[0] for row in db.execute("SELECT id FROM indicators")}
    assert set(ids) == every - measured  # the shipped codebook links 10–13 now too
    db.execute("DELETE FROM code_indicators WHERE indicator_id = 10")
    assert (10, coverage(db).unlinked_indicators[0][1]) in coverage(db).unlinked_indicators
    assert "covid-19" in found.codes_without_indicators
