"""KasusApp: the coding workbench on one project, for one coder."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.events import DescendantFocus
from textual.widgets import Input, TextArea

from tui.commands import KasusCommands
from tui.modals.code_picker import CodePickerModal
from tui.modals.import_folder import ImportFolderModal
from tui.modals.memo_editor import MemoEditorModal
from tui.screens.code_view import CodeViewScreen
from tui.screens.coding import CodingScreen
from tui.screens.help import HelpScreen, Section
from tui.screens.review import ReviewScreen
from tui.screens.search import SearchScreen
from tui.session import Session
from tui.widgets.document_view import DocumentView

DARK, LIGHT = "textual-dark", "textual-light"


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

    def __init__(self, project: Path, coder: str, theme: str = DARK) -> None:
        super().__init__()
        self.session = Session.open(Path(project), coder)
        self.initial_theme = theme

    def on_mount(self) -> None:
        self.theme = self.initial_theme
        self.push_screen(CodingScreen(self.session))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # A steady cursor: easier to find in a long text, and screenshots are reproducible.
        widget = event.widget
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False

    def on_unmount(self) -> None:
        self.session.close()

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

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
        ("Import folder", ImportFolderModal.BINDINGS),
    ]


def run(project: Path, coder: str) -> None:
    """Run the workbench until the user quits."""
    KasusApp(project, coder).run()
