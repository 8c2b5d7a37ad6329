"""Evidence commands: indicators with their trends, evidence links, and the goal overview."""

from __future__ import annotations

import csv
import sys
from dataclasses import asdict
from typing import Any

import click
from rich.table import Table
from rich.text import Text
from sqlite_utils import Database

from kasus.cli.base import Context, console, json_option, main_group, pass_context, print_json
from kasus.evidence import indicators as indicators_core
from kasus.evidence.goals import coverage, goal_overview
from kasus.evidence.links import STANCES, link_coding, list_links, unlink
from kasus.evidence.trends import Trend
from kasus.model import EvidenceLink, Indicator
from kasus.sites import find_site

WIDE_TABLE = 120
VERDICT_STYLE = {"improving": "green", "worsening": "red", "stable": "", "rising": "cyan",
                 "falling": "cyan", "too little data": "dim"}


def trend_json(trend: Trend) -> dict[str, Any]:
    """The verdict with the years and values it rests on, for --json."""
    return {**asdict(trend), "years": trend.years}


def _values_by_year(indicator: Indicator) -> dict[str, str]:
    years: dict[str, str] = {}
    for value in indicator.values:
        if value.kind == "level" and str(value.year) not in years:
            number = "" if value.value is None else f"{value.value:g}"
            # The qualifier (om lag, over, nær …) is shown in full by `kasus indicators ID`.
            years[str(value.year)] = f"{number}*" if value.qualifier else number
    return years


def verdict_text(trend: Trend, years: bool = True) -> Text:
    """'improving 2016–2020', coloured by whether that is good."""
    text = Text(trend.verdict, style=VERDICT_STYLE.get(trend.verdict, ""))
    if trend.years and years:
        text.append(f" {trend.years}", style="dim")
    return text


def _link_json(link: EvidenceLink) -> dict[str, Any]:
    return {**asdict(link), "flagged": link.coding_status != "anchored"}


@main_group.command()
@click.argument("indicator_id", required=False, type=int)
@click.option("--goal", type=click.IntRange(1, 5), help="The overview of one main goal (1–5).")
@click.option("--unlinked", is_flag=True,
              help="Indicators no code links to, and codes with no indicator.")
@json_option
@pass_context
def indicators(ctx: Context, indicator_id: int | None, goal: int | None, unlinked: bool,
               as_json: bool) -> None:
    """The indicators with values and trend verdicts; one indicator with its evidence; or a
    goal's overview.

    \b
    Example:
      kasus indicators 77 --json
      kasus indicators --goal 4
    """
    db = ctx.db()
    if unlinked:
        _print_coverage(db, as_json)
    elif goal is not None:
        _print_goal(db, goal, as_json)
    elif indicator_id is not None:
        _show_indicator(db, indicator_id, as_json)
    else:
        _list_indicators(db, as_json)


def _list_indicators(db: Database, as_json: bool) -> None:
    rows = indicators_core.list_indicators(db)
    if as_json:
        print_json([{**asdict(row), "trend": trend_json(indicators_core.trend(row)),
                     "values_by_year": {str(v.year): v.value for v in row.values
                                        if v.origin == "status2019"}} for row in rows])
        return
    # The name is what identifies an indicator to a reader: it wraps at word boundaries at
    # any width, and below WIDE_TABLE the area, type and source columns give way to it.
    wide = console.width >= WIDE_TABLE
    table = Table(title="Indicators (status report 2016–2018, end of period 2019/2020)",
                  caption=None if wide else "area, type and source: kasus indicators ID")
    table.add_column("id", justify="right", no_wrap=True, min_width=2)
    table.add_column("indicator", min_width=18, overflow="fold")
    if wide:
        for column in ("area", "type", "source"):
            table.add_column(column, min_width=8, overflow="fold")
    for column in ("2016", "2017", "2018", "2019/20"):
        table.add_column(column, justify="right", no_wrap=True, min_width=4)
    table.add_column("trend", min_width=8)
    for row in rows:
        years = _values_by_year(row)
        end = years.get("2020") or years.get("2019") or ""
        described = [row.area, row.type, row.source] if wide else []
        table.add_row(str(row.id), row.name_nb, *described, years.get("2016", ""),
                      years.get("2017", ""), years.get("2018", ""), end,
                      verdict_text(indicators_core.trend(row), years=wide))
    console.print(table)
    console.print(Text("* stated with a qualifier (om lag, over, nær …): see kasus indicators "
                       "ID. The verdict takes the direction that is better into account.",
                       style="dim"))


