"""Evidence in the TUI by keys: link passages from two sites to indicator 77, see them on the
indicator screen with their stances, and open one; the goal overview flags a disagreement."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import OptionList, Static

from kasus.evidence.links import list_links
from kasus.store import open_project
from tui.app import KasusApp
from tui.screens.coding import CodingScreen
from tui.screens.goals import GoalScreen
from tui.screens.indicators import IndicatorScreen

pytestmark = pytest.mark.anyio


def as_text(widget: Static) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()
MakeApp = Callable[..., KasusApp]


async def link_first_sentence_with(pilot: object, app: KasusApp, document: str, stance: str,
                                   note: str) -> None:
    """Open a note, code its paragraph 2 as bolig, then l: indicator 77, a stance, a note."""
    press = pilot.press  # type: ignore[attr-defined]
    await press("f", *document.replace("-", " "), "enter")
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.view.document_id == document
    await press("}", ">", "c", *"bolig", "enter")
    await press("l", *"77", "enter")
    stances = ["supports", "contradicts", "nuances", "explains"]
    await press(*["down"] * stances.index(stance), "enter", *note, "enter")
    await pilot.pause()  # type: ignore[attr-defined]


async def test_links_from_two_sites_show_on_indicator_77_and_enter_opens_one(
        notes_project: Path, make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await link_first_sentence_with(pilot, app, "karmoy-01", "contradicts", "lange koer")
        await link_first_sentence_with(pilot, app, "tromso-02", "supports", "nok boliger")
        await pilot.press("I", *"77", "enter")
        screen = app.screen
        assert isinstance(screen, IndicatorScreen)
        assert screen.current is not None and screen.current.id == 77
        shown = as_text(screen.query_one("#ind-trend", Static))
        assert "brudd" in shown and "2 linked passage(s)" in shown
        evidence = screen.query_one("#ind-evidence", OptionList)
        headings = [str(o.prompt) for o in evidence.options if o.disabled]
        assert headings == ["karmoy (1)", "tromso (1)"]
        assert "contradicts" in str(evidence.options[1].prompt)
        await pilot.press("e", "enter")
        await pilot.pause()
        coding = app.screen
        assert isinstance(coding, CodingScreen) and coding.view.document_id == "karmoy-01"
    db = open_project(notes_project)
    links = list_links(db, indicator_id=77)
    db.close()
    assert {(link.site_id, link.stance, link.note) for link in links} == {
        ("karmoy", "contradicts", "lange koer"), ("tromso", "supports", "nok boliger")}


async def test_the_goal_overview_flags_contradicting_evidence(notes_project: Path,
                                                              make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        # Indicator 73 (goal 4: help to a place to live) improves; two passages say otherwise.
        for document in ("karmoy-01", "horten-01"):
            await pilot.press("f", *document.replace("-", " "), "enter")
            await pilot.press("}", ">", "c", *"bolig", "enter")
            await pilot.press("l", *"73", "enter", "down", "enter", "enter")
            await pilot.pause()
        await pilot.press("G", "4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GoalScreen)
        text = as_text(screen.query_one("#goal-body", Static))
        assert "Goal 4" in text and "indicator 73 is improving, but 2 of 2" in text
        assert "most indicators of goal 4 are improving" in text


async def test_the_export_dialog_writes_in_a_worker_and_asks_before_overwriting(
        coded_project: Path, make_app: MakeApp, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.modals.confirm import ConfirmModal
    from tui.modals.export_dialog import ExportModal

    monkeypatch.chdir(tmp_path)
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("E")
        assert isinstance(app.screen, ExportModal)
        await pilot.press(*"bolig,rop", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = tmp_path / "exports" / "summary.md"
        assert written.exists()
        first = written.read_text(encoding="utf-8")
        assert "wrote" in as_text(app.screen.query_one("#export-status", Static))
        await pilot.press("escape", "E", "enter")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n", "escape")
    assert written.read_text(encoding="utf-8") == first  # "no" kept the file as it was
    assert "(rop)" in first and "(bolig)" in first
    assert oct(written.stat().st_mode & 0o777) == "0o600"


async def test_the_export_dialog_writes_a_refi_qda_project(
        coded_project: Path, make_app: MakeApp, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    from tui.modals.export_dialog import CHOICES, ExportModal

    monkeypatch.chdir(tmp_path)
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("E")
        assert isinstance(app.screen, ExportModal)
        steps = [value for _, value in CHOICES].index("qdpx:qdpx")
        await pilot.press("shift+tab", "enter", *["down"] * steps, "enter")
        assert app.screen.kind_and_format == ("qdpx", "qdpx")
        await pilot.press("tab", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "wrote" in as_text(app.screen.query_one("#export-status", Static))
    written = tmp_path / "exports" / "qdpx.qdpx"
    with zipfile.ZipFile(written) as archive:
        assert "project.qde" in archive.namelist()
        assert any(name.startswith("sources/") for name in archive.namelist())
    assert oct(written.stat().st_mode & 0o777) == "0o600"
