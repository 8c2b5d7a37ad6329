"""The read-only document view: codings painted in their code colours, sentence navigation."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Resize
from textual.strip import Strip
from textual.widgets.text_area import Selection

from kasus.model import Coding
from tui.widgets.text_area_internals import PaintableTextArea
from tui.widgets.text_layout import (
    LineTable,
    Mark,
    Span,
    blend,
    display_copy,
    highlight,
    marks_by_row,
    next_start,
    previous_start,
    row_runs,
    span_at,
)

GUTTER_WIDTH = 4  # three code marks and a space
HIGHLIGHT_OPACITY = 0.55
FALLBACK_BACKGROUND = "#1e1e1e"


class DocumentView(PaintableTextArea):
    """A document of record shown read-only, soft-wrapped, with its codings highlighted."""

    BINDINGS = [  # noqa: RUF012
        Binding("]", "next_sentence", "Next sentence", show=False, id="view.next_sentence"),
        Binding("[", "previous_sentence", "Previous sentence", show=False,
                id="view.previous_sentence"),
        Binding("}", "next_paragraph", "Next paragraph", show=False, id="view.next_paragraph"),
        Binding("{", "previous_paragraph", "Previous paragraph", show=False,
                id="view.previous_paragraph"),
        Binding(">", "extend_sentence", "Select the sentence / extend by a sentence",
                show=False, id="view.extend_sentence"),
        Binding("<", "shrink_sentence", "Shrink the selection by a sentence", show=False,
                id="view.shrink_sentence"),
        Binding("v", "toggle_visual", "Visual mode: sentence and paragraph moves select",
                show=False, id="view.visual"),
        Binding("escape", "clear_selection", "Clear the selection", show=False,
                id="view.clear_selection"),
        Binding("n", "next_coding", "Next coding", show=False, id="view.next_coding"),
        Binding("N", "previous_coding", "Previous coding", show=False,
                id="view.previous_coding"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "", id=id, read_only=True, soft_wrap=True, show_line_numbers=False,
            highlight_cursor_line=False,
        )
        self.cursor_blink = False
        self.document_id: str | None = None
        self.record = ""
        self.table = LineTable("")
        self.sentences: list[Span] = []
        self.paragraphs: list[Span] = []
        self.codings: list[Coding] = []
        self.colours: dict[str, str] = {}
        self.visual = False
        self._anchor: int | None = None
        self._row_marks: dict[int, list[Mark]] = {}
        self._runs: dict[int, list[tuple[int, int, Style]]] = {}
        self._style_cache: dict[tuple[str, ...], Style] = {}
        self._styled: dict[int, Text] = {}
        self._gutter_marks: dict[int, list[tuple[str, str]]] = {}
        self.coder_glyphs: dict[str, str] = {}
        self._painted: str | None = None  # the document the row caches were made for
        self._when_sized: Callable[[], None] | None = None

    def when_sized(self, callback: Callable[[], None]) -> None:
        """Run `callback` (which shows a note) once the view has a width. A note loaded
        before the first layout is wrapped at width 0, painted so, then wrapped (15 ms each
        time) and painted again, when kasus starts on the last note. A note shown before
        then (show_document) takes the callback's place."""
        if self.size.width:
            callback()
        else:
            self._when_sized = callback

    def on_resize(self, event: Resize) -> None:
        if self._when_sized is not None and event.size.width:
            # After TextArea's own resize handler, which would wrap the note a second time.
            self.call_next(self._when_sized)
            self._when_sized = None

    def show_document(self, document_id: str, text: str, sentences: Sequence[Span],
                      paragraphs: Sequence[Span]) -> None:
        """Load a document's text of record; display lines only differ in newline for space."""
        self._when_sized = None  # the note asked for now wins over one waiting for a width
        self.document_id = document_id
        self.record = text
        self.sentences = list(sentences)
        self.paragraphs = list(paragraphs)
        display = display_copy(text, self.sentences)
        self.table = LineTable(display)
        self.visual = False
        self._anchor = None
        self.codings = []
        self._row_marks, self._runs, self._styled, self._gutter_marks = {}, {}, {}, {}
        self._painted = None
        self.load_text(display)
        assert self.text == display, "the widget's text must equal the display copy"
        self.selection = Selection.cursor((0, 0))

    def set_codings(self, codings: Sequence[Coding], colours: dict[str, str],
                    coder_glyphs: dict[str, str] | None = None) -> None:
        """Repaint with these codings; orphaned ones have no span in the text and stay unpainted.
        The margin marks each paragraph's codes, one glyph per coder."""
        glyphs = coder_glyphs or {}
        # Same document, colours and glyphs: only the rows whose codings changed repaint.
        only_changes = (self._painted == self.document_id and colours == self.colours
                        and glyphs == self.coder_glyphs)
        self.codings = [c for c in codings if c.status != "orphaned"]
        self.colours = colours
        self.coder_glyphs = glyphs
        self._recompute(only_changes)

    def _recompute(self, only_changes: bool = False) -> None:
        marks = [Mark(c.start, c.end, self.colours.get(c.code_id, "#888888"))
                 for c in self.codings]
        # Styles are made per row when the row is first painted: a repaint touches only the
        # visible rows, not every row of a long note.
        row_marks = marks_by_row(self.table, marks)
        gutter_marks = self._paragraph_marks()
        changed: set[int] | None = None
        if only_changes:
            changed = {row for row in row_marks.keys() | self._row_marks.keys()
                       if row_marks.get(row) != self._row_marks.get(row)}
            changed |= {row for row in gutter_marks.keys() | self._gutter_marks.keys()
                        if gutter_marks.get(row) != self._gutter_marks.get(row)}
            for row in changed:
                self._runs.pop(row, None)
                self._styled.pop(row, None)
        else:
            self._runs = {}
            self._style_cache = {}
            self._styled = {}
        self._row_marks = row_marks
        self._gutter_marks = gutter_marks
        self._painted = self.document_id
        self.repaint_lines(changed)

    def _paragraph_marks(self) -> dict[int, list[tuple[str, str]]]:
        """Per paragraph's first row, (glyph of the coder, colour of the code) of the codings
        touching that paragraph."""
        starts = [start for start, _ in self.paragraphs]
        marks: dict[int, list[tuple[str, str]]] = {}
        for coding in self.codings:
            colour = (self.coder_glyphs.get(coding.coder, "▌"),
                      self.colours.get(coding.code_id, "#888888"))
            first = max(0, bisect_right(starts, coding.start) - 1)
            last = bisect_left(starts, coding.end)
            for start, end in self.paragraphs[first:last]:
                if coding.start < end and coding.end > start:
                    row = marks.setdefault(self.table.row_of(start), [])
                    if colour not in row:
                        row.append(colour)
        return marks

    def on_mount(self) -> None:
        # Highlights are mixed into the theme's background, so a new theme needs new colours
        # (after the refresh, once the new CSS background is in place).
        self.app.theme_changed_signal.subscribe(
            self, lambda _theme: self.call_after_refresh(self._recompute))

    @property
    def _base_background(self) -> str:
        colour = self.background_colors[1]
        return colour.hex6 if colour.a else FALLBACK_BACKGROUND

    def _style(self, colours: tuple[str, ...]) -> Style:
        """Blend a run's code colours into the background; underline where codes overlap."""
        style = self._style_cache.get(colours)
        if style is None:
            style = Style(bgcolor=highlight(blend(colours), self._base_hex, HIGHLIGHT_OPACITY),
                          underline=len(colours) > 1)
            self._style_cache[colours] = style
        return style

    @property
    def _base_hex(self) -> str:
        # The theme background, looked up once per repaint: the lookup walks the DOM.
        style = self._style_cache.get(())
        if style is None:
            style = self._style_cache[()] = Style(bgcolor=self._base_background)
        assert style.bgcolor is not None
        return style.bgcolor.get_truecolor().hex

    def _row_styles(self, row: int) -> list[tuple[int, int, Style]]:
        styles = self._runs.get(row)
        if styles is None:
            marks = self._row_marks.get(row)
            runs = row_runs(self.table, row, marks) if marks else []
            styles = [(run.start, run.end, self._style(run.colours)) for run in runs]
            self._runs[row] = styles
        return styles

    def get_line(self, line_index: int) -> Text:
        # TextArea asks for the whole line once per wrapped row, and then styles the copy it
        # gets; keep one painted line per row and hand out copies.
        styled = self._styled.get(line_index)
        if styled is None:
            styled = super().get_line(line_index)
            for start, end, style in self._row_styles(line_index):
                styled.stylize(style, start, end)
            self._styled[line_index] = styled
        return styled.copy()

    @property
    def gutter_width(self) -> int:
        return GUTTER_WIDTH

    def decorate_row(self, strip: Strip, row: tuple[int, int]) -> Strip:
        line_index, section = row
        colours = self._gutter_marks.get(line_index, []) if section == 0 else []
        return Strip.join([self._gutter_strip(colours), strip])

    def _gutter_strip(self, colours: list[tuple[str, str]]) -> Strip:
        base = Style(bgcolor=self._base_hex)
        shown = colours if len(colours) <= GUTTER_WIDTH - 1 else colours[:GUTTER_WIDTH - 2]
        segments = [Segment(glyph, base + Style(color=colour)) for glyph, colour in shown]
        if len(shown) < len(colours):
            segments.append(Segment("+", base))
        used = len(segments)
        segments.append(Segment(" " * (GUTTER_WIDTH - used), base))
        return Strip(segments, GUTTER_WIDTH)

    @property
    def cursor_offset(self) -> int:
        return self.table.offset(self.selection.end)

    @property
    def selection_span(self) -> Span:
        """The selection as sorted offsets into the text of record."""
        start, end = self.selection
        first, second = self.table.offset(start), self.table.offset(end)
        return (first, second) if first <= second else (second, first)

    def select_span(self, start: int, end: int, center: bool = True) -> None:
        """Select text[start:end], cursor at its end, scrolled into view."""
        self.selection = Selection(self.table.location(start), self.table.location(end))
        if center:
            self.scroll_cursor_visible(center=True)

    def _go(self, offset: int) -> None:
        if self.visual and self._anchor is not None:
            self.select_span(self._anchor, offset, center=False)
        else:
            self.move_cursor(self.table.location(offset))
        self.scroll_cursor_visible()

    def _move_to_start(self, spans: Sequence[Span], forward: bool) -> None:
        here = self.cursor_offset
        span = next_start(spans, here) if forward else previous_start(spans, here)
        if span is not None:
            self._go(span[0])

    def action_next_sentence(self) -> None:
        self._move_to_start(self.sentences, forward=True)

    def action_previous_sentence(self) -> None:
        self._move_to_start(self.sentences, forward=False)

    def action_next_paragraph(self) -> None:
        self._move_to_start(self.paragraphs, forward=True)

    def action_previous_paragraph(self) -> None:
        self._move_to_start(self.paragraphs, forward=False)

    def action_extend_sentence(self) -> None:
        """Select the sentence at the cursor, or grow the selection to the next sentence's end."""
        start, end = self.selection_span
        if start == end:
            span = span_at(self.sentences, start)
            if span is not None:
                self.select_span(*span, center=False)
            return
        following = next((s for s in self.sentences if s[1] > end), None)
        if following is not None:
            self.select_span(start, following[1], center=False)
            self.scroll_cursor_visible()

    def action_shrink_sentence(self) -> None:
        start, end = self.selection_span
        inside = [s for s in self.sentences if start <= s[0] and s[1] < end]
        if inside:
            self.select_span(start, inside[-1][1], center=False)
        else:
            self.move_cursor(self.table.location(start))

    def action_toggle_visual(self) -> None:
        self.visual = not self.visual
        self._anchor = self.selection_span[0] if self.visual else None
        if self.visual and self.selection.is_empty:
            self._anchor = self.cursor_offset
        self.notify("visual mode: moves extend the selection" if self.visual
                    else "visual mode off", timeout=2)

    def action_clear_selection(self) -> None:
        self.visual = False
        self._anchor = None
        self.move_cursor(self.selection.end)

    def action_next_coding(self) -> None:
        self._move_to_start(sorted({(c.start, c.end) for c in self.codings}), forward=True)

    def action_previous_coding(self) -> None:
        self._move_to_start(sorted({(c.start, c.end) for c in self.codings}), forward=False)
