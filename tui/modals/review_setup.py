"""Start a review session: which coders to compare, on which units."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kasus.errors import KasusError
from kasus.review.units import UNIT_KINDS, parse_coders

ReviewRequest = tuple[tuple[str, ...], str]


class ReviewSetupModal(ModalScreen[ReviewRequest | None]):
    """Two inputs, filled with the likely pair and paragraph units; Enter starts."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="review_setup.cancel")]  # noqa: RUF012

    def __init__(self, coders: tuple[str, ...]) -> None:
        super().__init__()
        self.coders = coders

    def compose(self) -> ComposeResult:
        with Vertical(id="review-setup"):
            yield Static("Review: compare coders", id="review-setup-title")
            yield Input(",".join(self.coders), placeholder="coders, e.g. anna,bjorn",
                        id="review-coders")
            yield Input("paragraph", placeholder=" / ".join(UNIT_KINDS), id="review-unit")
            yield Static("Enter starts · Tab next field · Escape cancels",
                         id="review-setup-help")

    def on_mount(self) -> None:
        self.query_one("#review-coders", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        unit = self.query_one("#review-unit", Input).value.strip()
        try:
            coders = parse_coders(self.query_one("#review-coders", Input).value)
            if unit not in UNIT_KINDS:
                raise KasusError(f"unit {unit!r} is not one of {', '.join(UNIT_KINDS)}")
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.dismiss((coders, unit))

    def action_cancel(self) -> None:
        self.dismiss(None)
