"""Ask for one digit key, 1 to 9."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class DigitModal(ModalScreen[int | None]):
    """Dismisses with the digit pressed, or None on Escape (other keys are ignored)."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="digit"):
            yield Static(self.question, markup=False)
            yield Static("1–9 · Escape cancels", id="digit-help")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        if event.key == "escape":
            self.dismiss(None)
        elif event.key in "123456789" and len(event.key) == 1:
            self.dismiss(int(event.key))
