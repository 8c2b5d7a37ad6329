"""The fuzzy code picker: type part of a code's id, label or keyword; Enter returns its id."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kasus.model import Code
from kasus.picker import rank_codes
from tui.widgets.code_info import code_info

SHOWN = 30


def _option(code: Code) -> Option:
    text = Text.assemble(("■ ", code.colour))
    text.append(code.id, style="bold")
    text.append(f"  {code.label_nb}")
    text.append(f"  {code.label_en}", style="dim")
    return Option(text, id=code.id)


class CodePickerModal(ModalScreen[str | None]):
    """Choose a code by fuzzy search; dismisses with the code id, or None on Escape."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next code", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous code", show=False, id="picker.up"),
    ]

    def __init__(self, codes: list[Code], title: str = "Code the selection") -> None:
        super().__init__()
        self.codes = codes
        self.by_id = {code.id: code for code in codes}
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(self.title_text, id="picker-title")
            yield Input(placeholder="type a code, label or keyword…", id="picker-input")
            with Horizontal(id="picker-body"):
                yield OptionList(id="picker-options")
                with VerticalScroll(id="picker-info-scroll"):
                    yield Static(id="picker-info")

    def on_mount(self) -> None:
        self._show("")
        self.query_one("#picker-input", Input).focus()

    def _show(self, query: str) -> None:
        options = self.query_one("#picker-options", OptionList)
        options.set_options([_option(code) for code in rank_codes(self.codes, query, SHOWN)])
        options.highlighted = 0 if options.option_count else None

    @on(OptionList.OptionHighlighted, "#picker-options")
    def _show_definition(self, event: OptionList.OptionHighlighted) -> None:
        code = self.by_id.get(event.option.id or "")
        self.query_one("#picker-info", Static).update(code_info(code) if code else "")

    @on(Input.Changed, "#picker-input")
    def _query_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        option = self.query_one("#picker-options", OptionList).highlighted_option
        if option is not None:
            self.dismiss(option.id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
