"""The import modal on a folder large enough for the import's worker processes: progress to
the end, every note stored and listed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import OptionList, ProgressBar

from bench.synthetic import long_note
from kasus.documents import list_documents
from kasus.importing.parallel import workers_for
from kasus.store import open_project
from tui.app import KasusApp
from tui.screens.coding import CodingScreen

pytestmark = pytest.mark.anyio
NOTES = 60  # 180,000 words


async def test_import_modal_on_workers_shows_progress_and_lists_every_note(
        notes_project: Path, make_app: Callable[..., KasusApp], tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    for number in range(NOTES):
        (folder / f"tromso-{number:02}.md").write_text(
            f"---\nid: stor-{number:02}\nsite: Tromsø\nrole: leder\ndate: 2020-02-10\n---\n"
            + long_note(3000, seed=number), encoding="utf-8")
    assert workers_for([(path, path.name) for path in folder.iterdir()]) == 2
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *str(folder), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        bar = app.screen.query_one("#import-progress", ProgressBar)
        assert (bar.progress, bar.total) == (NOTES, NOTES)
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        listed = {o.id for o in screen.query_one("#doc-list", OptionList).options}
        assert {f"stor-{number:02}" for number in range(NOTES)} <= listed
    db = open_project(notes_project)
    assert sum(1 for d in list_documents(db) if d["site_id"] == "tromso") >= NOTES
    db.close()
