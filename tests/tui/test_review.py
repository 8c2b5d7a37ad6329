"""The review session driven by keys on the demo project: decide, quit, reopen, resume."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from kasus.review.decisions import list_disagreements, open_session, progress
from kasus.store import open_project
from tui.app import KasusApp
from tui.screens.review import ReviewScreen

pytestmark = pytest.mark.anyio
MakeApp = Callable[..., KasusApp]
COMMENT = "Følger kodeboka: bolig gjelder, også på Karmøy"


async def start_review(pilot: object, app: KasusApp) -> ReviewScreen:
    await pilot.press("R")  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def title(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-title", Static).content)


async def test_three_decisions_survive_quitting_and_reopening(demo_project: Path,
                                                              make_app: MakeApp) -> None:
    app = make_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_review(pilot, app)
        assert screen.review.coders == ("demo-a", "demo-b")
        total = len(screen.disagreements)
        assert f"0/{total} resolved" in title(screen)
        first = screen.current
        assert first is not None
        await pilot.press("a", *"ja, koden passer", "ctrl+s")
        await pilot.press("down", "r", *"nei", "ctrl+s")
        await pilot.press("down", "e", *"samarbeid", "enter", *COMMENT, "ctrl+s")
        await pilot.pause()
        assert f"3/{total} resolved" in title(screen)
        await pilot.press("n")  # the next open one
        assert screen.current is not None and screen.current.decision is None
    db = open_project(demo_project)
    session = open_session(db, ("demo-a", "demo-b"), "paragraph", 0.5, "tester")
    decided = [d for d in list_disagreements(db, session) if d.decision]
    db.close()
    assert [d.decision.verdict for d in decided if d.decision] == ["accept", "reject", "recode"]
    assert decided[0].key == first.key and decided[2].decision is not None
    assert decided[2].decision.comment == COMMENT
    assert decided[2].decision.new_code_id == "samarbeid"
    app = make_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_review(pilot, app)
        assert f"3/{total} resolved" in title(screen)


async def test_escape_in_the_comment_decides_nothing_and_filters_narrow(
        demo_project: Path, make_app: MakeApp) -> None:
    app = make_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_review(pilot, app)
        everything = len(screen.disagreements)
        await pilot.press("a", "escape")
        await pilot.press("s")  # the first site
        site = screen.site_filter
        assert site is not None and f"site {site}" in title(screen)
        assert all(d.unit.site_id == site for d in screen.disagreements.values())
        await pilot.press("s", "s", "s", "s", "s", "s")  # back round to every site
        assert screen.site_filter is None and len(screen.disagreements) == everything
        await pilot.press("c", *"bolig", "enter")
        assert screen.disagreements and all(d.code_id.startswith("bolig")
                                            for d in screen.disagreements.values())
    db = open_project(demo_project)
    session = open_session(db, ("demo-a", "demo-b"), "paragraph", 0.5, "tester")
    assert progress(list_disagreements(db, session)).decided == 0
    db.close()


async def test_whose_codings_are_shown_and_marked(demo_project: Path, make_app: MakeApp) -> None:
    from kasus.coding.codings import apply_coding

    db = open_project(demo_project)
    apply_coding(db, "karmoy-01", 0, 7, "hm1", "tester")
    db.close()
    app = make_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"karmoy", "enter", "enter")
        screen = app.screen
        view = screen.view  # type: ignore[attr-defined]
        coders = {c.coder for c in view.codings}
        assert coders == {"tester", "demo-a", "demo-b"}
        assert screen.coder_glyphs["tester"] == "▌"  # type: ignore[attr-defined]
        assert len(set(screen.coder_glyphs.values())) == 3  # type: ignore[attr-defined]
        await pilot.press("o")
        assert {c.coder for c in view.codings} == {"tester"}
        await pilot.press("o")
        assert {c.coder for c in view.codings} == {"demo-a", "demo-b"}
        await pilot.press("o")
        assert {c.coder for c in view.codings} == coders
