"""Every passage coded with a code (and its sub-codes), grouped by site; Enter jumps to it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kasus.model import Code, Coding
from tui.messages import Jump
from tui.widgets.code_info import code_info
from tui.widgets.footer import KeyFooter
from tui.widgets.options import highlight_first_enabled

QUOTE_CHARS = 400


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def passage_prompt(coding: Coding, document: dict[str, Any], code: Code | None) -> Text:
    """Document, role, span and coder, then the quote (shortened when very long)."""
    colour = code.colour if code else "#888888"
    text = Text.assemble(("■ ", colour))
    text.append(f"{coding.document_id}", style="bold")
    text.append(f" · {document.get('role') or '?'} · {coding.start}–{coding.end} · "
                f"{coding.coder} · {coding.code_id}", style="dim")
    if coding.status == "orphaned":
        text.append("  (orphaned)", style="bold red")
    quote = coding.quote if len(coding.quote) <= QUOTE_CHARS else coding.quote[:QUOTE_CHARS] + "…"
    text.append(f"\n  “{quote}”")
    if coding.memo:
        text.append(f"\n  memo: {coding.memo}", style="italic")
    return text


def grouped_options(codings: list[Coding], documents: dict[str, dict[str, Any]],
                    codes: dict[str, Code]) -> list[Option]:
    """A disabled heading per site, then that site's passages in document order."""
    by_site: dict[str, list[Coding]] = {}
    for coding in codings:
        site = documents.get(coding.document_id, {}).get("site") or "?"
        by_site.setdefault(site, []).append(coding)
    options: list[Option] = []
    for site in sorted(by_site):
        options.append(Option(Text(f"{site} ({len(by_site[site])})", style="bold underline"),
                              disabled=True))
        options += [
            Option(passage_prompt(c, documents.get(c.document_id, {}), codes.get(c.code_id)),
                   id=str(c.id))
            for c in by_site[site]
        ]
    return options


class CodeViewScreen(Screen[Jump | None]):
    """The passages of one code across the corpus; dismisses with where to jump."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "close", "Back", id="code_view.close"),
    ]

    def __init__(self, code: Code, codings: list[Coding],
                 documents: dict[str, dict[str, Any]], codes: dict[str, Code]) -> None:
        super().__init__()
        self.code = code
        self.codings = {str(coding.id): coding for coding in codings}
        self.documents = documents
        self.codes = codes

    def compose(self) -> ComposeResult:
        sites = {self.documents.get(c.document_id, {}).get("site") for c in self.codings.values()}
        with Vertical(id="code-view"):
            title = Text.assemble(("■ ", self.code.colour))
            title.append(f"{self.code.id}  {self.code.label_nb}", style="bold")
            title.append(f"\n{plural(len(self.codings), 'passage')} in "
                         f"{plural(len(sites), 'site')}", style="dim")
            yield Static(title, id="code-view-title")
            yield Static(code_info(self.code, examples=0), id="code-view-info")
            yield OptionList(*grouped_options(list(self.codings.values()), self.documents,
                                              self.codes), id="code-view-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        passages = self.query_one("#code-view-list", OptionList)
        passages.focus()
        highlight_first_enabled(passages)

    @on(OptionList.OptionSelected, "#code-view-list")
    def _passage_chosen(self, event: OptionList.OptionSelected) -> None:
        coding = self.codings[event.option.id or ""]
        if coding.status == "orphaned":  # no valid span: open the document, select nothing
            self.dismiss((coding.document_id, 0, 0))
        else:
            self.dismiss((coding.document_id, coding.start, coding.end))

    def action_close(self) -> None:
        self.dismiss(None)
