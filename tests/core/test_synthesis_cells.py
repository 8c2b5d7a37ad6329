"""The framework matrix and cell summaries on the demo project: counts, versions, restore."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from kasus.coding.codings import list_codings
from kasus.errors import KasusError
from kasus.store import open_project
from kasus.synthesis.columns import ColumnChoice, save_choice, saved_choice
from kasus.synthesis.matrix import TO_SUMMARISE, build_matrix, cell_detail
from kasus.synthesis.summaries import (
    restore_summary,
    save_summary,
    summary_history,
)

FIRST = "ROP-teamet i Karmøy følger opp de fleste med samtidige lidelser.\nMer om bakgrunnen."
SECOND = "Karmøy har samlet rus og psykisk helse; ventetiden til DPS er lang."


def test_a_code_column_counts_its_sub_codes_and_marks_cells_to_summarise(demo: Database) -> None:
    matrix = build_matrix(demo, ColumnChoice("codes", codes=("rop", "bolig")))
    assert [c.id for c in matrix.columns] == ["rop", "bolig"]
    assert "karmoy" in [s.id for s in matrix.sites]
    live = list_codings(demo, code_id="rop", site_id="karmoy", with_descendants=True)
    own = list_codings(demo, code_id="rop", site_id="karmoy")
    assert len(live) > len(own)  # rop.samtidig passages count in the rop column
    cell = matrix.cell("karmoy", "rop")
    assert cell.passages == len(live)
    assert cell.documents == len({c.document_id for c in live})
    assert (cell.status, cell.first_line, cell.version) == (TO_SUMMARISE, "", None)


def test_a_goal_column_counts_the_themes_the_codebook_counts_under_it(demo: Database) -> None:
    goal_four = build_matrix(demo).cell("karmoy", "hm4").passages
    own = len(list_codings(demo, code_id="hm4", site_id="karmoy", with_descendants=True))
    housing = len(list_codings(demo, code_id="bolig", site_id="karmoy", with_descendants=True))
    assert goal_four >= own + housing > own


def test_the_column_choice_is_saved_with_the_project(demo: Database, tmp_path: Path) -> None:
    assert saved_choice(demo).mode == "goals"
    assert [c.id for c in build_matrix(demo).columns][:2] == ["opptrapping", "hm1"]
    save_choice(demo, ColumnChoice("codes", codes=("rop", "hm4.arbeid")), "tester")
    demo.close()
    reopened = open_project(tmp_path / "demo.db")
    try:
        assert [c.id for c in build_matrix(reopened).columns] == ["rop", "hm4.arbeid"]
        goal = build_matrix(reopened, ColumnChoice("goal", goal="4"))
        assert [c.id for c in goal.columns][:2] == ["hm4", "hm4.arbeid"]
        assert "bolig" in [c.id for c in goal.columns]
    finally:
        reopened.close()


def test_a_summary_in_karmoy_rop_is_versioned_and_an_earlier_one_restored(
        demo: Database) -> None:
    first = save_summary(demo, "Karmøy", "rop", "anna", FIRST)
    assert (first.version, first.status, first.author) == (1, "draft", "anna")
    cell = build_matrix(demo, ColumnChoice("codes", codes=("rop",))).cell("karmoy", "rop")
    assert (cell.first_line, cell.status, cell.version) == (FIRST.splitlines()[0], "draft", 1)
    second = save_summary(demo, "karmoy", "rop", "bo", SECOND)
    assert second.version == 2
    history = summary_history(demo, "karmoy", "rop")
    assert [(v.version, v.text, v.author) for v in history] == [
        (1, FIRST, "anna"), (2, SECOND, "bo")]
    restored = restore_summary(demo, "karmoy", "rop", 1, "anna")
    assert (restored.version, restored.text, restored.restored_from) == (3, FIRST, 1)
    assert cell_detail(demo, "karmoy", "rop").summary == restored
    saves = demo.execute("SELECT count(*) FROM audit_log WHERE action = 'summary.save' "
                         "AND entity_id = 'karmoy/rop'").fetchone()[0]
    assert saves == 3


def test_reviewing_a_summary_is_a_version_and_an_unchanged_save_is_none(demo: Database) -> None:
    save_summary(demo, "karmoy", "rop", "anna", FIRST)
    reviewed = save_summary(demo, "karmoy", "rop", "bo", status="reviewed")
    assert (reviewed.version, reviewed.text, reviewed.status) == (2, FIRST, "reviewed")
    assert save_summary(demo, "karmoy", "rop", "bo", FIRST, "reviewed") == reviewed
    rewritten = save_summary(demo, "karmoy", "rop", "anna", SECOND)
    assert rewritten.status == "draft"  # new text needs a new review


@pytest.mark.parametrize(("site", "code", "text", "message"), [
    ("Atlantis", "rop", "x", "no site 'Atlantis'"),
    ("karmoy", "ropp", "x", "no code 'ropp'"),
    ("karmoy", "rop", "   ", "would be empty"),
])
def test_a_bad_cell_or_text_is_refused_and_saves_nothing(demo: Database, site: str, code: str,
                                                        text: str, message: str) -> None:
    with pytest.raises(KasusError, match=message):
        save_summary(demo, site, code, "anna", text)
    assert demo.table("cell_summaries").count == 0


def test_restoring_a_version_that_is_not_there_names_the_versions(demo: Database) -> None:
    save_summary(demo, "karmoy", "rop", "anna", FIRST)
    with pytest.raises(KasusError, match="no summary version 7") as raised:
        restore_summary(demo, "karmoy", "rop", 7, "anna")
    assert "versions: 1" in str(raised.value)


def test_the_cell_detail_has_passages_with_roles_and_linked_indicators(demo: Database) -> None:
    detail = cell_detail(demo, "Karmøy", "rop")
    live = list_codings(demo, code_id="rop", site_id="karmoy", with_descendants=True)
    assert [p.coding_id for p in detail.passages] == [c.id for c in live]
    roles = {row[0]: row[1] for row in demo.execute("SELECT id, role FROM documents")}
    assert all(p.role == roles[p.document_id] for p in detail.passages)
    assert all(p.quote and p.end > p.start for p in detail.passages)
    linked = {row[0] for row in demo.execute(
        "SELECT indicator_id FROM code_indicators WHERE context = 0 AND code_id IN "
        "('rop', 'rop.samtidig', 'rop.team')")}
    assert linked and {f.id for f in detail.indicators} == linked
    assert all(f.latest and f.verdict for f in detail.indicators)
    assert detail.status == TO_SUMMARISE
