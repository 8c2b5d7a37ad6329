"""One matrix cell: its passages on the left, the summary editor and the column's indicators
on the right; every save is a version through the core."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from kasus.errors import KasusError
from kasus.synthesis import (
    CellDetail,
    SummaryVersion,
    cell_detail,
    restore_summary,
    save_summary,
)
from kasus.synthesis.facts import IndicatorFact
from kasus.synthesis.matrix import CellPassage
from tui.messages import Jump
from tui.modals.confirm import ConfirmModal
from tui.modals.versions import VersionsModal
from tui.screens.indicators import VERDICT_STYLE
from tui.session import Session
from tui.widgets.footer import KeyFooter

QUOTE_CHARS = 300


def passage_option(passage: CellPassage) -> Option:
    """Informant role and note, code and coder, then the quote."""
    text = Text(passage.role or "ukjent rolle", style="bold")
    text.append(f" · {passage.document_id} · {passage.code_id} · {passage.coder}", style="dim")
    if passage.status != "anchored":
        text.append(f"  ({passage.status})", style="bold red")
    quote = passage.quote if len(passage.quote) <= QUOTE_CHARS else (
        passage.quote[:QUOTE_CHARS] + "…")
    text.append(f"\n  “{quote}”")
    return Option(text, id=str(passage.coding_id))


def indicators_text(indicators: list[IndicatorFact]) -> Text:
    """The indicators linked to the column's codes: name, trend, latest value."""
    text = Text(f"Indicators linked to the column's codes ({len(indicators)})\n", style="bold")
    if not indicators:
        text.append("none: link codes to indicators in the codebook", style="dim")
    for fact in indicators:
        text.append(f"{fact.id:>3} ", style="dim")
        text.append(f"{fact.name}\n")
        text.append("    ")
        text.append(fact.verdict, style=VERDICT_STYLE.get(fact.verdict, "dim"))
        text.append(f" {fact.years} · latest {fact.latest}\n", style="dim")
        if fact.values:
            yearly = " · ".join(f"{year}: {value:g}" for year, value in sorted(fact.values.items()))
            text.append(f"    {yearly} {fact.unit}\n", style="dim")
        for end in (e for e in fact.end_values if e.note):  # the rest is 'latest'
            text.append(f"    {end.year}: {end.text or '–'} ({end.note or end.kind})\n",
                        style="dim")
    return text


