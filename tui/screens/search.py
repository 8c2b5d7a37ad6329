"""Corpus search: full text or lemma, filtered by site and code; Enter jumps to the hit."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.widgets.select import NoSelection

from kasus.errors import KasusError
from kasus.model import Code, Site
from kasus.search import Hit, search_page
from tui.messages import Jump
from tui.session import Session
from tui.widgets.footer import KeyFooter


def hit_prompt(hit: Hit) -> Text:
    """Site, document and role, then the sentence with the matched words marked."""
    text = Text(f"{hit.site} · {hit.document_id} · {hit.role or '?'}\n", style="dim")
    sentence = Text("  " + hit.snippet)
    for start, end in hit.matches:
        sentence.stylize("bold reverse", start - hit.start + 2, end - hit.start + 2)
    text.append_text(sentence)
    return text


@dataclass
class SearchState:
    """What the search screen had when it was left, so coming back finds it as it was."""

    query: str = ""
    lemma: bool = False
    site: str | None = None
    code: str | None = None


class SearchScreen(Screen[Jump | None]):
    """Search the corpus; dismisses with (document, start, end) of the chosen hit."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "close", "Back", id="search.close"),
        Binding("ctrl+l", "toggle_lemma", "Lemma search on/off", id="search.lemma"),
        Binding("down", "focus_results", "Results", show=False, id="search.results"),
        Binding("ctrl+n", "more_hits", "More hits", id="search.more"),
    ]

    def __init__(self, session: Session, sites: list[Site], codes: list[Code],
                 state: SearchState | None = None) -> None:
        super().__init__()
        self.session = session
        self.sites = sites
        self.codes = codes
        self.state = state or SearchState()
        self.hits: list[Hit] = []
        self.total = 0
        self.exact = True

    def compose(self) -> ComposeResult:
        with Vertical(id="search"):
            yield Static("Search the corpus", id="search-title")
            with Horizontal(id="search-bar"):
                # The previous query comes back selected: typing replaces it at once.
                yield Input(self.state.query, placeholder="words, \"a phrase\", prefix*",
                            id="search-input", select_on_focus=True)
                yield Checkbox("lemma", self.state.lemma, id="search-lemma")
            with Horizontal(id="search-filters"):
                yield Select([(site.name, site.id) for site in self.sites], prompt="any site",
                             id="search-site", value=self._known(self.state.site, self.sites))
                yield Select([(f"{code.id}  {code.label_nb}", code.id) for code in self.codes],
                             prompt="any code", id="search-code",
                             value=self._known(self.state.code, self.codes))
            yield Static("type a query and press Enter", id="search-summary")
            yield OptionList(id="search-results")
        yield KeyFooter()

    @staticmethod
    def _known(value: str | None, items: list[Site] | list[Code]) -> str | NoSelection:
        if value is not None and value in {item.id for item in items}:
            return value
        return Select.NULL

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        if self.state.query.strip():
            self.run_search()

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    def _filter(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def run_search(self) -> None:
        """Search with the current query and filters and list the hits."""
        query = self.query_one("#search-input", Input).value
        self.state.query = query
        self.state.lemma = self.query_one("#search-lemma", Checkbox).value
        self.state.site = self._filter("#search-site")
        self.state.code = self._filter("#search-code")
        if not query.strip():
            return
        try:
            page = search_page(self.session.db, query, lemma=self.state.lemma,
                               site=self.state.site, code=self.state.code)
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.hits, self.total, self.exact = page.hits, page.total, page.exact
        self.results.set_options([Option(hit_prompt(hit), id=str(index))
                                  for index, hit in enumerate(self.hits)])
        self._summarise()
        self.refresh_bindings()
        if self.hits:
            self.results.highlighted = 0

    @on(Input.Submitted, "#search-input")
    def _query_submitted(self) -> None:
        self.run_search()
        if self.hits:
            self.results.focus()

    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self.run_search()

    @on(OptionList.OptionSelected, "#search-results")
    def _hit_chosen(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        self.dismiss((hit.document_id, hit.start, hit.end))

    def _summarise(self) -> None:
        shown = f"{len(self.hits)}" if self.total == len(self.hits) else (
            f"the first {len(self.hits)} of {'' if self.exact else 'at most '}{self.total:,}")
        more = ", ctrl+n for more" if len(self.hits) < self.total else ""
        # Text, not markup: a query may hold brackets, like a note's "[sic]".
        self.query_one("#search-summary", Static).update(Text(
            f"{shown} hits for “{self.state.query}” — ↓ or Enter to choose{more}"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "more_hits":
            return len(self.hits) < self.total
        return True

    def action_more_hits(self) -> None:
        """The next page of hits, added below the ones listed."""
        try:
            page = search_page(self.session.db, self.state.query, lemma=self.state.lemma,
                               site=self.state.site, code=self.state.code,
                               offset=len(self.hits))
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        first = len(self.hits)
        self.hits += page.hits
        self.total, self.exact = page.total, page.exact
        self.results.add_options([Option(hit_prompt(hit), id=str(first + index))
                                  for index, hit in enumerate(page.hits)])
        self._summarise()
        self.refresh_bindings()

    def action_toggle_lemma(self) -> None:
        box = self.query_one("#search-lemma", Checkbox)
        box.value = not box.value

    def action_focus_results(self) -> None:
        self.results.focus()

    def action_close(self) -> None:
        self.dismiss(None)
