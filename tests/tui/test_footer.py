"""The footer follows the keys that apply, though it rebuilds only when they change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette

from tests.tui.conftest import KARMOY
from tui.app import KasusApp
from tui.screens.coding import CodingScreen
from tui.screens.search import SearchScreen
from tui.widgets.footer import KeyFooter

pytestmark = pytest.mark.anyio


def shown(app: KasusApp) -> list[str]:
    return app.screen.query_one(KeyFooter).descriptions


def expected(app: KasusApp) -> list[str]:
    # One key per action: the footer shows an action bound to two keys once.
    return list(dict.fromkeys(binding.description for _, binding, _, _
                              in app.screen.active_bindings.values() if binding.show))


async def test_the_footer_shows_the_keys_that_apply_and_repaints_only_when_they_change(
        notes_project: Path, make_app: Callable[..., KasusApp],
        monkeypatch: pytest.MonkeyPatch) -> None:
    repaints: list[int] = []
    original = KeyFooter.refresh

    def counted(self: KeyFooter, *args: Any, **kwargs: Any) -> KeyFooter:
        repaints.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(KeyFooter, "refresh", counted)
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Code" not in shown(app)  # no document open: nothing to code
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        screen.open_document(KARMOY)
        await pilot.pause()
        assert "Code" in shown(app)
        assert [d for d in shown(app) if d in expected(app)] == expected(app)
        assert shown(app)[-1] == "palette"
        before, keys = len(repaints), shown(app)
        for key in ("]", "tab", "tab", "shift+tab"):
            await pilot.press(key)  # moving the cursor or the focus here changes no key shown
            await pilot.pause()
            assert shown(app) == keys
        assert len(repaints) == before


async def test_a_click_on_a_key_runs_it(notes_project: Path,
                                        make_app: Callable[..., KasusApp]) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        search = next(item for item in footer.items if item.description == "Search")
        line = footer.render().plain
        assert line[search.start:search.end] == f" {search.display} Search "
        await pilot.click(KeyFooter, offset=(search.start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        # The command palette's key sits at the right edge.
        await pilot.click(KeyFooter, offset=(footer.size.width - 3, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


class OneKeyApp(App[None]):
    """A footer with one key that is shown but not available."""

    BINDINGS = [Binding("s", "save", "Save")]  # noqa: RUF012
    saved = 0

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "save" and self.locked else True

    locked = True

    def action_save(self) -> None:
        self.saved += 1


async def test_a_key_not_available_shows_dim_and_rings_the_bell_when_clicked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = OneKeyApp()
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=(60, 3)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        [save] = footer.items
        assert not save.enabled
        assert all(span.style.dim for span in footer.render().spans[:2])
        await pilot.click(KeyFooter, offset=(1, 0))
        assert (bells, app.saved) == ([1], 0)
        app.locked = False
        app.refresh_bindings()
        await pilot.pause()
        assert footer.items[0].enabled
        await pilot.click(KeyFooter, offset=(1, 0))
        await pilot.pause()
        assert (bells, app.saved) == ([1], 1)
