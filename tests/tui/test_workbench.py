"""The coding workbench driven by real keys; outcomes checked through the core."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import OptionList, Static

from kasus.coding.codings import list_codings
from kasus.documents import get_document, list_documents, segments_of
from kasus.search import search, search_page
from kasus.store import open_project
from tests.tui.conftest import CODER, KARMOY
from tui.app import KasusApp
from tui.modals.code_picker import CodePickerModal
from tui.screens.code_view import CodeViewScreen
from tui.screens.coding import CodingScreen
from tui.screens.help import HelpScreen
from tui.screens.search import SearchScreen

pytestmark = pytest.mark.anyio
MakeApp = Callable[..., KasusApp]


def coding_screen(app: KasusApp) -> CodingScreen:
    screen = app.screen
    assert isinstance(screen, CodingScreen)
    return screen


async def open_karmoy(pilot: object, app: KasusApp) -> CodingScreen:
    """Filter the document list to Karmøy and open its first note, all with keys."""
    await pilot.press("f", *"karmoy", "enter", "enter")  # type: ignore[attr-defined]
    screen = coding_screen(app)
    assert screen.view.document_id == KARMOY
    return screen


def second_paragraph_sentences(project: Path) -> tuple[tuple[int, int], str]:
    """The span of the first two sentences of karmoy-01's second paragraph, and its text."""
    db = open_project(project)
    try:
        paragraph = segments_of(db, KARMOY, "paragraph")[1]
        sentences = [s for s in segments_of(db, KARMOY, "sentence")
                     if paragraph.start <= s.start < paragraph.end]
        text = get_document(db, KARMOY).text
    finally:
        db.close()
    span = (sentences[0].start, sentences[1].end)
    return span, text[span[0]:span[1]]


def codings_of(project: Path) -> list[tuple[str, int, int, str]]:
    db = open_project(project)
    try:
        return [(c.code_id, c.start, c.end, c.quote)
                for c in list_codings(db, document_id=KARMOY, coder=CODER)]
    finally:
        db.close()


async def test_code_two_sentences_reopen_and_undo(notes_project: Path, make_app: MakeApp) -> None:
    span, quote = second_paragraph_sentences(notes_project)
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, app)
        await pilot.press("}", ">", ">")
        assert screen.view.selection_span == span
        await pilot.press("c")
        assert isinstance(app.screen, CodePickerModal)
        await pilot.press(*"rop", "enter")
        await pilot.pause()
        assert codings_of(notes_project) == [("rop", *span, quote)]
        assert "1/1" in screen.code_tree.label_of("rop")
        row = screen.view.table.row_of(span[0])
        assert screen.view.get_line(row).spans, "the coded passage is painted"
        assert "saved" in str(screen.query_one("#status").render())
        await pilot.press("ctrl+q")

    reopened = make_app(notes_project)
    async with reopened.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, reopened)
        assert [(c.code_id, c.start, c.end) for c in screen.view.codings] == [("rop", *span)]
        assert "1/1" in screen.code_tree.label_of("rop")
        await pilot.press("u")
        await pilot.pause()
        assert codings_of(notes_project) == []
        assert "1/1" not in screen.code_tree.label_of("rop")
        assert screen.view.codings == []
        await pilot.press("ctrl+r")
        assert [c[0] for c in codings_of(notes_project)] == ["rop"]


async def test_empty_selection_codes_the_sentence_at_the_cursor(
        notes_project: Path, make_app: MakeApp) -> None:
    span, _ = second_paragraph_sentences(notes_project)
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_karmoy(pilot, app)
        await pilot.press("}", "right", "right", "c", *"bolig", "enter")
        await pilot.pause()
        db = open_project(notes_project)
        first_sentence = next(s for s in segments_of(db, KARMOY, "sentence") if s.start == span[0])
        db.close()
        assert [(c[0], c[1], c[2]) for c in codings_of(notes_project)] == [
            ("bolig", first_sentence.start, first_sentence.end)]


