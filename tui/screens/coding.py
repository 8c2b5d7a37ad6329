"""The coding workbench: documents on the left, the text in the centre, codes on the right."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static, TextArea

from kasus.codebook.codes import (
    arrange_quick_codes,
    code_counts,
    list_codes,
    most_used,
    pin_quick_code,
)
from kasus.coding.codings import (
    apply_coding,
    codings_at,
    describe,
    list_codings,
    reanchor_coding,
    remove_coding,
    set_memo,
    snap_selection,
)
from kasus.coding.history import Step, redo, undo
from kasus.config import quick_pins, remember_document, save_quick_pins
from kasus.documents import get_document, list_documents, segments_of
from kasus.errors import KasusError
from kasus.evidence.indicators import list_indicators
from kasus.evidence.links import link_coding
from kasus.model import Code, Coding
from kasus.review.decisions import likely_reviewed_coders, open_session
from kasus.sites import list_sites
from kasus.store import data_version
from tui.messages import Jump, ShowDocument
from tui.modals.choose_coding import ChooseCodingModal
from tui.modals.code_picker import CodePickerModal
from tui.modals.confirm import ConfirmModal
from tui.modals.digit import DigitModal
from tui.modals.export_dialog import ExportModal
from tui.modals.import_folder import ImportFolderModal
from tui.modals.link_indicator import LinkIndicatorModal, LinkRequest
from tui.modals.memo_editor import MemoEditorModal
from tui.modals.review_setup import ReviewRequest, ReviewSetupModal
from tui.screens.code_view import CodeViewScreen
from tui.screens.goals import GoalScreen
from tui.screens.indicators import IndicatorScreen
from tui.screens.matrix import MatrixScreen
from tui.screens.review import ReviewScreen
from tui.screens.search import SearchScreen, SearchState
from tui.session import Session
from tui.widgets.code_info import code_info
from tui.widgets.code_tree import CodeTree
from tui.widgets.coding_list import CodingList
from tui.widgets.document_list import DocumentList
from tui.widgets.document_view import DocumentView
from tui.widgets.footer import KeyFooter

NARROW_WIDTH = 110
# Actions that change the open note: not while the user is typing a filter or picking a
# document, where a stray "c" or digit must not code anything.
NOTE_ACTIONS = {"apply_code", "quick_code", "remove_coding", "edit_memo", "link_indicator"}
OUTSIDE_CHECK_SECONDS = 2.0
QUICK_CODES = 9
REVIEW_THRESHOLD = 0.5  # the CLI's default: the same sessions from both
CODER_VIEWS = ("all", "mine", "others")
# One margin glyph per coder of the open note: the user's own first.
CODER_GLYPHS = ("▌", "▐", "▍", "▎", "▏")


class CodingScreen(Screen[None]):
    """Read a document, select passages, code them; search and browse codes from here."""

    AUTO_FOCUS = "#doc-list"
    BINDINGS = [  # noqa: RUF012
        Binding("c", "apply_code", "Code", id="coding.apply"),
        Binding("x", "remove_coding", "Uncode", id="coding.remove"),
        Binding("m", "edit_memo", "Memo", id="coding.memo"),
        Binding("l", "link_indicator", "Link", id="coding.link"),
        Binding("u", "undo", "Undo", id="coding.undo"),
        Binding("ctrl+r", "redo", "Redo", id="coding.redo"),
        Binding("slash", "search", "Search", id="corpus.search"),
        Binding("g", "code_view", "Code view", id="corpus.code_view"),
        Binding("R", "review", "Review", id="review.start"),
        Binding("I", "indicators", "Indicators", id="evidence.indicators"),
        Binding("G", "goals", "Goal screen", show=False, id="evidence.goals"),
        Binding("M", "matrix", "Framework matrix", show=False, id="synthesis.matrix"),
        Binding("E", "export", "Export", show=False, id="export.open"),
        Binding("A", "anchor_orphan", "Place an orphaned coding on the selection", show=False,
                id="coding.anchor_orphan"),
        Binding("X", "remove_orphan", "Remove an orphaned coding", show=False,
                id="coding.remove_orphan"),
        Binding("p", "pin_quick_code", "Pin a code to a digit key", show=False,
                id="coding.pin"),
        Binding("o", "cycle_coders", "Whose codings: all / mine / others", show=False,
                id="coding.coders"),
        Binding("f", "focus_filter", "Filter documents", show=False, id="documents.filter"),
        Binding("d", "focus_documents", "Document list", show=False, id="documents.list"),
        Binding("t", "focus_tree", "Code tree", show=False, id="codes.tree"),
        Binding("f2", "toggle_panel('left')", "Left panel on/off", show=False,
                id="layout.left"),
        Binding("f3", "toggle_panel('right')", "Right panel on/off", show=False,
                id="layout.right"),
        Binding("W", "widen_right", "Widen/narrow the code panel", show=False,
                id="layout.widen"),
        Binding("i", "import_folder", "Import folder", show=False, id="documents.import"),
        *[
            Binding(str(n), f"quick_code({n})", f"Apply the code on digit {n}",
                    show=False, id=f"coding.quick{n}")
            for n in range(1, QUICK_CODES + 1)
        ],
    ]

    def __init__(self, session: Session, reopen: str | None = None,
                 remember: bool = False) -> None:
        super().__init__()
        self.session = session
        self.reopen = reopen
        self.remember = remember
        self.codes: dict[str, Code] = {}
        self.saved_note = ""
        self.orphaned: list[Coding] = []
        self.document_version: int | None = None
        self.quick: list[str] = []
        self.coder_view = "all"
        self.search_state = SearchState()
        self.coder_glyphs: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="panels"):
            yield DocumentList(id="left")
            with Vertical(id="centre"):
                yield Static("no document open", id="doc-title")
                yield DocumentView(id="view")
                yield Static(id="quick-legend")
            with Vertical(id="right"):
                yield CodeTree(id="code-tree")
                with VerticalScroll(id="code-info-scroll"):
                    yield Static(id="code-info")
                with VerticalScroll(id="coding-scroll"):
                    yield CodingList(id="coding-list")
        yield Static(id="status")
        yield KeyFooter()

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    @property
    def code_tree(self) -> CodeTree:
        return self.query_one(CodeTree)

    @property
    def active_codes(self) -> list[Code]:
        return [code for code in self.codes.values() if code.status == "active"]

    def on_mount(self) -> None:
        codes = list_codes(self.session.db)
        self.codes = {code.id: code for code in codes}
        self.code_tree.set_codes(codes)
        self.view.placeholder = "Choose a document on the left: f filters, Enter opens."
        self.refresh_counts()
        # Enter opens the first document straight away on a fresh start; the note open last
        # time is opened again.
        self.query_one(DocumentList).highlight_first()
        if self.reopen and any(d["id"] == self.reopen
                               for d in self.query_one(DocumentList).documents):
            self.view.when_sized(partial(self.open_document, self.reopen))
        self.update_status()
        self.seen_data_version = data_version(self.session.db)
        self.set_interval(OUTSIDE_CHECK_SECONDS, self.check_outside_changes)

    def check_outside_changes(self) -> None:
        """Show what another process (a CLI import, a second coder) committed meanwhile."""
        version = data_version(self.session.db)
        if version == self.seen_data_version:
            return
        self.seen_data_version = version
        self.show_changes()

    def show_changes(self) -> None:
        """Repaint after commits made elsewhere; a new version of the open note is reopened,
        so offsets taken from the view keep meaning the text they show."""
        document_id = self.view.document_id
        try:
            changed = (document_id is not None and
                       get_document(self.session.db, document_id).version
                       != self.document_version)
        except KasusError:
            changed = False
        if changed and document_id is not None:
            self.open_document(document_id)
            self.notify(f"{document_id} has a new version: reopened", markup=False)
        else:
            self.reload_codings()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def open_document(self, document_id: str, start: int | None = None,
                      end: int | None = None) -> None:
        """Show a document (and select text[start:end] when given)."""
        db = self.session.db
        try:
            document = get_document(db, document_id)
            segments = segments_of(db, document_id)
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        spans = {kind: [(s.start, s.end) for s in segments if s.kind == kind]
                 for kind in ("sentence", "paragraph")}
        self.view.show_document(document.id, document.text, spans["sentence"],
                                spans["paragraph"])
        self.document_version = document.version
        if self.remember:
            remember_document(self.session.project, document.id)
        summary = next((d for d in self.query_one(DocumentList).documents
                        if d["id"] == document_id), {})
        title = Text(document.id, style="bold")
        title.append(f" · {summary.get('site', document.site_id)} · {document.role or '?'} · "
                     f"{document.date or ''} · {document.informant or ''}", style="dim")
        self.query_one("#doc-title", Static).update(title)
        self.reload_codings()
        if start is not None and end is not None and end > start:
            self.view.select_span(start, end)
            self.call_after_refresh(self.view.scroll_cursor_visible, center=True)
        self.view.focus()

    def reload_codings(self) -> None:
        """Fetch the open document's codings and repaint everything that shows them."""
        document_id = self.view.document_id
        if document_id is not None:
            codings = list_codings(self.session.db, document_id=document_id)
            me = self.session.coder
            others = sorted({c.coder for c in codings} - {me})
            self.coder_glyphs = {coder: CODER_GLYPHS[i % len(CODER_GLYPHS)]
                                 for i, coder in enumerate([me, *others])}
            if self.coder_view != "all":
                codings = [c for c in codings if (c.coder == me) == (self.coder_view == "mine")]
            self.orphaned = [c for c in codings if c.status == "orphaned"]
            self.view.set_codings(codings, {c.id: c.colour for c in self.codes.values()},
                                  self.coder_glyphs)
        self.refresh_counts()
        self.update_coding_list()
        self.update_status()

    def refresh_counts(self) -> None:
        db = self.session.db
        document_id = self.view.document_id
        here = code_counts(db, document_id) if document_id else {}
        self.code_tree.set_counts(here, code_counts(db))
        self.quick = self.quick_codes()
        self.show_quick_legend()
        self.query_one(DocumentList).set_documents(list_documents(db))

    def show_quick_legend(self) -> None:
        """The digit keys and their codes on one line, for layouts without the code panel."""
        legend = Text("keys ", style="dim")
        for number, code_id in enumerate(self.quick, start=1):
            if code_id:
                code = self.codes.get(code_id)
                legend.append(f"{number}", style="bold")
                legend.append("■", style=code.colour if code else "#888888")
                legend.append(f"{code_id} ")
        self.query_one("#quick-legend", Static).update(legend)

    def quick_codes(self) -> list[str]:
        """The code on each digit: once shown, a code keeps its digit for this coder (p pins
        another); free digits take the most used codes."""
        pinned = self.quick or (quick_pins(self.session.project, self.session.coder)
                                if self.remember else [])
        used = most_used(self.session.db, QUICK_CODES * 3)
        active = {code.id for code in self.active_codes}
        quick = arrange_quick_codes(pinned, used, active, QUICK_CODES)
        if self.remember and quick != pinned:
            save_quick_pins(self.session.project, self.session.coder, quick)
        return quick

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NOTE_ACTIONS:
            focused = self.focused
            return not (focused is not None and
                        self.query_one(DocumentList) in focused.ancestors_with_self)
        return True

    def codings_here(self) -> list[Coding]:
        """The codings the selection touches (or under the cursor), innermost first."""
        view = self.view
        return codings_at(view.codings, *view.selection_span) if view.document_id else []

    def update_coding_list(self) -> None:
        here = self.codings_here()
        # Runs on every cursor move: the quick codes only change with codings, so they are
        # read in refresh_counts, not here.
        self.query_one(CodingList).show_codings(here, self.orphaned, self.codes, self.quick,
                                                self.coder_glyphs, self.session.coder)

    def update_status(self) -> None:
        view = self.view
        start, end = view.selection_span
        parts = [self.session.project.name, f"coder {self.session.coder}",
                 view.document_id or "no document", f"{start}–{end}"]
        if view.visual:
            parts.append("VISUAL")
        if self.coder_view != "all":
            parts.append(f"showing {self.coder_view} (o)")
        if self.saved_note:
            parts.append(self.saved_note)
        # Text, not markup: file names and document ids may hold brackets.
        self.query_one("#status", Static).update(Text(" │ ".join(parts)))

    @on(TextArea.SelectionChanged, "#view")
    def _selection_changed(self) -> None:
        self.update_coding_list()
        self.update_status()

    @on(CodeTree.NodeHighlighted, "#code-tree")
    def _code_highlighted(self, event: CodeTree.NodeHighlighted[str]) -> None:
        """While the tree has focus, what the highlighted code means shows below it."""
        code = self.codes.get(event.node.data or "")
        self.query_one("#code-info", Static).update(code_info(code, examples=3) if code else "")

    def action_widen_right(self) -> None:
        self.toggle_class("-wide-right")

    @on(DocumentList.DocumentChosen)
    def _document_chosen(self, event: DocumentList.DocumentChosen) -> None:
        self.open_document(event.document_id)

    def on_show_document(self, message: ShowDocument) -> None:
        self.open_document(message.document_id, message.start, message.end)

    @on(CodeTree.CodeChosen)
    def _code_chosen(self, event: CodeTree.CodeChosen) -> None:
        self.show_code_view(event.code_id)

    def coding_span(self) -> tuple[int, int] | None:
        """The selection, or the sentence at the cursor, without surrounding whitespace."""
        view = self.view
        return snap_selection(view.record, *view.selection_span, view.sentences)

    def action_apply_code(self) -> None:
        document_id = self.view.document_id
        span = self.coding_span() if document_id else None
        if document_id is None or span is None:
            self.notify("select some text in a document first", severity="warning")
            return
        self.app.push_screen(
            CodePickerModal(self.active_codes, f"Code {span[0]}–{span[1]} of {document_id}"),
            lambda code_id: self.apply_code(document_id, span, code_id),
        )

    def action_quick_code(self, number: int) -> None:
        quick = self.quick
        document_id = self.view.document_id
        span = self.coding_span() if document_id else None
        if document_id is None or span is None or not quick[number - 1]:
            self.notify(f"no quick code {number} yet (p pins one)", severity="warning")
            return
        self.apply_code(document_id, span, quick[number - 1])

    def action_pin_quick_code(self) -> None:
        """Choose a code, then the digit that applies it from now on."""
        def chosen(code_id: str | None) -> None:
            if code_id is None:
                return
            self.app.push_screen(DigitModal(f"Which digit applies {code_id}? (1–9)"),
                                 lambda digit: self.pin(digit, code_id))

        self.app.push_screen(CodePickerModal(self.active_codes, "Pin a code to a digit key"),
                             chosen)

    def pin(self, digit: int | None, code_id: str) -> None:
        if digit is None:
            return
        self.quick = pin_quick_code(self.quick, digit, code_id)
        if self.remember:
            save_quick_pins(self.session.project, self.session.coder, self.quick)
        self.notify(f"{digit} now applies {code_id}", timeout=2, markup=False)
        self.show_quick_legend()
        self.update_coding_list()

    def apply_code(self, document_id: str, span: tuple[int, int], code_id: str | None) -> None:
        """Store a coding (the core commits before returning), then repaint."""
        if code_id is None:
            return
        try:
            apply_coding(self.session.db, document_id, span[0], span[1], code_id,
                         self.session.coder, expected_version=self.document_version)
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if self.view.document_id == document_id:
            self.view.move_cursor(self.view.table.location(span[0]))
        self.saved("saved")

    def saved(self, note: str) -> None:
        self.saved_note = note
        self.reload_codings()

    def with_coding_here(self, verb: str, act: Callable[[Coding], None]) -> None:
        """Run act on the coding here; ask which one when several are."""
        found = self.codings_here()
        if not found:
            self.notify("no coding at the cursor", severity="warning")
        elif len(found) == 1:
            act(found[0])
        else:
            chosen = {c.id: c for c in found}
            self.app.push_screen(
                ChooseCodingModal(found, self.codes, f"{len(found)} codings here: which to "
                                                     f"{verb}?"),
                lambda coding_id: act(chosen[coding_id]) if coding_id in chosen else None)

    def confirm_for_other_coder(self, coding: Coding, verb: str,
                                act: Callable[[bool], None]) -> None:
        """Act on one's own coding at once; on another coder's only after a yes (force)."""
        if coding.coder == self.session.coder:
            act(False)
            return
        question = f"{describe(coding)} is {coding.coder}'s coding. {verb} it anyway?"
        self.app.push_screen(ConfirmModal(question), lambda yes: act(True) if yes else None)

    def action_remove_coding(self) -> None:
        def remove(coding: Coding) -> None:
            self.confirm_for_other_coder(coding, "Remove", lambda force: self._write(
                lambda: remove_coding(self.session.db, coding.id, self.session.coder, force),
                done=f"removed {describe(coding)}"))

        self.with_coding_here("remove", remove)

    def with_orphan(self, verb: str, act: Callable[[Coding], None]) -> None:
        """Run act on one of the open note's orphaned codings (asking which when several)."""
        if not self.orphaned:
            self.notify("no orphaned coding in this note", severity="warning")
            return
        if len(self.orphaned) == 1:
            act(self.orphaned[0])
            return
        chosen = {c.id: c for c in self.orphaned}
        self.app.push_screen(
            ChooseCodingModal(self.orphaned, self.codes, f"Which orphaned coding to {verb}?"),
            lambda coding_id: act(chosen[coding_id]) if coding_id in chosen else None)

    def action_anchor_orphan(self) -> None:
        span = self.coding_span() if self.view.document_id else None
        if span is None or self.view.selection.is_empty:
            self.notify("select the passage the orphaned coding belongs to, then A",
                        severity="warning")
            return

        def place(coding: Coding) -> None:
            self.confirm_for_other_coder(coding, "Place", lambda force: self._write(
                lambda: reanchor_coding(self.session.db, coding.id, *span, self.session.coder,
                                        force),
                done=f"placed {coding.code_id} on {span[0]}–{span[1]}"))

        self.with_orphan("place on the selection", place)

    def action_remove_orphan(self) -> None:
        def remove(coding: Coding) -> None:
            self.confirm_for_other_coder(coding, "Remove", lambda force: self._write(
                lambda: remove_coding(self.session.db, coding.id, self.session.coder, force),
                done=f"removed orphaned {coding.code_id} «{coding.quote[:30]}»"))

        self.with_orphan("remove", remove)

    def action_edit_memo(self) -> None:
        self.with_coding_here("edit the memo of", lambda coding: self.confirm_for_other_coder(
            coding, "Edit the memo of", lambda force: self.edit_memo(coding, force)))

    def edit_memo(self, coding: Coding, force: bool) -> None:
        def save(memo: str | None) -> None:
            if memo is not None:
                self._write(lambda: set_memo(self.session.db, coding.id, memo,
                                             self.session.coder, force),
                            done=f"memo of {describe(coding)} saved")

        self.app.push_screen(MemoEditorModal(coding.memo, describe(coding)), save)

    def action_link_indicator(self) -> None:
        """Tie the coding here to an indicator it supports, contradicts, nuances or explains."""
        def link(coding: Coding) -> None:
            code = self.codes.get(coding.code_id)
            modal = LinkIndicatorModal(list_indicators(self.session.db),
                                       list(code.indicators) if code else [], describe(coding))

            def save(request: LinkRequest | None) -> None:
                if request is not None:
                    indicator_id, stance, note = request
                    self._write(lambda: link_coding(self.session.db, coding.id, indicator_id,
                                                    stance, self.session.coder, note),
                                done=f"linked {coding.code_id}: {stance} indicator "
                                     f"{indicator_id}")

            self.app.push_screen(modal, save)

        self.with_coding_here("link", link)

    def action_indicators(self) -> None:
        self.app.push_screen(IndicatorScreen(self.session), self.jump)

    def action_export(self) -> None:
        self.app.push_screen(ExportModal(self.session.project))

    def action_goals(self) -> None:
        self.app.push_screen(GoalScreen(self.session), self.jump)

    def action_matrix(self) -> None:
        self.app.push_screen(MatrixScreen(self.session), self.jump)

    def action_undo(self) -> None:
        self._write(lambda: undo(self.session.db, self.session.coder), "nothing to undo")

    def action_redo(self) -> None:
        self._write(lambda: redo(self.session.db, self.session.coder), "nothing to redo")

    def _write(self, change: Callable[[], object], nothing: str = "", done: str = "") -> None:
        try:
            result = change()
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if result is None and nothing:
            self.notify(nothing, severity="warning")
            return
        if isinstance(result, Step):
            done = f"{'redid' if nothing == 'nothing to redo' else 'undid'}: {result.done}"
        if done:
            self.notify(done, timeout=3, markup=False)
        self.saved(f"saved: {done}" if done else "saved")

    def action_search(self) -> None:
        sites = list_sites(self.session.db)
        self.app.push_screen(SearchScreen(self.session, sites, self.active_codes,
                                          self.search_state), self.jump)

    def action_code_view(self) -> None:
        if self.code_tree.has_focus and self.code_tree.highlighted_code:
            self.show_code_view(self.code_tree.highlighted_code)
            return
        self.app.push_screen(CodePickerModal(self.active_codes, "Show every passage of a code"),
                             self.show_code_view)

    def show_code_view(self, code_id: str | None) -> None:
        code = self.codes.get(code_id or "")
        if code is None:
            return
        db = self.session.db
        codings = list_codings(db, code_id=code.id, with_descendants=True)
        documents = {d["id"]: d for d in list_documents(db)}
        self.app.push_screen(CodeViewScreen(code, codings, documents, self.codes), self.jump)

    def jump(self, target: Jump | None) -> None:
        if target is not None:
            self.open_document(*target)

    def action_cycle_coders(self) -> None:
        """Show all coders' codings, only mine, or only the others'."""
        self.coder_view = CODER_VIEWS[(CODER_VIEWS.index(self.coder_view) + 1) % 3]
        self.notify(f"showing {self.coder_view} codings", timeout=2)
        self.reload_codings()

    def action_review(self) -> None:
        """Ask which coders to compare, then open their review session."""
        db = self.session.db
        self.app.push_screen(ReviewSetupModal(likely_reviewed_coders(db)), self.start_review)

    def start_review(self, request: ReviewRequest | None) -> None:
        if request is None:
            return
        coders, unit = request
        try:
            review = open_session(self.session.db, coders, unit, REVIEW_THRESHOLD,
                                  self.session.coder)
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.app.push_screen(ReviewScreen(self.session, review, self.codes), self.jump)

    def action_focus_filter(self) -> None:
        self.query_one(DocumentList).filter_input.focus()

    def action_focus_documents(self) -> None:
        self.query_one(DocumentList).option_list.focus()

    def action_focus_tree(self) -> None:
        self.code_tree.focus()

    def action_toggle_panel(self, side: str) -> None:
        shown = self.query_one(f"#{side}").display
        self.set_class(shown, f"-hide-{side}")
        self.set_class(not shown, f"-show-{side}")

    def action_import_folder(self) -> None:
        def imported(count: int | None) -> None:
            if count:
                self.show_changes()

        self.app.push_screen(ImportFolderModal(self.session.project, self.session.coder,
                                               list_sites(self.session.db)), imported)
