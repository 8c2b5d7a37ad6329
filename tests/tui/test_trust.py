"""Workbench points a new user tripped on: which coding x and m act on, where coding keys
work, another coder's work, the code's meaning at hand, memos and searches kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from kasus.coding.codings import apply_coding, list_codings, remove_coding
from kasus.documents import segments_of
from kasus.store import open_project
from tests.tui.conftest import CODER, KARMOY
from tui.app import KasusApp
from tui.modals.choose_coding import ChooseCodingModal
from tui.modals.code_picker import CodePickerModal
from tui.modals.confirm import ConfirmModal
from tui.modals.memo_editor import MemoEditorModal
from tui.screens.coding import CodingScreen
from tui.screens.search import SearchScreen

pytestmark = pytest.mark.anyio
MakeApp = Callable[..., KasusApp]


def live(project: Path, coder: str | None = CODER) -> list[tuple[str, str]]:
    db = open_project(project)
    try:
        return [(c.code_id, c.coder) for c in list_codings(db, document_id=KARMOY, coder=coder)]
    finally:
        db.close()


async def open_karmoy(pilot: object, app: KasusApp) -> CodingScreen:
    await pilot.press("f", *"karmoy", "enter", "enter")  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.view.document_id == KARMOY
    return screen


async def test_x_with_two_codings_here_asks_which_and_says_what_it_removed(
        coded_project: Path, make_app: MakeApp) -> None:
    seen: list[str] = []
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_karmoy(pilot, app)
        app.notify = lambda message, **_: seen.append(str(message))  # type: ignore[method-assign]
        await pilot.press("n", "n", "x")  # the start of the overlap of rop and organisering
        chooser = app.screen
        assert isinstance(chooser, ChooseCodingModal)
        assert sorted(c.code_id for c in chooser.codings) == ["organisering", "rop"]
        target = chooser.codings[1]
        await pilot.press("down", "enter")
        await pilot.pause()
    remaining = [code for code, _ in live(coded_project)]
    assert target.code_id not in remaining and len(remaining) == 2
    assert any(m.startswith(f"removed {target.code_id} {target.start}–{target.end}")
               for m in seen), seen


async def test_coding_keys_do_nothing_in_the_document_list_or_filter(
        coded_project: Path, make_app: MakeApp) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, app)
        await pilot.press(">")  # a selection in the open note
        await pilot.press("d")  # focus the document list
        await pilot.press("c", "x", "m", "1", "2")
        assert isinstance(app.screen, CodingScreen)
        await pilot.press("f", *"c1x", "escape")
        assert isinstance(app.screen, CodingScreen)
        assert screen.query_one("#doc-filter", Input).value.endswith("c1x")
    assert len(live(coded_project)) == 3


async def test_another_coders_coding_is_removed_only_after_a_yes(
        notes_project: Path, make_app: MakeApp) -> None:
    db = open_project(notes_project)
    first = segments_of(db, KARMOY, "sentence")[2]
    apply_coding(db, KARMOY, first.start, first.end, "bolig", "anna", memo="annas")
    db.close()
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_karmoy(pilot, app)
        await pilot.press("n", "x")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        assert live(notes_project, None) == [("bolig", "anna")]
        await pilot.press("m")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        await pilot.press("x", "y")
        await pilot.pause()
        assert live(notes_project, None) == []
        await pilot.press("u")  # undo is the remover's own, and brings it back
        await pilot.pause()
        assert live(notes_project, None) == [("bolig", "anna")]


async def test_the_meaning_of_a_code_is_at_hand(notes_project: Path, make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, app)
        await pilot.press(">", "c", *"rop.team")
        picker = app.screen
        assert isinstance(picker, CodePickerModal)
        info = str(picker.query_one("#picker-info", Static).content)
        assert "ROP-team og ROP-tjenester" in info and "Exclude:" in info
        await pilot.press("escape", "t")
        await pilot.press("down", "down")
        code_id = screen.code_tree.highlighted_code
        assert code_id is not None
        shown = screen.query_one("#code-info", Static)
        assert shown.display and screen.codes[code_id].label_nb in str(shown.content)
        assert screen.codes[code_id].definition[:40] in str(shown.content).replace("\n", " ")
        width = screen.query_one("#right").size.width
        await pilot.press("W")
        await pilot.pause()
        assert screen.query_one("#right").size.width > width


async def test_escape_in_the_memo_editor_asks_before_dropping_typed_text(
        coded_project: Path, make_app: MakeApp) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_karmoy(pilot, app)
        await pilot.press("n", "m", *"viktig", "escape")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        assert isinstance(app.screen, MemoEditorModal)
        await pilot.press("ctrl+s")
        await pilot.pause()
        db = open_project(coded_project)
        memos = {c.code_id: c.memo for c in list_codings(db, coder=CODER)}
        db.close()
        assert memos["rop"] == "viktigto ROP-tjenester"  # typed at the start of the memo
        await pilot.press("m", "escape")  # nothing typed: closes without asking
        assert isinstance(app.screen, CodingScreen)


async def test_search_keeps_its_query_and_a_new_one_replaces_it(
        notes_project: Path, make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"ventetid", "ctrl+l", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        found = len(app.screen.hits)
        await pilot.press("escape", "slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.query_one("#search-input", Input).value == "ventetid"
        assert len(screen.hits) == found and screen.state.lemma
        await pilot.press(*"bolig", "enter")
        assert screen.query_one("#search-input", Input).value == "bolig"


async def test_one_enter_in_the_filter_opens_the_note(notes_project: Path,
                                                     make_app: MakeApp) -> None:
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"karmoy 02", "enter")
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.view.document_id == "karmoy-02"


async def test_the_coder_is_asked_once_and_saved(notes_project: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from kasus.config import coder_and_source

    monkeypatch.delenv("KASUS_CODER")
    app = KasusApp(notes_project, "root", theme="textual-dark", ask_coder=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*[("ctrl+a", "ctrl+k")][0], *"kari", "enter")
        await pilot.pause()
        assert app.session.coder == "kari"
        await pilot.press("f", *"karmoy", "enter", ">", "c", *"bolig", "enter")
        await pilot.pause()
    assert coder_and_source()[0] == "kari"
    assert live(notes_project, None) == [("bolig", "kari")]


async def test_theme_and_last_note_are_remembered(notes_project: Path) -> None:
    app = KasusApp(notes_project, CODER, remember=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"horten 02", "enter", "ctrl+t")
        assert app.theme == "textual-light"
    app = KasusApp(notes_project, CODER, remember=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert app.theme == "textual-light"
        assert isinstance(screen, CodingScreen) and screen.view.document_id == "horten-02"


async def test_digits_keep_their_codes_and_p_pins_another(coded_project: Path,
                                                         make_app: MakeApp) -> None:
    app = make_app(coded_project)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_karmoy(pilot, app)
        before = list(screen.quick)
        assert set(before[:3]) == {"rop", "organisering", "bolig"}
        legend = str(screen.query_one("#quick-legend", Static).content)
        assert screen.query_one("#quick-legend").display and "1" in legend and before[0] in legend
        # Code one passage three more times with the code on digit 3: it becomes the most used,
        # yet every digit keeps its code.
        for _ in range(3):
            await pilot.press("]", "]", ">", "3")
        await pilot.pause()
        assert screen.quick == before
        await pilot.press("p", *"hm4.arbeid", "enter", "1")
        await pilot.pause()
        assert screen.quick[0] == "hm4.arbeid"
        assert before[0] not in screen.quick[:3] or screen.quick.index(before[0]) != 0
        await pilot.press("]", ">", "1")
        await pilot.pause()
    assert ("hm4.arbeid", CODER) in live(coded_project)


async def test_the_import_dialog_gives_a_site_and_role_to_files_without(
        notes_project: Path, make_app: MakeApp, tmp_path: Path) -> None:
    from kasus.documents import list_documents
    from kasus.sites import list_sites

    folder = tmp_path / "uten-metadata"
    folder.mkdir()
    (folder / "notat.md").write_text("Et kort, fiktivt referat om bolig.\n", encoding="utf-8")
    db = open_project(notes_project)
    names = [site.name for site in list_sites(db)]
    db.close()
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *str(folder), "tab", "enter")
        await pilot.press(*["down"] * (names.index("Karmøy") + 1), "enter")
        await pilot.press("tab", *"NAV-veileder", "shift+tab", "shift+tab", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    db = open_project(notes_project)
    added = [d for d in list_documents(db) if d["title"] == "notat"]
    db.close()
    assert [(d["site"], d["role"]) for d in added] == [("Karmøy", "NAV-veileder")]


async def test_an_orphaned_coding_is_placed_on_the_selection_or_removed(
        coded_project: Path, make_app: MakeApp, tmp_path: Path) -> None:
    from kasus.documents import get_document
    from kasus.importing.importer import run_import

    db = open_project(coded_project)
    codings = list_codings(db, document_id=KARMOY, coder=CODER)
    bolig = next(c for c in codings if c.code_id == "bolig")
    rop = next(c for c in codings if c.code_id == "rop")
    remove_coding(db, rop.id, CODER)  # a removed coding is not counted
    text = get_document(db, KARMOY).text
    note = tmp_path / "karmoy-01.md"
    note.write_text(f"---\nid: {KARMOY}\nsite: Karmøy\nrole: leder\n---\n"
                    + text.replace(bolig.quote, "Helt ny tekst her."), encoding="utf-8")
    report = run_import(db, [note], "tester").results[0].reanchored
    assert report is not None
    assert (report.kept + report.moved, report.orphaned, report.still_orphaned) == (1, 1, 0)
    db.close()
    app = make_app(coded_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_karmoy(pilot, app)
        assert [c.id for c in screen.orphaned] == [bolig.id]
        new_start = screen.view.record.index("Helt ny tekst her.")
        screen.view.select_span(new_start, new_start + len("Helt ny tekst her."))
        await pilot.press("A")
        await pilot.pause()
        assert screen.orphaned == []
        placed = next(c for c in screen.view.codings if c.id == bolig.id)
        assert placed.quote == "Helt ny tekst her." and placed.status == "anchored"
        await pilot.press("u")  # undo puts it back where it was: orphaned
        await pilot.pause()
        assert [c.id for c in screen.orphaned] == [bolig.id]
        await pilot.press("X")
        await pilot.pause()
        assert screen.orphaned == []
    assert "bolig" not in [code for code, _ in live(coded_project)]
