"""The review session: the coders' disagreements one by one, each decided with a comment."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kasus.documents import get_document, list_documents
from kasus.errors import KasusError
from kasus.model import Code
from kasus.review.decisions import (
    Disagreement,
    ReviewSession,
    coverage_runs,
    decide,
    list_disagreements,
    progress,
)
from tui.messages import Jump
from tui.modals.code_picker import CodePickerModal
from tui.modals.memo_editor import MemoEditorModal
from tui.session import Session
from tui.widgets.footer import KeyFooter

# One hue per side of a disagreement, readable on dark and light backgrounds.
CODER_STYLES = ("on #2e5c8a", "on #8a5a2e", "on #5c2e8a")
BOTH_STYLE = "on #4a6b3a"
CONTEXT_CHARS = 240


def _option(number: int, disagreement: Disagreement) -> Option:
    decision = disagreement.decision
    text = Text("✓ " if decision else "· ", style="green" if decision else "dim")
    text.append(f"{number}. {disagreement.code_id}", style="bold")
    text.append(f"\n  {disagreement.unit.document_id} ¶{disagreement.unit.ordinal}  "
                f"by {', '.join(disagreement.applied_by)}", style="dim")
    if decision:
        text.append(f"\n  {decision.verdict}", style="italic")
    return Option(text, id=disagreement.key)


class ReviewScreen(Screen[Jump | None]):
    """Disagreements on the left, the passage with both coders' spans and the decision on the
    right; a / r / e decide, each asking for a comment."""

    BINDINGS = [  # noqa: RUF012
        Binding("a", "decide('accept')", "Accept", id="review.accept"),
        Binding("r", "decide('reject')", "Reject", id="review.reject"),
        Binding("e", "recode", "Recode", id="review.recode"),
        Binding("n", "next_open", "Next open", id="review.next"),
        Binding("c", "filter_code", "Filter code", id="review.filter_code"),
        Binding("s", "next_site", "Filter site", id="review.filter_site"),
        Binding("o", "open_document", "Open in note", id="review.open"),
        Binding("escape", "close", "Back", id="review.close"),
    ]

    def __init__(self, session: Session, review: ReviewSession, codes: dict[str, Code]) -> None:
        super().__init__()
        self.session = session
        self.review = review
        self.codes = codes
        self.code_filter: str | None = None
        self.site_filter: str | None = None
        # Only sites that hold notes: the national level or an unvisited site has nothing here.
        self.sites = sorted({d["site_id"] for d in list_documents(session.db)})
        self.disagreements: dict[str, Disagreement] = {}
        self.texts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="review-title")
        with Horizontal(id="review-panels"):
            yield OptionList(id="review-list")
            with VerticalScroll(id="review-detail"):
                yield Static(id="review-passage")
        yield KeyFooter()

    @property
    def options(self) -> OptionList:
        return self.query_one("#review-list", OptionList)

    def on_mount(self) -> None:
        self.reload()
        self.options.focus()

    def reload(self, keep: str | None = None) -> None:
        """Fetch the disagreements (with decisions) under the filters and show them."""
        found = list_disagreements(self.session.db, self.review, self.code_filter,
                                   self.site_filter)
        self.disagreements = {d.key: d for d in found}
        options = self.options
        options.set_options([_option(n, d) for n, d in enumerate(found, start=1)])
        keys = list(self.disagreements)
        if keys:
            options.highlighted = keys.index(keep) if keep in self.disagreements else 0
        done = progress(found)
        filters = " · ".join(f for f in (f"code {self.code_filter}" if self.code_filter else "",
                                         f"site {self.site_filter}" if self.site_filter else "")
                             if f)
        title = Text(f"Review {', '.join(self.review.coders)} on {self.review.unit} units — ",
                     style="bold")
        title.append(f"{done.decided}/{done.total} resolved", style="bold green")
        if filters:
            title.append(f"  ({filters}; c / s to change)", style="dim")
        self.query_one("#review-title", Static).update(title)
        self.show_current()

    @property
    def current(self) -> Disagreement | None:
        option = self.options.highlighted_option
        return None if option is None else self.disagreements.get(option.id or "")

    @on(OptionList.OptionHighlighted, "#review-list")
    def _highlighted(self) -> None:
        self.show_current()

    def _text(self, document_id: str) -> str:
        if document_id not in self.texts:
            self.texts[document_id] = get_document(self.session.db, document_id).text
        return self.texts[document_id]

    def show_current(self) -> None:
        """The passage in context with each coder's span, the code's rules, the decision."""
        passage = self.query_one("#review-passage", Static)
        disagreement = self.current
        if disagreement is None:
            passage.update(Text("No disagreements here.", style="dim"))
            return
        passage.update(Group(*self._passage_parts(disagreement)))

    def _passage_parts(self, disagreement: Disagreement) -> list[Text]:
        unit = disagreement.unit
        text = self._text(unit.document_id)
        code = self.codes.get(disagreement.code_id)
        legend = Text()
        for index, coder in enumerate(self.review.coders):
            legend.append(f" {coder} ", style=CODER_STYLES[index % len(CODER_STYLES)])
            legend.append(" ")
        legend.append(" both ", style=BOTH_STYLE)
        heading = Text(f"{disagreement.code_id}", style="bold")
        heading.append(f"  {code.label_nb if code else ''}\n", style="dim")
        heading.append(f"{unit.document_id} · {unit.site_id} · {unit.kind} {unit.ordinal} · "
                       f"applied by {', '.join(disagreement.applied_by)}, not by "
                       f"{', '.join(disagreement.not_applied_by)}")
        body = Text(" ".join(text[max(0, unit.start - CONTEXT_CHARS):unit.start].split()[1:])
                    + " ", style="dim")
        for start, end, coders in coverage_runs(disagreement):
            body.append(text[start:end], style=self._style(coders))
        body.append(" " + " ".join(text[unit.end:unit.end + CONTEXT_CHARS].split()[:-1]),
                    style="dim")
        parts = [heading, legend, body, self._unit_codes_text(disagreement)]
        if code is not None:
            parts.append(Text.assemble(("\nInclude: ", "bold"), code.include or "–",
                                       ("\nExclude: ", "bold"), code.exclude or "–"))
        parts.append(self._decision_text(disagreement))
        return parts

    @staticmethod
    def _unit_codes_text(disagreement: Disagreement) -> Text:
        text = Text()
        for coder, codes in disagreement.unit_codes.items():
            text.append(f"\n{coder} coded this {disagreement.unit.kind}: ", style="bold")
            text.append(", ".join(codes) or "nothing")
        return text

    def _style(self, coders: frozenset[str]) -> str:
        if len(coders) > 1:
            return BOTH_STYLE
        if coders:
            (coder,) = coders
            return CODER_STYLES[self.review.coders.index(coder) % len(CODER_STYLES)]
        return ""

    @staticmethod
    def _decision_text(disagreement: Disagreement) -> Text:
        decision = disagreement.decision
        if decision is None:
            return Text("\nOpen: a accept · r reject · e recode (each asks for a comment)",
                        style="italic")
        text = Text(f"\nDecided: {decision.verdict}", style="bold green")
        if decision.new_code_id:
            text.append(f" → {decision.new_code_id}", style="bold")
        text.append(f" by {decision.reviewer}\n")
        text.append(f"Comment: {decision.comment}", style="italic")
        return text

    def action_decide(self, verdict: str, new_code_id: str | None = None) -> None:
        disagreement = self.current
        if disagreement is None:
            return
        about = f"{verdict}{' → ' + new_code_id if new_code_id else ''} {disagreement.key}"

        def save(comment: str | None) -> None:
            if comment is None:
                return
            try:
                decide(self.session.db, self.review, disagreement, verdict, comment,
                       self.session.coder, new_code_id)
            except KasusError as error:
                self.notify(str(error), severity="error", markup=False)
                return
            self.notify(f"{about}: saved", timeout=3, markup=False)
            self.reload(keep=disagreement.key)

        self.app.push_screen(MemoEditorModal("", f"Comment — {about}"), save)

    def action_recode(self) -> None:
        if self.current is None:
            return
        active = [code for code in self.codes.values() if code.status == "active"]
        self.app.push_screen(CodePickerModal(active, "Recode: the code that applies instead"),
                             lambda code_id: self.action_decide("recode", code_id)
                             if code_id else None)

    def action_next_open(self) -> None:
        keys = list(self.disagreements)
        start = self.options.highlighted or 0
        for index in [*range(start + 1, len(keys)), *range(0, start + 1)]:
            if self.disagreements[keys[index]].decision is None:
                self.options.highlighted = index
                return
        self.notify("every disagreement here is decided", timeout=3)

    def action_filter_code(self) -> None:
        def chosen(code_id: str | None) -> None:
            self.code_filter = code_id
            self.reload()

        used = sorted({d.code_id for d in self.disagreements.values()})
        codes = [self.codes[c] for c in used if c in self.codes] if not self.code_filter else \
            list(self.codes.values())
        self.app.push_screen(CodePickerModal(codes, "Show the disagreements on (Escape: all)"),
                             chosen)

    def action_next_site(self) -> None:
        choices: list[str | None] = [None, *self.sites]
        self.site_filter = choices[(choices.index(self.site_filter) + 1) % len(choices)]
        self.reload()

    def action_open_document(self) -> None:
        disagreement = self.current
        if disagreement is not None:
            self.dismiss((disagreement.unit.document_id, disagreement.unit.start,
                          disagreement.unit.end))

    def action_close(self) -> None:
        self.dismiss(None)