async def test_escape_in_the_picker_codes_nothing(notes_project: Path, make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_karmoy(pilot, app)
        await pilot.press("}", ">", "c", *"rop", "escape")
        assert isinstance(app.screen, CodingScreen)
        assert codings_of(notes_project) == []


async def test_search_enter_jumps_to_the_hit(notes_project: Path, make_app: MakeApp) -> None:
    query = '"Pilehagen bokollektiv"'
    db = open_project(notes_project)
    hits = search(db, query)
    db.close()
    assert len(hits) >= 1
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*query, "enter")
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count == len(hits)
        await pilot.press("enter")
        screen = coding_screen(app)
        assert screen.view.document_id == hits[0].document_id
        assert screen.view.selection_span == (hits[0].start, hits[0].end)
        assert screen.view.has_focus


async def test_search_says_how_many_hits_there_are_and_pages_on(notes_project: Path,
                                                                  make_app: MakeApp) -> None:
    db = open_project(notes_project)
    page = search_page(db, "og")
    last = search_page(db, "og", limit=1, offset=page.total - 1).hits[0]
    db.close()
    assert page.total > len(page.hits)
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"og", "enter")
        summary = str(app.screen.query_one("#search-summary", Static).render())
        assert f"the first {len(page.hits)} of {page.total:,} hits" in summary
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count == len(page.hits)
        await pilot.press("ctrl+n")
        assert results.option_count == min(2 * len(page.hits), page.total)
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        assert results.option_count == page.total
        summary = str(app.screen.query_one("#search-summary", Static).render())
        assert f"{page.total} hits for" in summary and "ctrl+n" not in summary
        await pilot.press("end", "enter")
        assert coding_screen(app).view.document_id == last.document_id


async def test_code_view_lists_the_passage_under_its_site(
        coded_project: Path, make_app: MakeApp) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("g", *"rop", "enter")
        assert isinstance(app.screen, CodeViewScreen)
        options = app.screen.query_one("#code-view-list", OptionList).options
        headings = [str(o.prompt) for o in options if o.disabled]
        assert headings == ["Karmøy (1)"]
        rop = next(c for c in app.screen.codings.values() if c.code_id == "rop")
        assert rop.quote in str(options[1].prompt)
        await pilot.press("enter")
        screen = coding_screen(app)
        assert screen.view.document_id == KARMOY
        assert screen.view.selection_span == (rop.start, rop.end)


async def test_memo_and_remove_the_coding_at_the_cursor(
        coded_project: Path, make_app: MakeApp) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_karmoy(pilot, app)
        await pilot.press("n", "m")
        await pilot.press("ctrl+a", "ctrl+k", *"ny memo", "ctrl+s")
        db = open_project(coded_project)
        memos = {c.code_id: c.memo for c in list_codings(db, document_id=KARMOY, coder=CODER)}
        db.close()
        assert memos["rop"] == "ny memo"
        await pilot.press("x")
        assert [c[0] for c in codings_of(coded_project)] == ["organisering", "bolig"]


async def test_digit_applies_a_most_used_code(coded_project: Path, make_app: MakeApp) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, app)
        quick = screen.quick_codes()
        assert {code for code in quick if code} == {"rop", "organisering", "bolig"}
        await pilot.press(">", "2")
        assert sorted(c[0] for c in codings_of(coded_project)) == sorted(
            ["rop", "organisering", "bolig", quick[1]])


async def test_sentence_and_coding_navigation(coded_project: Path, make_app: MakeApp) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, app)
        view = screen.view
        starts = [s[0] for s in view.sentences]
        await pilot.press("]")
        assert view.cursor_offset == starts[1]
        await pilot.press("]", "[")
        assert view.cursor_offset == starts[1]
        codings = sorted(view.codings, key=lambda c: c.start)
        await pilot.press("n")
        assert view.cursor_offset == codings[0].start
        await pilot.press("n", "N")
        assert view.cursor_offset == codings[0].start
        await pilot.press("v", "]", "]")
        assert view.selection_span == (codings[0].start, starts[starts.index(codings[0].start) + 2])


