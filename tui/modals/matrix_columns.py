"""Choose the framework matrix's columns: the six goal rows, one goal's codes, or codes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kasus.synthesis import ColumnChoice

# Option id → the choice it stands for; "codes" asks for a code with the picker.
CHOICES = {"goals": ColumnChoice("goals"),
           **{f"goal{n}": ColumnChoice("goal", str(n)) for n in range(1, 6)}}


class MatrixColumnsModal(ModalScreen[ColumnChoice | str | None]):
    """Dismisses with a choice, "codes" to pick codes one by one, or None on Escape."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "Cancel", id="matrix_columns.cancel"),
    ]

    def __init__(self, current: ColumnChoice) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option("The six goal rows as columns (overall, goals 1–5)", id="goals"),
                   *(Option(f"The codes of goal {n}", id=f"goal{n}") for n in range(1, 6)),
                   Option("Codes I pick (one column; then a adds more)", id="codes")]
        with Vertical(id="matrix-columns"):
            yield Static("Matrix columns", id="matrix-columns-title")
            yield OptionList(*options, id="matrix-columns-options")
            yield Static("Enter chooses · Escape cancels", id="matrix-columns-help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        current = {"goals": "goals", "goal": f"goal{self.current.goal}",
                   "codes": "codes"}[self.current.mode]
        options.highlighted = options.get_option_index(current) if current in {
            o.id for o in options.options} else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id or "goals"
        self.dismiss(CHOICES.get(chosen, chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)
