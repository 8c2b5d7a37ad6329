"""Small helpers shared by the option lists (documents, passages)."""

from __future__ import annotations

from textual.widgets import OptionList


def highlight_first_enabled(options: OptionList) -> None:
    """Highlight the first option that is not a (disabled) group heading."""
    for index, option in enumerate(options.options):
        if not option.disabled:
            options.highlighted = index
            return
