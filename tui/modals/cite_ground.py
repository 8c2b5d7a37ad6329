"""Name a ground to cite: indicator:ID, coding:ID, link:ID or cell:SITE/CODE."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class CiteGroundModal(ModalScreen[str | None]):
    """Dismisses with the typed reference, or None on Escape; the core checks it."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "Cancel", id="cite.cancel"),
    ]

    def __init__(self, about: str) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical(id="cite"):
            yield Static(f"Cite a ground for {self.about}", id="cite-title", markup=False)
            yield Input(placeholder="indicator:77 · coding:12 · link:3 · cell:Karmøy/rop",
                        id="cite-input")
            yield Static("Enter cites · Escape cancels", id="cite-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
