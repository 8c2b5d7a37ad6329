"""Choose one of several codings at the cursor (for uncode and memo)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kasus.model import Code, Coding

QUOTE_CHARS = 50


def _option(coding: Coding, code: Code | None) -> Option:
    text = Text.assemble(("■ ", code.colour if code else "#888888"))
    text.append(coding.code_id, style="bold")
    text.append(f"  {coding.start}–{coding.end}  {coding.coder}", style="dim")
    quote = " ".join(coding.quote.split())
    text.append(f"\n  «{quote[:QUOTE_CHARS]}{'…' if len(quote) > QUOTE_CHARS else ''}»")
    return Option(text, id=str(coding.id))


class ChooseCodingModal(ModalScreen[int | None]):
    """Lists the codings here, innermost first; dismisses with a coding id or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose.cancel")]  # noqa: RUF012

    def __init__(self, codings: list[Coding], codes: dict[str, Code], title: str) -> None:
        super().__init__()
        self.codings = codings
        self.codes = codes
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="choose"):
            yield Static(self.title_text, id="choose-title", markup=False)
            yield OptionList(*(_option(c, self.codes.get(c.code_id)) for c in self.codings),
                             id="choose-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
