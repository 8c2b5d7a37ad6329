"""The indicator screen: indicators filtered by goal, type and source, and for one the trend as
a chart beside the passages linked to it, grouped by site; Enter opens a passage."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from kasus.evidence.indicators import linked_codes, list_indicators, trend
from kasus.evidence.links import list_links
from kasus.evidence.trends import Trend
from kasus.model import EvidenceLink, Indicator
from kasus.picker import rank_indicators
from tui.messages import Jump
from tui.session import Session
from tui.widgets.footer import KeyFooter

AREAS = (None, "ressursinnsats", "samfunnseffekter", "hovedmal1", "hovedmal2", "hovedmal3",
         "hovedmal4", "hovedmal5")
TYPES = (None, "innsats", "aktivitet", "resultat")
NARROW_WIDTH = 110
VERDICT_STYLE = {"improving": "green", "worsening": "red", "rising": "cyan", "falling": "cyan"}


def _indicator_option(indicator: Indicator, judged: Trend) -> Option:
    text = Text(f"{indicator.id:>3} ", style="bold")
    text.append(judged.verdict, style=VERDICT_STYLE.get(judged.verdict, "dim"))
    text.append(f"\n    {indicator.name_nb}")
    return Option(text, id=str(indicator.id))


def trend_lines(indicator: Indicator, judged: Trend) -> Text:
    """The verdict, its years and threshold, then each end-of-period value and its status."""
    better = {"up": "higher is better", "down": "lower is better"}.get(judged.desired,
                                                                      "no direction is better")
    text = Text(f"{indicator.id} {indicator.name_nb}\n", style="bold")
    text.append(f"{indicator.source} · {indicator.unit} · {better}\n", style="dim")
    text.append("Trend: ")
    text.append(judged.verdict, style=VERDICT_STYLE.get(judged.verdict, "bold"))
    if judged.change is not None:
        text.append(f" {judged.years}: {judged.first_value:g} → {judged.last_value:g} "
                    f"({judged.change:+g} {judged.change_unit})")
    for later in judged.continuation:
        shown = "–" if later.value is None else f"{later.qualifier} {later.value:g}".strip()
        status = "continues the series" if later.continues else later.why_not
        text.append(f"\n  {later.year}: {shown} ({later.kind}) — {status}",
                    style="yellow" if "brudd" in later.why_not else "")
    for conflict in judged.conflicts:
        text.append(f"\n  conflicting values {conflict}", style="red")
    if judged.running_total is not None and judged.target:
        text.append(f"\n  running total {judged.running_total:g} of {judged.target:g} mill. NOK")
    for year, met in judged.golden_rule:
        text.append(f"\n  den gylne regel {year}: {'met' if met else 'not met'}")
    return text


def _evidence_options(links: list[EvidenceLink]) -> list[Option]:
    options: list[Option] = []
    for site in sorted({link.site_id for link in links}):
        here = [link for link in links if link.site_id == site]
        options.append(Option(Text(f"{site} ({len(here)})", style="bold underline"),
                              disabled=True))
        for link in here:
            text = Text(f"{link.stance}", style="bold")
            flagged = "" if link.coding_status == "anchored" else f" ({link.coding_status})"
            text.append(f"{flagged} · {link.document_id} · {link.coder}", style="dim")
            text.append(f"\n  «{' '.join(link.quote.split())}»")
            if link.note:
                text.append(f"\n  note: {link.note}", style="italic")
            options.append(Option(text, id=str(link.id)))
    return options


class IndicatorScreen(Screen[Jump | None]):
    """Indicators on the left; the chosen one's chart, trend and evidence on the right."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "close", "Back", id="indicators.close"),
        Binding("slash", "focus_filter", "Search", id="indicators.search"),
        Binding("a", "cycle_area", "Goal/area", id="indicators.area"),
        Binding("y", "cycle_type", "Type", id="indicators.type"),
        Binding("s", "cycle_source", "Source", id="indicators.source"),
        Binding("e", "focus_evidence", "Evidence", id="indicators.evidence"),
    ]

    def __init__(self, session: Session, indicator_id: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.all = list_indicators(session.db)
        self.trends = {indicator.id: trend(indicator) for indicator in self.all}
        self.sources = (None, *sorted({i.source for i in self.all}))
        self.area: str | None = None
        self.type: str | None = None
        self.source: str | None = None
        self.start_id = indicator_id
        self.links: dict[str, EvidenceLink] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="indicators"):
            yield Input(placeholder="search indicators (/): id, words of the name, source",
                        id="ind-filter")
            yield Static(id="ind-filters")
            with Horizontal(id="ind-panels"):
                yield OptionList(id="ind-list")
                with VerticalScroll(id="ind-detail"):
                    yield PlotextPlot(id="ind-chart")
                    yield Static(id="ind-trend")
                    yield OptionList(id="ind-evidence")
        yield KeyFooter()

    @property
    def listing(self) -> OptionList:
        return self.query_one("#ind-list", OptionList)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def on_mount(self) -> None:
        self.show_list()
        if self.start_id is not None:
            self.listing.highlighted = self.listing.get_option_index(str(self.start_id))
            self.listing.focus()
        else:  # typing searches at once; Enter goes to the list
            self.query_one("#ind-filter", Input).focus()

    def shown(self) -> list[Indicator]:
        query = self.query_one("#ind-filter", Input).value
        kept = [i for i in self.all if self.area in (None, i.area)
                and self.type in (None, i.type) and self.source in (None, i.source)]
        return rank_indicators(kept, query, limit=len(kept))

    def show_list(self) -> None:
        indicators = self.shown()
        self.listing.set_options([_indicator_option(i, self.trends[i.id]) for i in indicators])
        if indicators:
            self.listing.highlighted = 0
        filters = [f"{name} {value}" for name, value in (("area", self.area),
                                                         ("type", self.type),
                                                         ("source", self.source)) if value]
        self.query_one("#ind-filters", Static).update(Text(
            f"{len(indicators)} of {len(self.all)} · " + (" · ".join(filters) or
                                                          "a area · y type · s source"),
            style="dim"))
        self.show_indicator()

    @on(Input.Changed, "#ind-filter")
    def _filter_changed(self) -> None:
        self.show_list()

    @on(Input.Submitted, "#ind-filter")
    def _filter_submitted(self) -> None:
        self.listing.focus()

    @on(OptionList.OptionHighlighted, "#ind-list")
    def _highlighted(self) -> None:
        self.show_indicator()

    @property
    def current(self) -> Indicator | None:
        option = self.listing.highlighted_option
        return next((i for i in self.all if str(i.id) == (option.id if option else "")), None)

    def show_indicator(self) -> None:
        """The chart, the trend in words, the linked codes, and the evidence by site."""
        indicator = self.current
        detail = self.query_one("#ind-trend", Static)
        evidence = self.query_one("#ind-evidence", OptionList)
        if indicator is None:
            detail.update(Text("No indicator matches.", style="dim"))
            evidence.clear_options()
            return
        judged = self.trends[indicator.id]
        self.draw_chart(indicator, judged)
        links = list_links(self.session.db, indicator_id=indicator.id)
        self.links = {str(link.id): link for link in links}
        codes = linked_codes(self.session.db, indicator.id)
        detail.update(Group(trend_lines(indicator, judged), Text(
            f"\nLinked codes: {', '.join(codes) or 'none'}\n"
            f"{len(links)} linked passage(s)" + (" — Enter opens one" if links else
                                                 " (l on a coding links one)"), style="dim")))
        evidence.set_options(_evidence_options(links))

    def draw_chart(self, indicator: Indicator, judged: Trend) -> None:
        """The series as a line; end-of-period values that continue it on the line, the others
        (breaks, qualified values) as separate marks."""
        plot = self.query_one("#ind-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        series = sorted((v.year, v.value) for v in indicator.values
                        if v.origin == "status2019" and v.value is not None and v.kind == "level")
        series += [(c.year, c.value) for c in judged.continuation
                   if c.continues and c.value is not None]
        apart = [(c.year, c.value) for c in judged.continuation
                 if not c.continues and c.value is not None and c.kind == "level"]
        if series:
            plt.plot([year for year, _ in series], [value for _, value in series],
                     marker="dot", label="series")
        if apart:
            plt.scatter([year for year, _ in apart], [value for _, value in apart],
                        marker="x", label="2019/20, not comparable")
        years = sorted({year for year, _ in series + apart})
        if years:
            plt.xticks([float(year) for year in years], [str(year) for year in years])
        plt.title(f"{indicator.id}: {judged.verdict} ({indicator.unit})")
        plot.refresh()

    @on(OptionList.OptionSelected, "#ind-evidence")
    def _passage_chosen(self, event: OptionList.OptionSelected) -> None:
        link = self.links.get(event.option.id or "")
        if link is not None:
            start, end = (0, 0) if link.coding_status == "orphaned" else (link.start, link.end)
            self.dismiss((link.document_id, start, end))

    def _cycle(self, values: tuple[str | None, ...], current: str | None) -> str | None:
        return values[(values.index(current) + 1) % len(values)]

    def action_cycle_area(self) -> None:
        self.area = self._cycle(AREAS, self.area)
        self.show_list()

    def action_cycle_type(self) -> None:
        self.type = self._cycle(TYPES, self.type)
        self.show_list()

    def action_cycle_source(self) -> None:
        self.source = self._cycle(self.sources, self.source)
        self.show_list()

    def action_focus_filter(self) -> None:
        self.query_one("#ind-filter", Input).focus()

    def action_focus_evidence(self) -> None:
        evidence = self.query_one("#ind-evidence", OptionList)
        evidence.focus()
        for index, option in enumerate(evidence.options):
            if not option.disabled:
                evidence.highlighted = index
                break

    def action_close(self) -> None:
        self.dismiss(None)
