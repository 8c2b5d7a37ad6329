"""A goal row's grounds as a list: Enter opens a cited passage, x takes a ground off."""

from __future__ import annotations

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

# What was asked of which ground: ("open" | "uncite", ground id).
GroundAction = tuple[str, int]


class GroundsModal(ModalScreen[GroundAction | None]):
    """Dismisses with what to do with the highlighted ground, or None on Escape."""

    BINDINGS = [  # noqa: RUF012
        Binding("enter", "act('open')", "Open the passage", id="grounds.open", priority=True),
        Binding("x", "act('uncite')", "Take off the judgement", id="grounds.uncite"),
        Binding("escape", "cancel", "Close", id="grounds.cancel"),
    ]

    def __init__(self, title: str, grounds: list[tuple[int, RenderableType]]) -> None:
        super().__init__()
        self.title_text = title
        self.grounds = grounds

    def compose(self) -> ComposeResult:
        with Vertical(id="grounds"):
            yield Static(self.title_text, id="grounds-title", markup=False)
            yield OptionList(*(Option(text, id=str(ground_id))
                               for ground_id, text in self.grounds), id="grounds-list")
            yield Static("Enter opens a cited passage · x takes the ground off · Escape closes",
                         id="grounds-help")

    def on_mount(self) -> None:
        grounds = self.query_one(OptionList)
        grounds.highlighted = 0 if grounds.option_count else None
        grounds.focus()

    def action_act(self, what: str) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id:
            self.dismiss((what, int(option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)