def _show_indicator(db: Database, indicator_id: int, as_json: bool) -> None:
    indicator = indicators_core.get_indicator(db, indicator_id)
    codes = indicators_core.linked_codes(db, indicator_id)
    trend = indicators_core.trend(indicator)
    evidence = list_links(db, indicator_id=indicator_id)
    if as_json:
        print_json({**asdict(indicator), "trend": trend_json(trend), "linked_codes": codes,
                    "evidence": [_link_json(link) for link in evidence]})
        return
    console.print(Text.assemble((str(indicator.id), "bold"), f" {indicator.name_nb}"))
    console.print(f"area {indicator.area} · type {indicator.type or '–'} · "
                  f"source {indicator.source} · unit {indicator.unit} · better: "
                  f"{ {'up': 'higher', 'down': 'lower'}.get(indicator.desired, 'no direction') }")
    table = Table()
    for column in ("year", "value", "qualifier", "kind", "origin"):
        table.add_column(column, no_wrap=True)
    table.add_column("note", overflow="fold")
    for value in indicator.values:
        table.add_row(str(value.year), "" if value.value is None else f"{value.value:g}",
                      value.qualifier, value.kind, value.origin, value.note)
    console.print(table)
    _print_trend(trend)
    if indicator.note:
        console.print(Text(f"note: {indicator.note}", style="dim"))
    console.print("linked codes: " + (", ".join(codes) or "none"))
    _print_evidence(evidence)


def _print_trend(trend: Trend) -> None:
    line = Text("trend: ").append_text(verdict_text(trend))
    if trend.change is not None:
        line.append(f" ({trend.first_value:g} → {trend.last_value:g}, {trend.change:+g} "
                    f"{trend.change_unit}; {trend.threshold})", style="dim")
    console.print(line)
    for later in trend.continuation:
        shown = "" if later.value is None else f"{later.qualifier} {later.value:g}".strip()
        status = "continues the series" if later.continues else later.why_not
        console.print(Text(f"  {later.year}: {shown or '–'} ({later.kind}) — {status}",
                           style="yellow" if later.why_not.startswith("brudd") else ""))
    for conflict in trend.conflicts:
        console.print(Text(f"  conflicting values {conflict}", style="red"))
    if trend.running_total is not None and trend.target:
        console.print(f"  running total {trend.running_total:g} of {trend.target:g} mill. NOK "
                      f"({trend.running_total / trend.target:.0%} of the plan's target)")
    for year, met in trend.golden_rule:
        console.print(f"  den gylne regel {year}: {'met' if met else 'not met'}")


def _print_evidence(evidence: list[EvidenceLink]) -> None:
    if not evidence:
        console.print(Text("no linked evidence yet (kasus link CODING INDICATOR --stance S)",
                           style="dim"))
        return
    table = Table(title=f"{len(evidence)} linked passage(s)")
    for column in ("link", "site", "document", "stance", "coder", "quote", "note"):
        table.add_column(column, overflow="fold")
    for link in evidence:
        flag = "" if link.coding_status == "anchored" else f" ({link.coding_status})"
        table.add_row(str(link.id), link.site_id, link.document_id, link.stance + flag,
                      link.coder, " ".join(link.quote.split()), link.note)
    console.print(table)


@main_group.command()
@click.argument("coding_id", type=int)
@click.argument("indicator_id", type=int)
@click.option("--stance", type=click.Choice(STANCES), required=True,
              help="What the passage does to the indicator's trend.")
