"""Write or edit a goal row's judgement: a level on the report's scale and the text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from kasus.synthesis import LEVELS
from tui.modals.confirm import ConfirmModal

# What the editor hands back: (level, text).
Judged = tuple[str, str]


class JudgementEditorModal(ModalScreen[Judged | None]):
    """Dismisses with (level, text), or None when cancelled (asking first if changed)."""

    BINDINGS = [  # noqa: RUF012
        Binding("ctrl+s", "save", "Save judgement", id="judgement.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="judgement.cancel"),
    ]

    def __init__(self, about: str, level: str, text: str) -> None:
        super().__init__()
        self.about = about
        self.level = level
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="judgement"):
            yield Static(f"Judgement — {self.about}", id="judgement-title", markup=False)
            yield OptionList(*(Option(level, id=level) for level in LEVELS),
                             id="judgement-level")
            yield TextArea(self.text, id="judgement-text", soft_wrap=True)
            yield Static("↑↓ level · Tab to the text · ctrl+s save · Escape cancel",
                         id="judgement-help")

    def on_mount(self) -> None:
        levels = self.query_one("#judgement-level", OptionList)
        levels.highlighted = LEVELS.index(self.level) if self.level in LEVELS else 0
        (self.query_one("#judgement-text", TextArea) if self.level else levels).focus()

    def chosen(self) -> Judged:
        option = self.query_one("#judgement-level", OptionList).highlighted_option
        level = option.id if option is not None and option.id else LEVELS[0]
        return level, self.query_one("#judgement-text", TextArea).text.strip()

    def action_save(self) -> None:
        level, text = self.chosen()
        if not text:
            self.notify("write the judgement's text first", severity="warning", timeout=3)
            return
        self.dismiss((level, text))

    def action_cancel(self) -> None:
        if self.chosen() == (self.level or LEVELS[0], self.text.strip()):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmModal("Throw away the changed judgement?"), answered)
