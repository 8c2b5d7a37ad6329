"""Every use of Textual's private TextArea API, in one place: textual is pinned exactly for
these, and tests/tui/test_text_area_internals.py fails when an upgrade moves one of them."""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets import TextArea


class PaintableTextArea(TextArea):
    """A TextArea whose rows a subclass may repaint at will and decorate with a margin."""

    def repaint_lines(self, lines: set[int] | None = None) -> None:
        """Forget the rendered rows (all, or those showing these document lines) and repaint:
        TextArea's line cache is keyed on the text, selection and theme only, so a change of
        what get_line paints would never show. Keeping the other rows makes a new coding
        cost the rows it touches, not the whole screen."""
        if lines is None:
            self._line_cache.clear()
        else:
            # The third element of TextArea's cache key is the row in the wrapped document.
            info = self.wrapped_document._offset_to_line_info
            for key in list(self._line_cache.keys()):
                row = key[2]
                if row >= len(info) or info[row][0] in lines:
                    self._line_cache.discard(key)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """A rendered row, from the line cache when nothing it shows has changed.

        TextArea keys every soft-wrapped row on the whole selection, so moving the cursor
        (which every new coding does) re-renders every visible row. Only the rows of the
        document lines the selection spans can show it: the others are keyed without it.
        An upstream fix would map the wrapped row to its document line in the key, as here.
        """
        if not self.text:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        absolute_y = scroll_y + y
        row = self.row_info(y)
        selection = self.selection
        top, bottom = sorted((selection.start[0], selection.end[0]))
        shows_selection = row is not None and top <= row[0] <= bottom
        key = (self.size, scroll_x, absolute_y,
               (selection, self._draw_cursor, self._matching_bracket_location)
               if shows_selection else None,
               self.theme, self.soft_wrap, self.show_line_numbers, self.read_only,
               self.show_cursor, self.has_focus, self.match_cursor_bracket)
        cached = self._line_cache.get(key)
        if cached is None:
            cached = self._render_line(y)
            self._line_cache[key] = cached
        return cached

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
