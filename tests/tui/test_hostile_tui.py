"""Hostile names in the TUI: file names and messages reach the screen without escape codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static
from textual.widgets._toast import Toast

from tui.app import KasusApp
from tui.modals.import_folder import ImportFolderModal

pytestmark = pytest.mark.anyio
MakeApp = Callable[..., KasusApp]


async def test_import_status_lists_a_hostile_file_name_escaped(
        notes_project: Path, make_app: MakeApp, tmp_path: Path) -> None:
    folder = tmp_path / "ond"
    folder.mkdir()
    (folder / "tittel\x1b]0;hacked\x07.txt").write_text("", encoding="utf-8")  # fails: empty
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        modal = app.screen
        assert isinstance(modal, ImportFolderModal)
        await pilot.press(*str(folder), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(modal.query_one("#import-status", Static).content)
    assert "\x1b" not in status and "\x07" not in status
    assert "tittel\\x1b]0;hacked\\x07.txt" in status and "empty file" in status


async def test_notifications_carry_no_escape_codes(notes_project: Path,
                                                   make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()  # the coding screen, which holds the toasts, is up
        app.notify("ond\x1b[2J fil\u202e.txt: empty file", severity="error", markup=False)
        for _ in range(3):  # the toast rack shows notifications on a later refresh
            await pilot.pause()
        shown = [str(toast.render()) for toast in app.screen.query(Toast)]
    assert shown and all("\x1b" not in text and "\u202e" not in text for text in shown)
    assert any("ond fil.txt: empty file" in text for text in shown), shown
