"""The goal screen: the six rows of the goal-attainment table (level, status, warnings); for
one row its judgement and grounds beside the tally of evidence by stance and site, and the
goal overview: its indicators' verdicts and where evidence and trend disagree."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Static

from kasus.errors import KasusError
from kasus.evidence.goals import GoalOverview, goal_overview
from kasus.evidence.links import STANCES
from kasus.synthesis import (
    GOAL_ROWS,
    GoalRow,
    Ground,
    cite,
    goal_row,
    goal_table,
    ground_source,
    judgement_history,
    restore_judgement,
    save_judgement,
    uncite,
)
from tui.messages import Jump
from tui.modals.cite_ground import CiteGroundModal
from tui.modals.confirm import ConfirmModal
from tui.modals.grounds import GroundAction, GroundsModal
from tui.modals.judgement_editor import Judged, JudgementEditorModal
from tui.modals.versions import VersionsModal
from tui.screens.indicators import VERDICT_STYLE
from tui.session import Session
from tui.widgets.footer import KeyFooter

LABEL_CHARS = 46
WARNING_CHARS = 34
NARROW_WIDTH = 100  # below it the tally goes under the judgement instead of beside it
LEVEL_STYLE = {"høy": "bold green", "relativt høy": "green", "middels": "yellow",
               "lav": "bold red"}


def overview_renderable(overview: GoalOverview) -> Group:
    """Heading, the disagreement flags and the indicator table (the evidence by site is the
    tally beside the judgement)."""
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(overview.verdicts.items()))
    heading = Text(f"Goal {overview.goal}'s indicators: ", style="bold")
    heading.append(f"{len(overview.indicators)}, {verdicts or 'none'} · codes "
                   f"counted: {len(overview.codes)}", style="dim")
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
    flags = [Text(f"⚠ {flag}", style="bold red") for flag in overview.flags] or [
        Text("No disagreement between the trends and the linked evidence.", style="dim")]
    return Group(heading, *flags, indicators)


def row_name(row: GoalRow) -> str:
    return "Overall" if row.number == "0" else f"Goal {row.number}"


def ground_text(ground: Ground) -> Text:
    """One ground: what it is, then its flags in red (a flagged ground is never dropped)."""
    text = Text("⚠ " if ground.flags else "· ", style="bold red" if ground.flags else "dim")
    text.append(ground.label, style="bold")
    if ground.kind == "indicator":
        fact = ground.indicator
        if fact is not None:
            text.append(f" {fact.name} — ")
            text.append(fact.verdict, style=VERDICT_STYLE.get(fact.verdict, "dim"))
            text.append(f", latest {fact.latest}", style="dim")
            for end in (e for e in fact.end_values if e.note):  # the rest is 'latest'
                text.append(f"; {end.year}: {end.text or '–'} ({end.note or end.kind})",
                            style="dim")
        else:
            text.append(f" {ground.cited.get('name', '')}")
    elif ground.kind == "cell":
        text.append(f" {ground.summary_line or '(no summary)'}", style="italic")
    else:
        text.append(f" {ground.place}", style="dim")
        text.append(f" “{ground.quote}”")
    if ground.note:
        text.append(f" — {ground.note}", style="italic")
    for flag in ground.flags:
        text.append(f"\n    ⚠ {flag}", style="bold red")
    return text


def judgement_renderable(row: GoalRow) -> Group:
    """The row's judgement (level, text, parts, version) and its grounds with flags."""
    heading = Text(f"{row_name(row)}: {row.label}\n", style="bold")
    judgement = row.judgement
    if judgement is None:
        heading.append("No judgement yet: e writes one.", style="dim")
    else:
        heading.append(judgement.level, style=LEVEL_STYLE.get(judgement.level, "magenta"))
        heading.append(f" · {judgement.status} · version {judgement.version} by "
                       f"{judgement.author} {judgement.created_at[:16].replace('T', ' ')}\n",
                       style="dim")
        heading.append(judgement.text)
        for part in judgement.parts:
            heading.append(f"\n  {part.label}: {part.level}", style="bold")
            if part.text:
                heading.append(f" — {part.text}")
    grounds = Text(f"\nGrounds ({len(row.grounds)}, {len(row.flagged)} flagged)",
                   style="bold underline")
    lines = [ground_text(g) for g in row.grounds] or [Text("none cited: c cites one",
                                                           style="dim")]
    warnings = [Text(f"⚠ {w}", style="yellow") for w in row.warnings]
    return Group(heading, *warnings, grounds, *lines)