class CellScreen(Screen[Jump | None]):
    """Dismisses with a passage to jump to, or None back to the matrix."""

    BINDINGS = [  # noqa: RUF012
        Binding("ctrl+s", "save", "Save summary", id="cell.save", priority=True),
        Binding("ctrl+r", "toggle_status", "Draft/reviewed", id="cell.status", priority=True),
        Binding("ctrl+o", "history", "History", id="cell.history", priority=True),
        Binding("tab", "switch_side", "Passages/summary", id="cell.switch", priority=True),
        Binding("escape", "close", "Back", id="cell.close"),
    ]

    def __init__(self, session: Session, site: str, column_id: str) -> None:
        super().__init__()
        self.session = session
        self.site = site
        self.column_id = column_id
        self.detail: CellDetail | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="cell-title")
        with Horizontal(id="cell-body"):
            yield OptionList(id="cell-passages")
            with Vertical(id="cell-right"):
                yield Static(id="cell-summary-title")
                yield TextArea(id="cell-summary", soft_wrap=True)
                with VerticalScroll(id="cell-indicators-scroll"):
                    yield Static(id="cell-indicators")
        yield KeyFooter()

    @property
    def editor(self) -> TextArea:
        return self.query_one("#cell-summary", TextArea)

    @property
    def saved_text(self) -> str:
        summary = self.detail.summary if self.detail else None
        return summary.text if summary else ""

    def on_mount(self) -> None:
        self.load()
        self.editor.focus()

    def load(self) -> None:
        """Read the cell from the store and show it; the editor gets the current summary."""
        detail = cell_detail(self.session.db, self.site, self.column_id)
        self.detail = detail
        title = Text(f"{detail.site.name} × {detail.column.label_nb}", style="bold")
        title.append(f" ({detail.column.id}) · {len(detail.passages)} passages", style="dim")
        self.query_one("#cell-title", Static).update(title)
        passages = self.query_one("#cell-passages", OptionList)
        was = passages.highlighted
        passages.set_options([passage_option(p) for p in detail.passages])
        if passages.option_count:
            passages.highlighted = min(was or 0, passages.option_count - 1)
        self.editor.load_text(self.saved_text)
        self.show_summary_title()
        self.query_one("#cell-indicators", Static).update(indicators_text(detail.indicators))

    def show_summary_title(self) -> None:
        detail = self.detail
        if detail is None:
            return
        summary = detail.summary
        text = Text("Summary", style="bold")
        if summary is None:
            text.append(f" · {detail.status or 'no passages'} · not saved yet", style="dim")
        else:
            text.append(f" · {summary.status} · version {summary.version} by {summary.author} "
                        f"{summary.created_at[:16].replace('T', ' ')}", style="dim")
        self.query_one("#cell-summary-title", Static).update(text)

    def unsaved(self) -> bool:
        return self.editor.text.strip() != self.saved_text.strip()

    def _write(self, change: Callable[[], SummaryVersion]) -> None:
        """Run a core write, then show the cell as stored; a refusal is shown, not raised."""
        try:
            version = change()
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.load()
        self.notify(f"summary version {version.version} ({version.status}) saved", timeout=3)

    def action_save(self) -> None:
        if not self.unsaved():
            self.notify("nothing changed since the last save", timeout=2)
            return
        text = self.editor.text
        self._write(lambda: save_summary(self.session.db, self.site, self.column_id,
                                         self.session.coder, text=text))

    def action_toggle_status(self) -> None:
        summary = self.detail.summary if self.detail else None
        if summary is None or self.unsaved():
            self.notify("save the summary first (ctrl+s)", severity="warning", timeout=3)
            return
        status = "draft" if summary.status == "reviewed" else "reviewed"
        self._write(lambda: save_summary(self.session.db, self.site, self.column_id,
                                         self.session.coder, status=status))

    def action_history(self) -> None:
        history = self.detail.history if self.detail else []
        if not history:
            self.notify("no versions yet", timeout=2)
            return
        lines = [(v.version, v.author, v.created_at, v.status
                  + (f", restored from v{v.restored_from}" if v.restored_from else ""), v.text)
                 for v in history]
        self.app.push_screen(VersionsModal("Versions of this cell's summary", lines),
                             self.restore)

    def restore(self, version: int | None) -> None:
        if version is None:
            return

        def go(yes: bool | None = True) -> None:
            if yes:
                self._write(lambda: restore_summary(self.session.db, self.site,
                                                    self.column_id, version,
                                                    self.session.coder))

        if self.unsaved():
            self.app.push_screen(ConfirmModal("Restoring throws away the unsaved text. "
                                              "Restore anyway?"), go)
        else:
            go()

    def action_switch_side(self) -> None:
        passages = self.query_one("#cell-passages", OptionList)
        (passages if self.editor.has_focus else self.editor).focus()

    @on(OptionList.OptionSelected, "#cell-passages")
    def _passage_chosen(self, event: OptionList.OptionSelected) -> None:
        detail = self.detail
        if detail is None:
            return
        passage = next(p for p in detail.passages if str(p.coding_id) == event.option.id)
        target = ((passage.document_id, 0, 0) if passage.status == "orphaned"
                  else (passage.document_id, passage.start, passage.end))
        self.leave(target)

    def leave(self, target: Jump | None) -> None:
        """Go back (or to a passage), asking first when the summary has unsaved text."""
        if not self.unsaved():
            self.dismiss(target)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(target)

        self.app.push_screen(ConfirmModal("The summary has unsaved text. Throw it away?"),
                             answered)

    def action_close(self) -> None:
        self.leave(None)