@click.option("--note", default="", help="Why: a sentence for the report writer.")
@json_option
@pass_context
def link(ctx: Context, coding_id: int, indicator_id: int, stance: str, note: str,
         as_json: bool) -> None:
    """Link a coding to an indicator it supports, contradicts, nuances or explains.

    \b
    Example:
      kasus link 12 77 --stance explains --note "ventelister på kommunal bolig"
    """
    made = link_coding(ctx.db(), coding_id, indicator_id, stance, ctx.coder, note)
    if as_json:
        print_json(_link_json(made))
    else:
        console.print(f"link {made.id}: coding {coding_id} {stance} indicator {indicator_id}")


@main_group.command(name="unlink")
@click.argument("link_id", type=int)
@json_option
@pass_context
def unlink_(ctx: Context, link_id: int, as_json: bool) -> None:
    """Remove an evidence link (`kasus undo` brings it back)."""
    removed = unlink(ctx.db(), link_id, ctx.coder)
    if as_json:
        print_json(_link_json(removed))
    else:
        console.print(f"removed link {link_id} (coding {removed.coding_id} {removed.stance} "
                      f"indicator {removed.indicator_id})")


LINK_CSV = ("id", "indicator_id", "stance", "note", "coder", "coding_id", "site_id",
            "document_id", "role", "code_id", "start", "end", "coding_status", "quote",
            "created_at")


@main_group.command()
@click.option("--indicator", "indicator_id", type=int, help="Only links to this indicator.")
@click.option("--code", "code_id", help="Only codings of this code (and its sub-codes).")
@click.option("--site", help="Only this site (id or name).")
@click.option("--stance", type=click.Choice(STANCES), help="Only this stance.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@json_option
@pass_context
def links(ctx: Context, indicator_id: int | None, code_id: str | None, site: str | None,
          stance: str | None, as_csv: bool, as_json: bool) -> None:
    """Evidence links: which passages support, contradict, nuance or explain which indicator."""
    db = ctx.db()
    found = list_links(db, indicator_id, code_id, find_site(db, site) if site else None, stance)
    if as_json:
        print_json([_link_json(one) for one in found])
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=LINK_CSV, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(asdict(one) for one in found)
    else:
        _print_evidence(found)


def _print_goal(db: Database, goal: int, as_json: bool) -> None:
    overview = goal_overview(db, goal)
    if as_json:
        print_json(asdict(overview))
        return
    console.print(Text(f"Goal {goal}: {overview.label}", style="bold"))
    verdicts = ", ".join(f"{n} {v}" for v, n in overview.verdicts.items()) or "no indicators"
    console.print(f"indicators: {verdicts}")
    table = Table()
    for column in ("id", "indicator", "trend"):
        table.add_column(column, overflow="fold")
    for row in overview.indicators:
        table.add_row(str(row.id), row.name, Text(f"{row.verdict} {row.years}".strip(),
                                                  style=VERDICT_STYLE.get(row.verdict, "")))
    console.print(table)
    sites = Table(title="Evidence by site")
    for column in ("site", "codings", *STANCES):
        sites.add_column(column, justify="left" if column == "site" else "right")
    for site in overview.sites:
        sites.add_row(site.site_id, str(site.codings), *(str(site.stances.get(s, 0))
                                                         for s in STANCES))
    console.print(sites)
    for flag in overview.flags:
        console.print(Text.assemble(("disagreement: ", "bold red"), flag))


def _print_coverage(db: Database, as_json: bool) -> None:
    found = coverage(db)
    if as_json:
        print_json(asdict(found))
        return
    console.print(Text("Indicators no code links to:", style="bold"))
    for indicator_id, name in found.unlinked_indicators:
        console.print(f"  {indicator_id}  {name}")
    console.print(Text("Codes that link no indicator:", style="bold"))
    console.print("  " + (", ".join(found.codes_without_indicators) or "none"))
