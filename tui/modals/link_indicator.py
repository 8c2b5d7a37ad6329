"""Link the coding at the cursor to an indicator: pick the indicator, then the stance, then a
note; the indicators the coding's code links to come first."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kasus.evidence.links import STANCES
from kasus.model import Indicator
from kasus.picker import rank_indicators

LinkRequest = tuple[int, str, str]  # indicator id, stance, note
STANCE_HELP = {
    "supports": "the passage bears the trend out",
    "contradicts": "the passage goes against the trend",
    "nuances": "the passage qualifies the trend",
    "explains": "the passage tells why the trend is as it is",
}


def _indicator_option(indicator: Indicator, linked: set[int]) -> Option:
    text = Text(f"{indicator.id:>3} ", style="bold")
    text.append(indicator.name_nb)
    text.append(f"  {indicator.source}" + ("  · linked to the code" if indicator.id in linked
                                            else ""), style="dim")
    return Option(text, id=str(indicator.id))


class LinkIndicatorModal(ModalScreen[LinkRequest | None]):
    """Three steps in one dialog; Escape cancels at any step."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "Cancel", id="link.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="link.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="link.up"),
    ]

    def __init__(self, indicators: list[Indicator], linked: list[int], about: str) -> None:
        super().__init__()
        self.indicators = indicators
        self.linked = linked
        self.about = about
        self.indicator_id: int | None = None
        self.stance: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="link"):
            yield Static(f"Link {self.about} to an indicator", id="link-title", markup=False)
            yield Input(placeholder="search indicators: id, words of the name, source",
                        id="link-query")
            yield OptionList(id="link-options")
            yield Static("", id="link-step")

    def on_mount(self) -> None:
        self._show_indicators("")
        self.query_one("#link-query", Input).focus()

    def _show_indicators(self, query: str) -> None:
        options = self.query_one("#link-options", OptionList)
        ranked = rank_indicators(self.indicators, query, self.linked)
        options.set_options([_indicator_option(i, set(self.linked)) for i in ranked])
        options.highlighted = 0 if options.option_count else None

    @on(Input.Changed, "#link-query")
    def _query_changed(self, event: Input.Changed) -> None:
        if self.indicator_id is None:
            self._show_indicators(event.value)

    @on(Input.Submitted, "#link-query")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.indicator_id is None:
            option = self.query_one("#link-options", OptionList).highlighted_option
            if option is not None:
                self._choose(option.id or "")
        elif self.stance is not None:
            self.dismiss((self.indicator_id, self.stance, event.value.strip()))

    @on(OptionList.OptionSelected, "#link-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id or "")

    def _choose(self, choice: str) -> None:
        options = self.query_one("#link-options", OptionList)
        step = self.query_one("#link-step", Static)
        if self.indicator_id is None:
            self.indicator_id = int(choice)
            options.set_options([Option(Text.assemble((stance, "bold"), f"  {STANCE_HELP[stance]}"),
                                        id=stance) for stance in STANCES])
            options.highlighted = 0
            options.focus()
            step.update(Text(f"Indicator {choice}: what does the passage do to its trend?"))
            return
        self.stance = choice
        query = self.query_one("#link-query", Input)
        query.value = ""
        query.placeholder = "a note for the report writer (optional), Enter saves"
        query.focus()
        options.display = False
        step.update(Text(f"Indicator {self.indicator_id}, {choice}: a note, then Enter"))

    def action_move(self, step: int) -> None:
        options = self.query_one("#link-options", OptionList)
        if options.option_count:
            options.highlighted = max(0, min(options.option_count - 1,
                                             (options.highlighted or 0) + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
