"""Guards for the private TextArea API in tui/widgets/text_area_internals.py: they fail when a
textual upgrade changes the line cache, the wrap table or the render hook we rely on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tui.conftest import KARMOY
from tui.app import KasusApp
from tui.screens.coding import CodingScreen
from tui.widgets.document_view import GUTTER_WIDTH, DocumentView

pytestmark = pytest.mark.anyio
MakeApp = Callable[..., KasusApp]


def row_backgrounds(view: DocumentView, y: int) -> list[str | None]:
    """The background colour of every cell of screen row y, as rendered now."""
    cells: list[str | None] = []
    for segment in view.render_line(y):
        colour = segment.style.bgcolor if segment.style else None
        name = colour.get_truecolor().hex if colour else None
        cells += [name] * len(segment.text)
    return cells


def screen_rows(view: DocumentView) -> list[list[str | None]]:
    return [row_backgrounds(view, y) for y in range(view.size.height)]


def row_text(view: DocumentView, y: int) -> str:
    return "".join(segment.text for segment in view.render_line(y))


async def test_colours_change_after_coding_and_the_margin_marks_it(
        notes_project: Path, make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"karmoy", "enter", "enter")
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.view.document_id == KARMOY
        view = screen.view
        before = screen_rows(view)
        margin_before = [row_text(view, y)[0] for y in range(view.size.height)]
        await pilot.press("}", ">", "c", *"bolig", "enter")
        await pilot.pause()
        after = screen_rows(view)
        changed = [y for y in range(len(after)) if after[y] != before[y]]
        assert changed, "a new coding must repaint its rows (the line cache was not cleared)"
        # The coded text gets a new background, the paragraph's first row a margin mark.
        margin_after = [row_text(view, y)[0] for y in range(view.size.height)]
        assert margin_after.count("▌") == margin_before.count("▌") + 1


async def test_a_click_maps_to_the_character_under_the_mouse(notes_project: Path,
                                                            make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"karmoy", "enter", "enter")
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        view = screen.view
        for x, y in ((GUTTER_WIDTH + 5, 2), (GUTTER_WIDTH + 17, 6), (GUTTER_WIDTH + 30, 9)):
            await pilot.click(DocumentView, offset=(x, y))
            shown = row_text(view, y)[x]
            assert view.record[view.cursor_offset] == shown, (x, y)
            assert view.row_info(y) is not None
        assert view.row_info(view.size.height + 10_000) is None


async def test_rows_kept_in_the_cache_are_the_rows_a_fresh_render_gives(
        notes_project: Path, make_app: MakeApp) -> None:
    """Only rows whose codings or selection changed are re-rendered; every other row comes
    from the cache and must look exactly as if the whole view had been rendered anew."""
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"karmoy", "enter", "enter")
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        view = screen.view
        for keys in (("}", ">", "c", *"bolig", "enter"), ("]", "]"), (">", ">"),
                     ("escape", "}", "}"), (">", "c", *"rop", "enter"), ("u",)):
            await pilot.press(*keys)
            await pilot.pause()
            cached = screen_rows(view), [row_text(view, y) for y in range(view.size.height)]
            view.repaint_lines()
            fresh = screen_rows(view), [row_text(view, y) for y in range(view.size.height)]
            assert cached == fresh, f"stale rows after {keys}"
