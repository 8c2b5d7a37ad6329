"""The footer follows the keys that apply, though it rebuilds only when they change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey  # the footer's key widget, to read what it shows

from tests.tui.conftest import KARMOY
from tui.app import KasusApp
from tui.screens.coding import CodingScreen
from tui.widgets.footer import KeyFooter

pytestmark = pytest.mark.anyio


def shown(app: KasusApp) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


def expected(app: KasusApp) -> list[str]:
    # One key per action: the footer shows an action bound to two keys once.
    return list(dict.fromkeys(binding.description for _, binding, _, _
                              in app.screen.active_bindings.values() if binding.show))


async def test_the_footer_shows_the_keys_that_apply_and_skips_needless_rebuilds(
        notes_project: Path, make_app: Callable[..., KasusApp],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rebuilds: list[int] = []
    original = KeyFooter.recompose

    async def counted(self: KeyFooter) -> None:
        rebuilds.append(1)
        await original(self)

    monkeypatch.setattr(KeyFooter, "recompose", counted)
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
        before, keys = len(rebuilds), shown(app)
        for key in ("]", "tab", "tab", "shift+tab"):
            await pilot.press(key)  # moving the cursor or the focus here changes no key shown
            await pilot.pause()
            assert shown(app) == keys
        assert len(rebuilds) == before
