"""Edit a memo or comment: ctrl+s saves, Escape cancels (asking first if text was typed)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tui.modals.confirm import ConfirmModal


class MemoEditorModal(ModalScreen[str | None]):
    """A small editor for one memo; dismisses with the new text, or None when cancelled."""

    BINDINGS = [  # noqa: RUF012
        Binding("ctrl+s", "save", "Save memo", id="memo.save"),
        Binding("escape", "cancel", "Cancel", id="memo.cancel"),
    ]

    def __init__(self, memo: str, about: str) -> None:
        super().__init__()
        self.memo = memo
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical(id="memo"):
            yield Static(f"Memo — {self.about}", id="memo-title")
            yield TextArea(self.memo, id="memo-text", soft_wrap=True)
            yield Static("ctrl+s save · Escape cancel", id="memo-help")

    def on_mount(self) -> None:
        editor = self.query_one("#memo-text", TextArea)
        editor.cursor_blink = False
        editor.focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one("#memo-text", TextArea).text.strip())

    def action_cancel(self) -> None:
        typed = self.query_one("#memo-text", TextArea).text.strip()
        if typed == self.memo.strip():
            self.dismiss(None)
            return
        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmModal("Throw away what you typed?"), answered)
