"""Ask, once, who is coding: the name every coding carries, saved to the user's config."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kasus.config import config_path, save_coder
from kasus.errors import KasusError


class CoderNameModal(ModalScreen[str | None]):
    """Enter saves the name to the config file and dismisses with it."""

    def __init__(self, guess: str) -> None:
        super().__init__()
        self.guess = guess

    def compose(self) -> ComposeResult:
        with Vertical(id="coder-name"):
            yield Static("Who is coding? Every coding you make carries this name.",
                         id="coder-name-title")
            yield Input(self.guess, placeholder="your name or initials", id="coder-name-input")
            yield Static(f"Saved in {config_path()}; Enter saves.", id="coder-name-help",
                         markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            save_coder(event.value)
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.dismiss(event.value.strip())
