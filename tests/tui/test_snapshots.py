"""Snapshots of the main screens at 120×40 (and the narrow layout at 80×24)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tui.app import KasusApp

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., KasusApp]
SIZE = (120, 40)


async def open_karmoy(pilot: Pilot[Any]) -> None:
    await pilot.press("f", *"karmoy", "enter", "enter")
    await pilot.pause()


class TestCodingScreen:
    def test_karmoy_note_with_codings(self, snap_compare: SnapCompare, coded_project: Path,
                                      make_app: MakeApp) -> None:
        """A Karmøy note: overlapping codings painted, the codings at the cursor on the right."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_karmoy(pilot)
            await pilot.press("n", "n")

        assert snap_compare(make_app(coded_project), terminal_size=SIZE, run_before=run_before)

    def test_light_theme_with_a_selection(self, snap_compare: SnapCompare, coded_project: Path,
                                          make_app: MakeApp) -> None:
        """The light theme, with two sentences selected over the code colours."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_karmoy(pilot)
            await pilot.press("}", ">", ">")

        app = make_app(coded_project, theme="textual-light")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_narrow_terminal(self, snap_compare: SnapCompare, coded_project: Path,
                             make_app: MakeApp) -> None:
        """At 80×24 the right panel folds away and the document list narrows."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_karmoy(pilot)
            await pilot.press("}")

        assert snap_compare(make_app(coded_project), terminal_size=(80, 24),
                            run_before=run_before)


class TestModals:
    def test_code_picker_ranks_rop_first(self, snap_compare: SnapCompare, notes_project: Path,
                                         make_app: MakeApp) -> None:
        """The picker over a selection, with ROP on top for "rop"."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_karmoy(pilot)
            await pilot.press("}", ">", ">", "c", *"rop")

        assert snap_compare(make_app(notes_project), terminal_size=SIZE, run_before=run_before)

    def test_help_lists_the_bindings(self, snap_compare: SnapCompare, notes_project: Path,
                                     make_app: MakeApp) -> None:
        """Help (?) lists every binding by context."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("question_mark")

        assert snap_compare(make_app(notes_project), terminal_size=SIZE, run_before=run_before)


class TestCorpusScreens:
    def test_search_results(self, snap_compare: SnapCompare, notes_project: Path,
                            make_app: MakeApp) -> None:
        """Search for a word: hits with site, document, role and the marked sentence."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("slash", *"ventetid", "enter")
            await pilot.pause()

        assert snap_compare(make_app(notes_project), terminal_size=SIZE, run_before=run_before)

    def test_code_view(self, snap_compare: SnapCompare, coded_project: Path,
                       make_app: MakeApp) -> None:
        """The code view of ROP: its passages grouped by site."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("g", *"rop", "enter")
            await pilot.pause()

        assert snap_compare(make_app(coded_project), terminal_size=SIZE, run_before=run_before)


class TestReview:
    def test_two_coders_on_a_note(self, snap_compare: SnapCompare, demo_project: Path,
                                  make_app: MakeApp) -> None:
        """The demo as it opens: both demo coders' codings, a margin glyph per coder."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_karmoy(pilot)
            await pilot.press("}", "}", "]")

        assert snap_compare(make_app(demo_project), terminal_size=SIZE, run_before=run_before)

    def test_review_session(self, snap_compare: SnapCompare, demo_project: Path,
                            make_app: MakeApp) -> None:
        """A review session: disagreements, the passage with each coder's span, progress."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("R", "enter")
            await pilot.press("a", *"riktig kode", "ctrl+s")
            await pilot.pause()

        assert snap_compare(make_app(demo_project), terminal_size=SIZE, run_before=run_before)

    def test_review_session_narrow(self, snap_compare: SnapCompare, demo_project: Path,
                                   make_app: MakeApp) -> None:
        """The review session at 80×24."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("R", "enter", "down")
            await pilot.pause()

        assert snap_compare(make_app(demo_project), terminal_size=(80, 24),
                            run_before=run_before)


class TestEvidence:
    def test_indicator_77_with_its_evidence(self, snap_compare: SnapCompare,
                                            linked_project: Path, make_app: MakeApp) -> None:
        """Indicator 77: the chart, the trend with its brudd, and passages from two sites."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("I", *"77", "enter")
            await pilot.pause()

        assert snap_compare(make_app(linked_project), terminal_size=SIZE, run_before=run_before)

    def test_indicator_screen_narrow(self, snap_compare: SnapCompare, linked_project: Path,
                                     make_app: MakeApp) -> None:
        """The indicator screen at 80×24."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("I", *"bosituasjon", "enter")
            await pilot.pause()

        assert snap_compare(make_app(linked_project), terminal_size=(80, 24),
                            run_before=run_before)

    def test_goal_4_overview(self, snap_compare: SnapCompare, linked_project: Path,
                             make_app: MakeApp) -> None:
        """The goal-4 overview: indicators with verdicts, evidence by site and stance."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("G", "4")
            await pilot.pause()

        assert snap_compare(make_app(linked_project), terminal_size=SIZE, run_before=run_before)


async def to_karmoy_rop(pilot: Pilot[Any]) -> None:
    """The matrix of goal 4's codes, cursor on Karmøy × ROP (row 3, column 9 of the demo)."""
    await pilot.press("M", "k", *["down"] * 4, "enter")
    await pilot.press("down", "down", *["right"] * 8)
    await pilot.pause()


class TestSynthesis:
    def test_matrix(self, snap_compare: SnapCompare, synthesis_project: Path,
                    make_app: MakeApp) -> None:
        """The goal-row matrix: counts, "to summarise", a draft and a reviewed summary."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("M", "down", "down", *["right"] * 4)
            await pilot.pause()

        assert snap_compare(make_app(synthesis_project), terminal_size=SIZE,
                            run_before=run_before)

    def test_matrix_narrow(self, snap_compare: SnapCompare, synthesis_project: Path,
                           make_app: MakeApp) -> None:
        """The goal-4 matrix at 80×24: scrolled to ROP, its full name under the table."""
        assert snap_compare(make_app(synthesis_project), terminal_size=(80, 24),
                            run_before=to_karmoy_rop)

    def test_cell_view(self, snap_compare: SnapCompare, synthesis_project: Path,
                       make_app: MakeApp) -> None:
        """Karmøy × ROP: passages with informant role, the summary, linked indicators."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_karmoy_rop(pilot)
            await pilot.press("enter")
            await pilot.pause()

        assert snap_compare(make_app(synthesis_project), terminal_size=SIZE,
                            run_before=run_before)

    def test_goal_screen(self, snap_compare: SnapCompare, synthesis_project: Path,
                         make_app: MakeApp) -> None:
        """Goal 4's judgement: grounds with a removed coding flagged, the tally by site."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("G", "4")
            await pilot.pause()

        assert snap_compare(make_app(synthesis_project), terminal_size=SIZE,
                            run_before=run_before)
