"""The framework matrix, the cell view and the goal screen, driven by real keys: a summary
written in the Karmøy × ROP cell survives leaving, a rewrite keeps the first version and
restoring brings it back; the goal screen shows a judgement with a flagged ground."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TextArea

from kasus.coding.codings import list_codings, remove_coding
from kasus.store import open_project
from kasus.synthesis import (
    ColumnChoice,
    build_matrix,
    cite,
    grounds_of,
    judgement_history,
    save_judgement,
    saved_choice,
    summary_history,
)
from tui.app import KasusApp
from tui.modals.confirm import ConfirmModal
from tui.modals.versions import VersionsModal
from tui.screens.cell import CellScreen
from tui.screens.coding import CodingScreen
from tui.screens.goals import GoalScreen
from tui.screens.matrix import MatrixScreen

pytestmark = pytest.mark.anyio
MakeApp = Callable[..., KasusApp]
SIZE = (120, 40)
FIRST = "Samlokalisert ROP-tjeneste; færre brukere faller mellom to stoler."
SECOND = "Tett samarbeid med DPS, men ingen FACT-team."


def as_text(renderable: Any) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def moves_to(project: Path, site: str, column: str) -> list[str]:
    """The arrow keys from the matrix's first cell to (site, column), as the core orders
    the goal-4 matrix."""
    db = open_project(project)
    try:
        matrix = build_matrix(db, ColumnChoice("goal", "4"))
    finally:
        db.close()
    rows = [s.id for s in matrix.sites].index(site)
    columns = [c.id for c in matrix.columns].index(column)
    return ["down"] * rows + ["right"] * columns


async def open_goal4_matrix(pilot: Pilot[Any]) -> MatrixScreen:
    """M, then k and the 'codes of goal 4' option."""
    await pilot.press("M", "k")
    await pilot.pause()
    await pilot.press(*["down"] * 4, "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MatrixScreen)
    return screen


async def open_cell(pilot: Pilot[Any], moves: list[str]) -> CellScreen:
    await pilot.press(*moves, "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CellScreen)
    return screen


def summaries(project: Path) -> list[tuple[int, str, int | None]]:
    db = open_project(project)
    try:
        return [(v.version, v.text, v.restored_from)
                for v in summary_history(db, "karmoy", "rop")]
    finally:
        db.close()


async def test_a_summary_in_karmoy_rop_survives_leaving_and_its_first_version_comes_back(
        demo_project: Path, make_app: MakeApp) -> None:
    moves = moves_to(demo_project, "karmoy", "rop")
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        matrix = await open_goal4_matrix(pilot)
        await pilot.press(*moves)
        focus = as_text(matrix.query_one("#matrix-focus", Static).content)
        assert "Karmøy × ROP – samtidig rus og psykisk lidelse (rop)" in focus
        assert "to summarise" in focus
        cell = await open_cell(pilot, [])
        await pilot.press(*FIRST, "ctrl+s", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        shown = as_text(app.screen.query_one("#matrix-focus", Static).content)
        assert FIRST in shown and "draft" in shown and "to summarise" not in shown
        await pilot.press("escape")
        assert isinstance(app.screen, CodingScreen)

        # Reopened, the matrix remembers its columns and the cell its summary.
        await pilot.press("M")
        await pilot.pause()
        cell = await open_cell(pilot, moves)
        assert cell.editor.text == FIRST
        await pilot.press("ctrl+a", *SECOND, " ", "ctrl+s")
        await pilot.pause()
        assert cell.editor.text == f"{SECOND} {FIRST}"

        # History lists the newest first; the first version is restored as a third.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, VersionsModal)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is cell and cell.editor.text == FIRST
    assert summaries(demo_project) == [(1, FIRST, None), (2, f"{SECOND} {FIRST}", None),
                                       (3, FIRST, 1)]


async def test_the_column_choice_is_saved_for_the_project(demo_project: Path,
                                                          make_app: MakeApp) -> None:
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        matrix = await open_goal4_matrix(pilot)
        goal4 = len(matrix.matrix.columns) if matrix.matrix else 0
        await pilot.press("a", *"bolig", "enter")  # a column already: nothing added
        await pilot.pause()
        assert matrix.matrix is not None and len(matrix.matrix.columns) == goal4
        await pilot.press("a", *"hm2", "enter")
        await pilot.pause()
        assert matrix.matrix is not None and len(matrix.matrix.columns) == goal4 + 1
    db = open_project(demo_project)
    try:
        choice = saved_choice(db)
    finally:
        db.close()
    assert choice.mode == "codes" and choice.codes[-1] == "hm2"
    assert len(choice.codes) == goal4 + 1


async def test_leaving_a_cell_with_unsaved_text_asks_first(demo_project: Path,
                                                           make_app: MakeApp) -> None:
    moves = moves_to(demo_project, "karmoy", "rop")
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_goal4_matrix(pilot)
        cell = await open_cell(pilot, moves)
        await pilot.press(*"halvferdig", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        assert app.screen is cell and cell.editor.text == "halvferdig"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
    assert summaries(demo_project) == []


async def test_reviewed_status_and_a_jump_to_the_passage(demo_project: Path,
                                                         make_app: MakeApp) -> None:
    moves = moves_to(demo_project, "karmoy", "rop")
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_goal4_matrix(pilot)
        cell = await open_cell(pilot, moves)
        await pilot.press("ctrl+r")  # nothing saved yet: refused
        await pilot.press(*FIRST, "ctrl+s", "ctrl+r")
        await pilot.pause()
        assert cell.detail is not None and cell.detail.summary is not None
        assert cell.detail.summary.status == "reviewed"
        first = cell.detail.passages[0]
        await pilot.press("tab", "enter")
        await pilot.pause()
        coding = app.screen
        assert isinstance(coding, CodingScreen)
        assert coding.view.document_id == first.document_id
        assert coding.view.selection_span == (first.start, first.end)
    db = open_project(demo_project)
    try:
        assert [v.status for v in summary_history(db, "karmoy", "rop")] == ["draft", "reviewed"]
    finally:
        db.close()


def judged_goal4(project: Path) -> str:
    """A goal-4 judgement written through the core, citing an indicator and two codings
    (listed in that order), the first of which is then removed; returns its ground label."""
    db = open_project(project)
    try:
        save_judgement(db, 4, "demo-a", "relativt høy",
                       "Relativt høy på individnivå, lav på tjeneste- og systemnivå.")
        cite(db, 4, "indicator:77", "demo-a")
        bolig = [c for c in list_codings(db) if c.code_id == "bolig"]
        cite(db, 4, f"coding:{bolig[0].id}", "demo-a")
        cite(db, 4, f"coding:{bolig[-1].id}", "demo-a")
        remove_coding(db, bolig[0].id, bolig[0].coder)
        return f"coding:{bolig[0].id}"
    finally:
        db.close()


async def test_the_goal_screen_shows_a_judgement_with_a_flagged_ground(
        demo_project: Path, make_app: MakeApp) -> None:
    removed = judged_goal4(demo_project)
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GoalScreen)
        table = screen.query_one("#goal-table", DataTable)
        assert table.row_count == 6
        row = as_text(table.get_row_at(4))
        assert "relativt høy" in row and "draft v1" in row and "flagged" in row
        shown = as_text(screen.query_one("#goal-judgement", Static).content)
        assert "Relativt høy på individnivå" in shown
        assert f"⚠ {removed}" in shown and "coding removed" in shown
        assert "Grounds (3, 1 flagged)" in shown
        await pilot.press("3")
        shown = as_text(screen.query_one("#goal-judgement", Static).content)
        assert "No judgement yet" in shown


async def test_the_goal_screen_edits_level_and_text_keeping_both_versions(
        demo_project: Path, make_app: MakeApp) -> None:
    judged_goal4(demo_project)
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "4", "e")
        await pilot.pause()
        editor = app.screen.query_one("#judgement-text", TextArea)
        assert editor.has_focus
        await pilot.press("ctrl+a", *"Sammensatt bilde. ", "shift+tab", "down", "down")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GoalScreen)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, VersionsModal)
        await pilot.press("escape", "c", *"indicator:73", "enter")
        await pilot.pause()
        await pilot.press("c", *"indicator:9999", "enter")
        await pilot.pause()
        await pilot.press("escape")
    db = open_project(demo_project)
    try:
        history = judgement_history(db, 4)
        cited = [g.label for g in grounds_of(db, 4)]
    finally:
        db.close()
    assert [(v.level, v.text) for v in history] == [
        ("relativt høy", "Relativt høy på individnivå, lav på tjeneste- og systemnivå."),
        ("lav", "Sammensatt bilde. Relativt høy på individnivå, lav på tjeneste- og "
                "systemnivå.")]
    assert "indicator:73" in cited and "indicator:9999" not in cited


async def test_a_ground_opens_its_passage_and_can_be_taken_off(demo_project: Path,
                                                               make_app: MakeApp) -> None:
    judged_goal4(demo_project)
    db = open_project(demo_project)
    try:
        kept = next(g for g in grounds_of(db, 4) if g.kind == "coding" and not g.flags)
        coding = next(c for c in list_codings(db) if c.id == int(kept.ref))
    finally:
        db.close()
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "4", "g", "x", "y")  # the indicator, listed first, goes
        await pilot.pause()
        assert isinstance(app.screen, GoalScreen)
        await pilot.press("g", "down", "enter")  # the live coding, after the removed one
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert screen.view.document_id == coding.document_id
        assert screen.view.selection_span == (coding.start, coding.end)
    db = open_project(demo_project)
    try:
        assert [g.kind for g in grounds_of(db, 4)] == ["coding", "coding"]
    finally:
        db.close()
