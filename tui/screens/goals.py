"""The goal overview: a main goal's indicators and their verdicts beside the coded evidence
per site, with the places where evidence and trend disagree."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from kasus.errors import KasusError
from kasus.evidence.goals import GoalOverview, goal_overview
from kasus.evidence.links import STANCES
from tui.messages import Jump
from tui.screens.indicators import VERDICT_STYLE
from tui.session import Session


def overview_renderable(overview: GoalOverview) -> Group:
    """Heading, the indicator table, the evidence table and the disagreement flags."""
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(overview.verdicts.items()))
    heading = Text(f"Goal {overview.goal}: {overview.label}\n", style="bold")
    heading.append(f"{len(overview.indicators)} indicators: {verdicts or 'none'} · codes "
                   f"counted: {len(overview.codes)} (1–5 switch goal)", style="dim")
    indicators = Table(expand=True)
    indicators.add_column("id", justify="right", no_wrap=True)
    indicators.add_column("indicator", ratio=1, overflow="fold")
    indicators.add_column("trend", no_wrap=True)
    indicators.add_column("evidence", no_wrap=True)
    for row in overview.indicators:
        tally = " ".join(f"{stance[0]}{n}" for stance, n in row.stances.items() if n)
        indicators.add_row(str(row.id), row.name,
                           Text(row.verdict, style=VERDICT_STYLE.get(row.verdict, "dim")),
                           tally or "–")
    sites = Table(title="Evidence by site", expand=True)
    sites.add_column("site")
    for column in ("codings", *STANCES):
        sites.add_column(column, justify="right")
    for site in overview.sites:
        sites.add_row(site.site_id, str(site.codings),
                      *(str(site.stances.get(stance, 0)) for stance in STANCES))
    flags = [Text(f"⚠ {flag}", style="bold red") for flag in overview.flags] or [
        Text("No disagreement between the trends and the linked evidence.", style="dim")]
    return Group(heading, indicators, sites, *flags)


class GoalScreen(Screen[Jump | None]):
    """One goal at a time; digits 1–5 switch goal."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "close", "Back", id="goals.close"),
        *[Binding(str(n), f"show_goal({n})", f"Goal {n}", show=False, id=f"goals.goal{n}")
          for n in range(1, 6)],
    ]

    def __init__(self, session: Session, goal: int = 4) -> None:
        super().__init__()
        self.session = session
        self.goal = goal

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="goal-overview"):
            yield Static(id="goal-body")
        yield Footer()

    def on_mount(self) -> None:
        self.action_show_goal(self.goal)

    def action_show_goal(self, goal: int) -> None:
        try:
            overview = goal_overview(self.session.db, goal)
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.goal = goal
        self.query_one("#goal-body", Static).update(overview_renderable(overview))

    def action_close(self) -> None:
        self.dismiss(None)
