"""Command-palette provider (ctrl+p): open a document, search, code view, import, theme."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kasus.documents import list_documents
from tui.screens.coding import CodingScreen

Command = tuple[str, Callable[[], object], str]


class KasusCommands(Provider):
    """kasus actions for the palette; only offered on the coding screen."""

    def _commands(self) -> Iterator[Command]:
        screen = self.screen
        if not isinstance(screen, CodingScreen):
            return
        yield "Search the corpus", screen.action_search, "full text or lemma search (/)"
        yield "Code view", screen.action_code_view, "every passage of a code, by site (g)"
        yield "Import folder", screen.action_import_folder, "import notes from a folder (i)"
        yield ("Indicators", screen.action_indicators,
               "trends, verdicts and the evidence linked to each indicator (I)")
        yield ("Goal screen", screen.action_goals,
               "the goal-attainment table: judgements, grounds, evidence by site (G)")
        yield ("Framework matrix", screen.action_matrix,
               "sites × codes or goals, a summary per cell (M)")
        yield ("Export", screen.action_export,
               "theme summary, matrix or coded segments to a file (E)")
        yield ("Review session", screen.action_review,
               "two coders' disagreements, decided one by one (R)")
        yield ("Toggle dark/light theme", partial(self.app.run_action, "toggle_dark"),
               "switch between textual-dark and textual-light (ctrl+t)")
        yield "Help: keys", partial(self.app.run_action, "help"), "every key binding (? or F1)"
        for document in list_documents(screen.session.db):
            yield (f"Open document {document['id']}",
                   partial(screen.open_document, document["id"]),
                   f"{document['site']} · {document.get('role') or '?'} · "
                   f"{document.get('date') or ''}")

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