async def test_help_theme_and_narrow_layout(notes_project: Path, make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_karmoy(pilot, app)
        assert not screen.query_one("#right").display
        await pilot.press("f3")
        assert screen.query_one("#right").display
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert coding_screen(app) is screen


async def test_import_folder_runs_in_a_worker(
        notes_project: Path, make_app: MakeApp, tmp_path: Path) -> None:
    folder = tmp_path / "new-notes"
    folder.mkdir()
    (folder / "vadso-01.md").write_text(
        "---\nid: vadso-01\nsite: Vadsø\nrole: leder\ndate: 2020-01-10\n---\n"
        "Et kort, fiktivt referat. Det handler om bolig og rus.\n", encoding="utf-8")
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *str(folder), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        screen = coding_screen(app)
        listed = [o.id for o in screen.query_one("#doc-list", OptionList).options]
        assert "vadso-01" in listed
    db = open_project(notes_project)
    assert "vadso-01" in [d["id"] for d in list_documents(db)]
    db.close()


async def test_command_palette_opens_a_document(notes_project: Path, make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"open document karmoy-02")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert coding_screen(app).view.document_id == "karmoy-02"


async def test_work_committed_elsewhere_shows_up(notes_project: Path, make_app: MakeApp,
                                                 tmp_path: Path) -> None:
    """A CLI coding and a CLI re-import while the workbench is open: both show, and codes
    applied afterwards land on the new text."""
    from kasus.coding.codings import apply_coding
    from kasus.importing.importer import run_import

    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, app)
        outside = open_project(notes_project)
        text = get_document(outside, KARMOY).text
        apply_coding(outside, KARMOY, 0, 20, "bolig", "other-coder")
        screen.check_outside_changes()  # what the 2-second timer does
        assert [c.coder for c in screen.view.codings] == ["other-coder"]

        note = tmp_path / "karmoy-01.md"
        note.write_text(f"---\nid: {KARMOY}\nsite: Karmøy\nrole: leder\n---\n"
                        f"Et nytt første avsnitt.\n\n{text}", encoding="utf-8")
        assert run_import(outside, [note], "other-coder").results[0].status == "new version"
        outside.close()
        screen.check_outside_changes()
        await pilot.pause()
        assert screen.view.record.startswith("Et nytt første avsnitt.")
        await pilot.press("c", *"rop", "enter")  # the sentence at the cursor: the new one
        await pilot.pause()
        coded = [(code, quote) for code, _, _, quote in codings_of(notes_project)]
        assert ("rop", "Et nytt første avsnitt.") in coded


async def test_search_text_with_brackets_is_shown_as_typed(notes_project: Path,
                                                           make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"bolig [/]", "enter")
        await pilot.pause()
        summary = str(app.screen.query_one("#search-summary").render())
        assert "bolig [/]" in summary


async def test_mouse_drag_selects_and_c_codes_it(notes_project: Path, make_app: MakeApp) -> None:
    from tui.widgets.document_view import DocumentView

    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, app)
        await pilot.mouse_down(DocumentView, offset=(8, 5))
        await pilot.hover(DocumentView, offset=(20, 7))
        await pilot.mouse_up(DocumentView, offset=(20, 7))
        start, end = screen.view.selection_span
        assert end - start > 40
        selected = screen.view.record[start:end].strip()
        await pilot.press("c", *"bolig", "enter")
        await pilot.pause()
        assert [(code, quote) for code, _, _, quote in codings_of(notes_project)] == [
            ("bolig", selected)]


async def test_orphaned_codings_are_listed_not_painted(coded_project: Path, make_app: MakeApp,
                                                       tmp_path: Path) -> None:
    from kasus.importing.importer import run_import
    from tui.widgets.coding_list import CodingList

    db = open_project(coded_project)
    bolig = next(c for c in list_codings(db, document_id=KARMOY, coder=CODER)
                 if c.code_id == "bolig")
    text = get_document(db, KARMOY).text
    note = tmp_path / "karmoy-01.md"
    note.write_text(f"---\nid: {KARMOY}\nsite: Karmøy\nrole: leder\n---\n"
                    + text.replace(bolig.quote, ""), encoding="utf-8")
    report = run_import(db, [note], "tester").results[0].reanchored
    assert report is not None and report.orphaned == 1
    db.close()
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, app)
        assert [c.id for c in screen.orphaned] == [bolig.id]
        assert bolig.id not in [c.id for c in screen.view.codings]
        panel = screen.query_one(CodingList).content
        console = Console(width=200, file=io.StringIO(), record=True)
        console.print(panel)
        shown = console.export_text()
        assert "Orphaned (1)" in shown and bolig.quote[:20] in shown
