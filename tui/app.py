"""KasusApp: the coding workbench on one project, for one coder."""

from __future__ import annotations

import gc
import os
import sys
from functools import partial
from pathlib import Path
from typing import TextIO

from textual.app import App
from textual.binding import Binding
from textual.events import DescendantFocus
from textual.notifications import SeverityLevel
from textual.widgets import Input, TextArea

from kasus.config import last_document, load_state, save_state
from kasus.display_text import terminal_text
from kasus.store import open_warnings
from tui.commands import KasusCommands
from tui.modals.code_picker import CodePickerModal
from tui.modals.coder_name import CoderNameModal
from tui.modals.export_dialog import ExportModal
from tui.modals.import_folder import ImportFolderModal
from tui.modals.memo_editor import MemoEditorModal
from tui.screens.cell import CellScreen
from tui.screens.code_view import CodeViewScreen
from tui.screens.coding import CodingScreen
from tui.screens.goals import GoalScreen
from tui.screens.help import HelpScreen, Section
from tui.screens.indicators import IndicatorScreen
from tui.screens.matrix import MatrixScreen
from tui.screens.review import ReviewScreen
from tui.screens.search import SearchScreen
from tui.session import Session
from tui.widgets.document_view import DocumentView

DARK, LIGHT = "textual-dark", "textual-light"
TERMINAL_CHECK_SECONDS = 1.0


def pause_collector_for_start_up() -> bool:
    """Keep the garbage collector out of the first frame; True for the first app of the
    process, whose start-up objects resume_collector freezes too.

    What is alive when the workbench starts (modules, their tables) lives as long as the
    process, yet each full collection walks all of it: one such collection took 100-140 ms
    of the first frame (bench/bench_tui.py). Those objects are frozen, and collection waits
    until the first frame is up. What starting made (the screens, their styles, the note's
    layout) lives as long too, and a full collection over it fell into the next note opened
    (~45 ms): it is frozen when collection resumes, with the garbage starting made (~11,000
    objects, kept once). Only for the first app of a process, so that in tests garbage of
    earlier apps is not frozen with them.
    """
    first = gc.get_freeze_count() == 0
    if first:
        gc.freeze()
    gc.disable()
    return first


def resume_collector(freeze: bool) -> None:
    if freeze:
        gc.freeze()
    gc.enable()


class KasusApp(App[None]):
    """Opens one connection to the project and shows the coding screen."""

    CSS_PATH = "kasus.tcss"
    TITLE = "kasus"
    COMMANDS = App.COMMANDS | {KasusCommands}
    BINDINGS = [  # noqa: RUF012
        Binding("ctrl+t", "toggle_dark", "Dark/light theme", id="app.theme"),
        Binding("question_mark,f1", "help", "Help: every key", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, project: Path, coder: str, theme: str | None = None,
                 ask_coder: bool = False, remember: bool = False) -> None:
        super().__init__()
        self.session = Session.open(Path(project), coder)
        self.remember = remember
        remembered = load_state().get("theme") if remember else None
        self.initial_theme = theme or (remembered if remembered in (DARK, LIGHT) else DARK)
        self.ask_coder = ask_coder
        self.first_in_process = False  # set when it starts running (on_load)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast, from any screen: error messages quote file names and values from
        outside, and Textual passes escape sequences through to the terminal."""
        super().notify(terminal_text(message), title=terminal_text(title), severity=severity,
                       timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        self.theme = self.initial_theme
        reopen = last_document(self.session.project) if self.remember else None
        self.push_screen(CodingScreen(self.session, reopen=reopen,
                                      remember=self.remember))
        if self.ask_coder:
            self.push_screen(CoderNameModal(self.session.coder), self.coder_named)
        for warning in open_warnings(self.session.project):
            self.notify(warning, title="Your project", severity="warning", timeout=60)
        if not self.is_headless:
            self.watch_terminal(sys.__stdin__)

    def watch_terminal(self, stream: TextIO | None) -> None:
        """End the workbench when its terminal goes away (an SSH connection dropped, a tmux
        window killed). Started by a parent that does not pass the hangup on (make, as
        `make demo` does), Textual's input thread reads end-of-file and polls again for ever,
        half a core, with the project still open."""
        if stream is not None and stream.isatty():
            self.set_interval(TERMINAL_CHECK_SECONDS,
                              partial(self.exit_if_terminal_gone, stream.fileno()))

    def exit_if_terminal_gone(self, descriptor: int) -> None:
        # Codings and saved memos are committed as they are made; no terminal to ask about more.
        if not os.isatty(descriptor):
            self.exit(return_code=1)

    def coder_named(self, name: str | None) -> None:
        if name:
            self.session.coder = name
            self.screen.refresh_bindings()
            if isinstance(self.screen, CodingScreen):
                self.screen.update_status()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # A steady cursor: easier to find in a long text, and screenshots are reproducible.
        widget = event.widget
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False

    def on_load(self) -> None:
        # When the app starts running, not when it is made: one made and never run would
        # leave the collector paused.
        self.first_in_process = pause_collector_for_start_up()

    def on_ready(self) -> None:
        # Ready comes with the first frame; a note reopened at start paints in the next.
        self.call_after_refresh(resume_collector, self.first_in_process)

    def on_unmount(self) -> None:
        resume_collector(freeze=False)
        self.session.close()

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK
        if self.remember:
            save_state(theme=self.theme)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(help_sections()))


def help_sections() -> list[Section]:
    """Every binding of the workbench, grouped by where it works."""
    return [
        ("Everywhere", [*KasusApp.BINDINGS, ("ctrl+p", "command_palette", "Command palette")]),
        ("Coding screen", [
            *(b for b in CodingScreen.BINDINGS
              if not (isinstance(b, Binding) and (b.id or "").startswith("coding.quick"))),
            ("1…9", "", "Apply one of the nine most used codes (listed on the right)"),
        ]),
        ("Document view (centre)", [
            *DocumentView.BINDINGS,
            ("shift+arrows", "", "Extend the selection by character or line"),
            ("ctrl+shift+←/→", "", "Extend the selection by word"),
            ("mouse drag", "", "Select with the mouse"),
        ]),
        ("Code picker", [*CodePickerModal.BINDINGS, ("enter", "", "Apply the highlighted code")]),
        ("Memo editor", MemoEditorModal.BINDINGS),
        ("Search", [*SearchScreen.BINDINGS, ("enter", "", "Search / open the chosen hit")]),
        ("Code view", [*CodeViewScreen.BINDINGS, ("enter", "", "Jump to the passage")]),
        ("Review session", ReviewScreen.BINDINGS),
        ("Indicators", [*IndicatorScreen.BINDINGS, ("enter", "", "Open the linked passage")]),
        ("Goal screen", [*(b for b in GoalScreen.BINDINGS
                           if not (isinstance(b, Binding) and (b.id or "").startswith(
                               "goals.goal"))),
                         ("0…5", "", "Show the overall row, goal 1 … 5")]),
        ("Framework matrix", MatrixScreen.BINDINGS),
        ("Matrix cell", [*CellScreen.BINDINGS, ("enter", "", "Jump to the passage")]),
        ("Import folder", ImportFolderModal.BINDINGS),
        ("Export", [*ExportModal.BINDINGS, ("enter", "", "Export to the file named")]),
    ]


def run(project: Path, coder: str, ask_coder: bool = False) -> None:
    """Run the workbench until the user quits; it remembers theme and last note."""
    KasusApp(project, coder, ask_coder=ask_coder, remember=True).run()
