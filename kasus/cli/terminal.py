"""The CLI's consoles: whatever they render is stripped of escape sequences and controls."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from kasus.display_text import (
    escape_json_text,
    has_unsafe_characters,
    terminal_line,
    terminal_text,
)

__all__ = ["SafeConsole", "escape_json_text", "terminal_line", "terminal_text"]


class SafeConsole(Console):
    """A rich Console that strips escape sequences and control/bidi characters from whatever
    text it renders, so no printer can forget to. Rich's own control segments (cursor moves of
    progress bars) pass; styles are applied after this, from Style objects, not from text."""

    def render(self, renderable: RenderableType,
               options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not has_unsafe_characters(segment.text):
                yield segment
            else:
                yield Segment(terminal_text(segment.text), segment.style)
