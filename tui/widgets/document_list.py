"""The left panel: sites and their documents, narrowed by a filter input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from kasus.picker import fold
from tui.widgets.options import highlight_first_enabled

ROLE_CHARS = 10  # keeps "  role date" on one line in the 28-column panel


def _matches(document: dict[str, Any], words: list[str]) -> bool:
    haystack = fold(" ".join(str(document.get(key) or "") for key in
                             ("id", "site", "site_id", "role", "informant", "date", "title")))
    return all(word in haystack for word in words)


def _prompt(document: dict[str, Any]) -> Text:
    codings = document.get("codings") or 0
    role = document.get("role") or "?"
    role = role if len(role) <= ROLE_CHARS else role[:ROLE_CHARS - 1] + "…"
    text = Text(f"{document['id']}", style="bold")
    text.append(f"  {codings} coded" if codings else "", style="italic")
    text.append(f"\n  {role} {document.get('date') or ''}", style="dim")
    return text


class DocumentList(Vertical):
    """Sites → documents (role, date, number of codings) with a filter on top."""

    @dataclass
    class DocumentChosen(Message):
        """The user picked a document to read."""

        document_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.documents: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter documents…", id="doc-filter")
        yield OptionList(id="doc-list")

    @property
    def filter_input(self) -> Input:
        return self.query_one("#doc-filter", Input)

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#doc-list", OptionList)

    def set_documents(self, documents: list[dict[str, Any]]) -> None:
        """Show these document summaries, keeping the filter and the highlighted document."""
        old = {d["id"]: d for d in self.documents}
        self.documents = documents
        if list(old) != [d["id"] for d in documents]:
            self._rebuild()
            return
        # Same documents: only re-render the ones whose counts or details changed.
        shown = {option.id for option in self.option_list.options}
        for document in documents:
            if document != old[document["id"]] and document["id"] in shown:
                self.option_list.replace_option_prompt(document["id"], _prompt(document))

    def _rebuild(self) -> None:
        options = self.option_list
        current = options.highlighted_option
        current_id = current.id if current is not None else None
        words = fold(self.filter_input.value).split()
        shown = [d for d in self.documents if _matches(d, words)]
        entries: list[Option] = []
        for site in dict.fromkeys(d["site"] for d in shown):
            site_docs = [d for d in shown if d["site"] == site]
            entries.append(Option(Text(f"{site} ({len(site_docs)})", style="bold underline"),
                                  disabled=True))
            entries += [Option(_prompt(d), id=d["id"]) for d in site_docs]
        options.set_options(entries)
        if current_id is not None and any(o.id == current_id for o in entries):
            options.highlighted = options.get_option_index(current_id)

    def highlight_first(self) -> None:
        """Highlight the first document shown (after its site heading)."""
        highlight_first_enabled(self.option_list)

    @on(Input.Changed, "#doc-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._rebuild()
        self.highlight_first()

    @on(Input.Submitted, "#doc-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """One Enter opens the first note the filter shows."""
        event.stop()
        self.highlight_first()
        self.option_list.focus()
        chosen = self.option_list.highlighted_option
        if chosen is not None and chosen.id is not None:
            self.post_message(self.DocumentChosen(chosen.id))

    @on(OptionList.OptionSelected, "#doc-list")
    def _document_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.DocumentChosen(event.option.id))
