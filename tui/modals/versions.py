"""The versions of a summary or judgement, newest first; Enter restores the highlighted one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

# One version as the list shows it: its number, who and when, status, what it said.
VersionLine = tuple[int, str, str, str, str]


def version_prompt(version: int, author: str, created_at: str, status: str,
                   text: str) -> Text:
    """'v2 · demo-b · 2026-12-03 10:40 · draft', then the text's first lines."""
    prompt = Text(f"v{version}", style="bold")
    prompt.append(f" · {author} · {created_at[:16].replace('T', ' ')} · {status}", style="dim")
    lines = [line for line in text.splitlines() if line.strip()][:2]
    for line in lines:
        prompt.append(f"\n  {line}")
    return prompt


class VersionsModal(ModalScreen[int | None]):
    """Dismisses with the version to restore, or None on Escape."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "cancel", "Close", id="versions.cancel"),
    ]

    def __init__(self, title: str, versions: list[VersionLine]) -> None:
        super().__init__()
        self.title_text = title
        self.versions = versions

    def compose(self) -> ComposeResult:
        options = [Option(version_prompt(*line), id=str(line[0]))
                   for line in reversed(self.versions)]
        with Vertical(id="versions"):
            yield Static(self.title_text, id="versions-title", markup=False)
            yield OptionList(*options, id="versions-list")
            yield Static("Enter restores the highlighted version as a new one · Escape closes",
                         id="versions-help")

    def on_mount(self) -> None:
        versions = self.query_one(OptionList)
        versions.highlighted = 0 if versions.option_count else None
        versions.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
