"""The key footer: one widget drawing one line, repainted only when the keys it shows change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class FooterItem:
    """One key as the footer shows it; `start`/`end` are its columns, for the mouse."""

    key: str
    display: str
    description: str
    enabled: bool
    start: int = 0
    end: int = 0


class KeyFooter(Widget, can_focus=False):
    """The keys that apply, drawn as Textual's Footer draws them, as one line of text.

    Textual's Footer is a container with a widget per key, and it recomposes them all
    (mounting and styling each anew) on every bindings update: at start, on each focus
    change, several times while a document opens. On the workbench that cost ~100 ms of
    the first document frame (bench/bench_tui.py). Here a change of keys is a repaint.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {  # noqa: RUF012 - Textual reads this class attribute
        "footer-key--key",
        "footer-key--description",
        "footer-key--separator",
        "footer-key--hover",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer-key--separator {
            color: $foreground 20%;
        }
        & > .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: tuple[FooterItem, ...] = ()
        self.palette: FooterItem | None = None
        self.hovered: str | None = None

    @property
    def descriptions(self) -> list[str]:
        """What the footer shows, left to right, the command palette last."""
        return [item.description for item in (*self.items, *filter(None, [self.palette]))]

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not (self.is_attached and screen is self.screen and screen.app.app_focus):
            return
        items, palette = self.shown_keys()
        if (items, palette) != (self.items, self.palette):
            self.items, self.palette = items, palette
            self.refresh()

    def shown_keys(self) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
        """The keys to show, an action bound to several keys once (its first), as Footer does."""
        app = self.app
        seen: set[str] = set()
        items: list[FooterItem] = []
        palette = None
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = FooterItem(key, app.get_key_display(binding), binding.description,
                                     enabled)
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                items.append(FooterItem(key, app.get_key_display(binding), binding.description,
                                        enabled))
        return tuple(self.place(items)), palette

    @staticmethod
    def place(items: list[FooterItem]) -> list[FooterItem]:
        """Give each item its columns: " key " then "description "."""
        placed, column = [], 0
        for item in items:
            width = cell_len(item.display) + cell_len(item.description) + 3
            placed.append(FooterItem(item.key, item.display, item.description, item.enabled,
                                     column, column + width))
            column += width
        return placed

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        hover_style = self.get_component_rich_style("footer-key--hover")
        line = Text(no_wrap=True, overflow="crop", end="")

        def extra(item: FooterItem) -> Style:
            return ((hover_style if item.key == self.hovered else Style())
                    + (Style() if item.enabled else Style(dim=True)))

        for item in self.items:
            line.append(f" {item.display} ", key_style + extra(item))
            line.append(f"{item.description} ", description_style + extra(item))
        palette = self.palette
        if palette is None:
            return line
        # The palette key sits at the right edge behind a thin rule, over whatever would
        # not fit, as in Textual's Footer.
        right = Text(end="")
        right.append("▏", self.get_component_rich_style("footer-key--separator"))
        right.append(palette.display, key_style + extra(palette))
        right.append(f" {palette.description}", description_style + extra(palette))
        right.append(" ")
        line.truncate(max(0, self.size.width - right.cell_len), pad=True)
        return line + right

    def item_at(self, x: int) -> FooterItem | None:
        palette = self.palette
        # The palette's columns: "▏", its key, " description ".
        if palette is not None and x >= self.size.width - (
                cell_len(palette.display) + cell_len(palette.description) + 3):
            return palette
        return next((item for item in self.items if item.start <= x < item.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self.item_at(event.x)
        hovered = item.key if item is not None else None
        if hovered != self.hovered:
            self.hovered = hovered
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self.item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
