"""A yes/no question: y or Enter answers yes, n or Escape no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmModal(ModalScreen[bool]):
    """Asks before something that cannot be taken back at a glance; dismisses True or False."""

    BINDINGS = [  # noqa: RUF012
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static("y / Enter: yes · n / Escape: no", id="confirm-help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