def tally_renderable(row: GoalRow) -> Group:
    """The goal's evidence: links by stance, and codings and links per site."""
    stances = Text("Evidence links: ", style="bold")
    stances.append("  ".join(f"{s} {n}" for s, n in row.tally.stances.items()))
    sites = Table(title="Evidence by site (codings, links by stance)", expand=True)
    sites.add_column("site")
    # Stances cut to four letters so the table fits beside the grounds; the line above
    # spells them out.
    for column in ("codings", *(stance[:4] for stance in STANCES)):
        sites.add_column(column, justify="right")
    for site in row.tally.sites:
        sites.add_row(site.site_id, str(site.codings),
                      *(str(site.stances.get(stance, 0)) for stance in STANCES))
    return Group(stances, sites)


def short(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


class GoalScreen(Screen[Jump | None]):
    """The six rows of the goal-attainment table; 0–5 (or ↑↓) choose the row shown below."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "close", "Back", id="goals.close"),
        Binding("e", "edit", "Edit judgement", id="goals.edit"),
        Binding("c", "cite", "Cite ground", id="goals.cite"),
        Binding("r", "toggle_status", "Draft/reviewed", id="goals.status"),
        Binding("h", "history", "History", id="goals.history"),
        Binding("g", "grounds", "Grounds", id="goals.grounds"),
        Binding("tab", "app.focus_next", "Table/details", id="goals.details"),
        *[Binding(str(n), f"show_goal({n})", "Overall row" if n == 0 else f"Goal {n}",
                  show=False, id=f"goals.goal{n}")
          for n in range(6)],
    ]

    def __init__(self, session: Session, goal: int = 4) -> None:
        super().__init__()
        self.session = session
        self.goal = goal
        self.rows: list[GoalRow] = []

    def compose(self) -> ComposeResult:
        yield DataTable(id="goal-table", cursor_type="row")
        with VerticalScroll(id="goal-overview"):
            with Horizontal(id="goal-row"):
                yield Static(id="goal-judgement")
                yield Static(id="goal-tally")
            yield Static(id="goal-body")
        yield KeyFooter()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#goal-table", DataTable)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def on_mount(self) -> None:
        table = self.table
        for label, width in (("", 7), ("Mål", LABEL_CHARS), ("Måloppnåelse", 14),
                             ("status", 12), ("warnings", None)):
            table.add_column(label, key=label or "row", width=width)
        self.fill_table()
        table.focus()
        self.action_show_goal(self.goal)

    def fill_table(self) -> None:
        """The six rows from the store, the cursor kept on the shown goal."""
        self.rows = goal_table(self.session.db)
        table = self.table
        table.clear()
        for row in self.rows:
            judgement = row.judgement
            level = Text(judgement.level if judgement else "–",
                         style=LEVEL_STYLE.get(judgement.level, "magenta") if judgement
                         else "dim")
            status = Text(f"{judgement.status} v{judgement.version}" if judgement else "")
            warned = Text(short(f"⚠ {len(row.warnings)}: {row.warnings[0]}", WARNING_CHARS)
                          if row.warnings else "✓", style="yellow" if row.warnings else "green")
            table.add_row(Text(row_name(row), style="bold"), Text(short(row.label, LABEL_CHARS)),
                          level, status, warned, key=row.goal_id)

    def action_show_goal(self, goal: int) -> None:
        self.goal = goal
        table = self.table
        if table.cursor_row != goal:
            table.move_cursor(row=goal, animate=False)
        self.show_row()

    @on(DataTable.RowHighlighted, "#goal-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row != self.goal:
            self.goal = event.cursor_row
            self.show_row()

    def show_row(self) -> None:
        """The chosen row's judgement, grounds and tally, and (goals 1–5) the overview."""
        row = goal_row(self.session.db, self.goal)
        self.query_one("#goal-judgement", Static).update(judgement_renderable(row))
        self.query_one("#goal-tally", Static).update(tally_renderable(row))
        body = self.query_one("#goal-body", Static)
        if self.goal == 0:
            body.update(Text("The overall row has no goal overview: its indicators are the "
                             "resource indicators (see I).", style="dim"))
            return
        try:
            overview = goal_overview(self.session.db, self.goal)
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        body.update(overview_renderable(overview))

    @property
    def goal_id(self) -> str:
        return GOAL_ROWS[self.goal]

    def _write(self, change: Callable[[], object], done: str) -> None:
        """Run a core write, then show the table as stored; a refusal is shown, not raised."""
        try:
            change()
        except KasusError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.fill_table()
        self.action_show_goal(self.goal)
        self.notify(done, timeout=3)

    def action_edit(self) -> None:
        row = self.rows[self.goal]
        judgement = row.judgement

        def saved(judged: Judged | None) -> None:
            if judged is not None:
                level, text = judged
                self._write(lambda: save_judgement(self.session.db, self.goal_id,
                                                   self.session.coder, level, text),
                            f"{row_name(row)}: judgement saved")

        self.app.push_screen(JudgementEditorModal(
            f"{row_name(row)}: {row.label}", judgement.level if judgement else "",
            judgement.text if judgement else ""), saved)

    def action_cite(self) -> None:
        row = self.rows[self.goal]

        def cited(ref: str | None) -> None:
            if ref:
                self._write(lambda: cite(self.session.db, self.goal_id, ref,
                                         self.session.coder),
                            f"{row_name(row)}: {ref} cited")

        self.app.push_screen(CiteGroundModal(f"{row_name(row)}: {row.label}"), cited)

    def action_toggle_status(self) -> None:
        judgement = self.rows[self.goal].judgement
        if judgement is None:
            self.notify("write the judgement first (e)", severity="warning", timeout=3)
            return
        status = "draft" if judgement.status == "reviewed" else "reviewed"
        self._write(lambda: save_judgement(self.session.db, self.goal_id, self.session.coder,
                                           status=status), f"judgement marked {status}")

    def action_history(self) -> None:
        history = judgement_history(self.session.db, self.goal_id)
        if not history:
            self.notify("no versions yet", timeout=2)
            return
        lines = [(v.version, v.author, v.created_at,
                  v.status + (f", restored from v{v.restored_from}" if v.restored_from
                              else ""), f"{v.level}: {v.text}") for v in history]
        row = self.rows[self.goal]

        def restore(version: int | None) -> None:
            if version is not None:
                self._write(lambda: restore_judgement(self.session.db, self.goal_id, version,
                                                      self.session.coder),
                            f"version {version} restored as a new version")

        self.app.push_screen(VersionsModal(f"Versions of the judgement: {row_name(row)}",
                                           lines), restore)

    def action_grounds(self) -> None:
        row = self.rows[self.goal]
        if not row.grounds:
            self.notify("no grounds cited yet (c cites one)", timeout=2)
            return
        self.app.push_screen(GroundsModal(f"Grounds of {row_name(row)}: {row.label}",
                                          [(g.id, ground_text(g)) for g in row.grounds]),
                             self.ground_chosen)

    def ground_chosen(self, action: GroundAction | None) -> None:
        if action is None:
            return
        what, ground_id = action
        found = next(g for g in self.rows[self.goal].grounds if g.id == ground_id)
        if what == "open":
            target = ground_source(self.session.db, found)
            if target is None:
                self.notify(f"{found.label} is not a passage: nothing to open", timeout=3)
            else:
                self.dismiss(target)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(lambda: uncite(self.session.db, self.goal_id, ground_id,
                                           self.session.coder),
                            f"{found.label} taken off the judgement")

        self.app.push_screen(ConfirmModal(f"Take {found.label} off the judgement? It stays "
                                          "in the audit log."), answered)

    def action_close(self) -> None:
        self.dismiss(None)
