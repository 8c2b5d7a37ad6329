"""The help screen: every key binding of the workbench, by where it works."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, Sequence[BindingType]]
KEY_WIDTH = 16


def _key_display(key: str) -> str:
    names = {"right_square_bracket": "]", "left_square_bracket": "[",
             "right_curly_bracket": "}", "left_curly_bracket": "{",
             "greater_than_sign": ">", "less_than_sign": "<", "question_mark": "?",
             "slash": "/"}
    return ", ".join(names.get(part, part) for part in key.split(","))


def bindings_table(title: str, bindings: Iterable[BindingType]) -> Table:
    """One table of key → what it does."""
    table = Table(title=title, title_justify="left", title_style="bold", show_header=False,
                  box=None, padding=(0, 2))
    table.add_column("key", style="bold", min_width=KEY_WIDTH, no_wrap=True)
    table.add_column("does")
    for binding in bindings:
        key, description = (
            (binding.key, binding.description) if isinstance(binding, Binding)
            else (binding[0], binding[2] if len(binding) > 2 else binding[1])
        )
        if description:
            table.add_row(_key_display(key), description)
    return table


class HelpScreen(ModalScreen[None]):
    """Key bindings by context; Escape or ? closes."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape,question_mark,f1,q", "close", "Close help", id="help.close"),
    ]

    def __init__(self, sections: Sequence[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("kasus — keys  (Escape closes)", style="bold"), id="help-title")
            for title, bindings in self.sections:
                yield Static(bindings_table(title, bindings), classes="help-section")

    def action_close(self) -> None:
        self.dismiss(None)
