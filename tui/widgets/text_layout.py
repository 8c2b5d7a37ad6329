"""Pure layout helpers for the document view: display copy, offsets, and coding runs per row."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.color import Color, ColorSystem

# TextArea re-wraps a whole document line per visible row, so very long paragraphs are cut
# into display lines of about this many characters (see DESIGN.md, "Long paragraphs").
DISPLAY_LINE_CHARS = 1500
GREY_SPREAD = 12  # channels this close together read as grey

Span = tuple[int, int]


def display_copy(text: str, sentences: Sequence[Span], limit: int = DISPLAY_LINE_CHARS) -> str:
    """The text with a space after a sentence end turned into a newline every ~limit chars.

    The copy has the same length as the text, so every offset means the same in both.
    """
    chars = list(text)
    line_start = 0
    for _, end in sentences:
        newline = text.rfind("\n", line_start, end)
        if newline >= 0:
            line_start = newline + 1
        if end - line_start >= limit and end < len(text) and text[end] == " ":
            chars[end] = "\n"
            line_start = end + 1
    copy = "".join(chars)
    assert len(copy) == len(text)
    return copy


class LineTable:
    """Text offsets ↔ TextArea (row, column) locations through a table of line starts."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        starts = [0]
        index = text.find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = text.find("\n", index + 1)
        self.starts = starts

    def __len__(self) -> int:
        return len(self.starts)

    def row_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def location(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self.length))
        row = self.row_of(offset)
        return row, offset - self.starts[row]

    def offset(self, location: tuple[int, int]) -> int:
        row, column = location
        row = max(0, min(row, len(self.starts) - 1))
        return min(self.starts[row] + column, self.length)

    def row_span(self, row: int) -> Span:
        """The offsets a row covers, without its newline."""
        end = self.starts[row + 1] - 1 if row + 1 < len(self.starts) else self.length
        return self.starts[row], end


@dataclass(frozen=True)
class Mark:
    """One coded span to paint: its offsets and the colour of its code."""

    start: int
    end: int
    colour: str


@dataclass(frozen=True)
class Run:
    """A piece of a row where the same set of codes applies (columns within the row)."""

    start: int
    end: int
    colours: tuple[str, ...]


def marks_by_row(table: LineTable, marks: Iterable[Mark]) -> dict[int, list[Mark]]:
    """The marks touching each row."""
    per_row: dict[int, list[Mark]] = {}
    for mark in marks:
        if mark.end <= mark.start:
            continue
        for row in range(table.row_of(mark.start), table.row_of(max(mark.start, mark.end - 1)) + 1):
            per_row.setdefault(row, []).append(mark)
    return per_row


def row_runs(table: LineTable, row: int, marks: list[Mark]) -> list[Run]:
    row_start, row_end = table.row_span(row)
    cuts = {row_start, row_end}
    for mark in marks:
        cuts.update(min(max(point, row_start), row_end) for point in (mark.start, mark.end))
    edges = sorted(cuts)
    runs = []
    for left, right in itertools.pairwise(edges):
        colours = tuple(m.colour for m in marks if m.start < right and m.end > left)
        if colours and right > left:
            runs.append(Run(left - row_start, right - row_start, colours))
    return runs


def blend(colours: Sequence[str]) -> str:
    """The average of #rrggbb colours, so overlapping codes show a mix of both."""
    channels = [
        round(sum(int(colour[i:i + 2], 16) for colour in colours) / len(colours))
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def mix(colour: str, base: str, amount: float) -> str:
    """colour laid over base at the given opacity (0..1), to keep text readable."""
    out = []
    for i in (1, 3, 5):
        top, bottom = int(colour[i:i + 2], 16), int(base[i:i + 2], 16)
        out.append(round(bottom + (top - bottom) * amount))
    return "#" + "".join(f"{channel:02x}" for channel in out)


def next_start(spans: Sequence[Span], offset: int) -> Span | None:
    """The first span starting after offset."""
    return next((span for span in spans if span[0] > offset), None)


def previous_start(spans: Sequence[Span], offset: int) -> Span | None:
    """The last span starting before offset."""
    return next((span for span in reversed(spans) if span[0] < offset), None)


def span_at(spans: Sequence[Span], offset: int) -> Span | None:
    """The span holding offset (or the one just ending there)."""
    for start, end in spans:
        if start <= offset < end:
            return start, end
    for start, end in spans:
        if start <= offset <= end:
            return start, end
    return None


def is_grey(colour: str) -> bool:
    """Whether a #rrggbb colour has no visible hue."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return max(red, green, blue) - min(red, green, blue) < GREY_SPREAD


def in_256_colours(colour: str) -> str:
    """The colour a 256-colour terminal shows for a #rrggbb colour."""
    shown = Color.parse(colour).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return f"#{shown.red:02x}{shown.green:02x}{shown.blue:02x}"


def highlight(colour: str, base: str, amount: float) -> str:
    """colour laid over base, strong enough that a 256-colour terminal still shows its hue:
    a pale mix on a light background would otherwise round to a grey there."""
    mixed = mix(colour, base, amount)
    while (not is_grey(colour) and is_grey(in_256_colours(mixed)) and amount < 1.0):
        amount = min(1.0, amount + 0.1)
        mixed = mix(colour, base, amount)
    return mixed
