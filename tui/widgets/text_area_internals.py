"""Every use of Textual's private TextArea API, in one place: textual is pinned exactly for
these, and tests/tui/test_text_area_internals.py fails when an upgrade moves one of them."""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets import TextArea


class PaintableTextArea(TextArea):
    """A TextArea whose rows a subclass may repaint at will and decorate with a margin."""

    def repaint_lines(self) -> None:
        """Forget the rendered lines and repaint: TextArea's line cache is keyed on the text,
        selection and theme only, so a change of what get_line paints would never show."""
        self._line_cache.clear()
        self.refresh()

    def row_info(self, y: int) -> tuple[int, int] | None:
        """(document line, wrapped section) shown at screen row y, or None below the text."""
        y_offset = y + self.scroll_offset.y
        info = self.wrapped_document._offset_to_line_info
        if y_offset >= len(info):
            return None
        return info[y_offset]

    def decorate_row(self, strip: Strip, row: tuple[int, int]) -> Strip:
        """What a subclass adds to a rendered row (the default adds nothing)."""
        return strip

    def _render_line(self, y: int) -> Strip:
        strip = super()._render_line(y)
        row = self.row_info(y)
        return strip if row is None else self.decorate_row(strip, row)
