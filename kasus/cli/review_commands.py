"""Review commands: agreement between coders, merging another coder's project, review
decisions and the review report."""

from __future__ import annotations

import csv
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from kasus.cli.base import (
    Context,
    F,
    console,
    json_option,
    main_group,
    pass_context,
    print_json,
)
from kasus.review.agreement import AgreementReport, CodeAgreement, Statistic, compute_agreement
from kasus.review.decisions import (
    VERDICTS,
    Disagreement,
    decide,
    find_disagreement,
    list_disagreements,
    open_session,
    progress,
)
from kasus.review.merge import merge_project
from kasus.review.report import REPORT_FORMATS, format_statistic, write_review_report
from kasus.review.units import UNIT_KINDS, parse_coders
from kasus.sites import find_site

STATISTICS = ("percent_agreement", "cohen_kappa", "krippendorff_alpha", "prevalence",
              "segment_overlap")


def statistic_json(statistic: Statistic) -> dict[str, Any]:
    """{"value": x}, or {"value": null, "undefined": reason}."""
    if statistic.value is None:
        return {"value": None, "undefined": statistic.reason}
    return {"value": statistic.value}


def _code_json(code: CodeAgreement) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": code.code_id, "units": code.units, "table": code.table,
        "units_by_coders_applying": list(code.applied_by_count), "codings": code.codings,
    }
    data.update({name: statistic_json(getattr(code, name)) for name in STATISTICS})
    if code.pairwise_kappa:
        data["pairwise_kappa"] = {pair: statistic_json(s)
                                  for pair, s in code.pairwise_kappa.items()}
    return data


def agreement_json(report: AgreementReport) -> dict[str, Any]:
    """The whole report for --json."""
    return {
        "coders": list(report.coders), "unit": report.unit, "threshold": report.threshold,
        "overlap": report.overlap, "site": report.site_id,
        "codes": [_code_json(code) for code in report.codes],
        "overall": _code_json(report.overall),
    }


CSV_COLUMNS = ("code", "units", "both", "only_a", "only_b", "neither", *STATISTICS)


def _csv_row(code: CodeAgreement) -> dict[str, Any]:
    row: dict[str, Any] = {"code": code.code_id, "units": code.units, **(code.table or {})}
    for name in STATISTICS:
        statistic = getattr(code, name)
        row[name] = "" if statistic.value is None else f"{statistic.value:.6f}"
    return row


@main_group.command()
@click.option("--coders", "coders_text", required=True, help="Two or more coders: anna,bjorn.")
@click.option("--unit", type=click.Choice(UNIT_KINDS), default="paragraph", show_default=True,
              help="The units coders are compared on.")
@click.option("--code", "code_id", help="Only this code and its sub-codes.")
@click.option("--site", help="Only this site (id or name).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Share of a unit a coder's codings must cover to count (0: any overlap).")
@click.option("--overlap", type=click.FloatRange(0, 1, min_open=True), default=0.5,
              show_default=True, help="Segment agreement: overlap share that matches codings.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, a row per code.")
@json_option
@pass_context
def agreement(ctx: Context, coders_text: str, unit: str, code_id: str | None,
              site: str | None, threshold: float, overlap: float, as_csv: bool,
              as_json: bool) -> None:
    """Agreement between coders per code: percent, Cohen's kappa, Krippendorff's alpha.

    \b
    Example:
      kasus agreement --coders demo-a,demo-b --unit paragraph
      kasus agreement --coders anna,bjorn --code bolig --json
    """
    db = ctx.db()
    site_id = find_site(db, site) if site else None
    report = compute_agreement(db, parse_coders(coders_text), unit, threshold, code_id,
                               site_id, overlap)
    if as_json:
        print_json(agreement_json(report))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(_csv_row(code) for code in [*report.codes, report.overall])
    else:
        _print_agreement(report)


def _print_agreement(report: AgreementReport) -> None:
    two = len(report.coders) == 2
    names = " and ".join(f"{letter} = {coder}" for letter, coder in zip("AB", report.coders,
                                                                       strict=False))
    table = Table(title=f"Agreement of {', '.join(report.coders)} on {report.unit} units "
                        f"(threshold {report.threshold:g})",
                  caption=f"{names}; kappa undefined: see --json for the reason" if two else
                  "kappa is for two coders (see --json for each pair)")
    columns = ["code", "units", "both", "only A", "only B"] if two else ["code", "units"]
    for column in [*columns, "agree", "kappa", "alpha", "prev", "overlap"]:
        table.add_column(column, justify="left" if column == "code" else "right",
                         no_wrap=True)
    for code in [*report.codes, report.overall]:
        cells = [code.code_id, str(code.units)]
        if two and code.table is not None:
            cells += [str(code.table["both"]), str(code.table["only_a"]),
                      str(code.table["only_b"])]
        cells += [format_statistic(code.percent_agreement, True),
                  format_statistic(code.cohen_kappa), format_statistic(code.krippendorff_alpha),
                  format_statistic(code.prevalence, True),
                  format_statistic(code.segment_overlap, True)]
        if code is report.overall:
            table.add_section()
        table.add_row(*cells)
    console.print(table)
    console.print(Text("agree: units both coded or both left; prev: share of judgements that "
                       "applied the code; overlap: codings matched by the other coder's "
                       f"(≥ {report.overlap:.0%} overlap).", style="dim"))


@main_group.command()
@click.argument("other", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@pass_context
def merge(ctx: Context, other: Path, as_json: bool) -> None:
    """Bring in another coder's codings from their project file (which is only read).

    \b
    Documents are matched by identity and content; codings on a changed note are
    re-anchored, and one that cannot be placed is kept as orphaned. Merging the
    same file again adds nothing; `kasus undo` takes a merge back.
    Example:
      kasus merge bjorn.db
    """
    report = merge_project(ctx.db(), other, ctx.coder)
    if as_json:
        print_json(asdict(report))
        return
    placed = ", ".join(f"{count} {outcome}" for outcome, count in sorted(report.placed.items()))
    console.print(f"merged {other}: {report.codings_added} coding(s) added "
                  f"({placed or 'none'}), {report.already_there} already here; coders: "
                  f"{', '.join(report.coders) or 'none'}")
    if report.documents_added:
        console.print(f"documents added (not in this project before): "
                      f"{', '.join(report.documents_added)}")
    if report.codes_added_retired:
        console.print(Text.assemble(("codes added as retired ", "yellow"),
                                    "(not in this codebook; add them to codebook.yaml to code "
                                    f"with them): {', '.join(report.codes_added_retired)}"))
    for line in report.orphaned:
        console.print(Text.assemble(("orphaned: ", "red"), line))


def _session_options(func: F) -> F:
    for option in reversed((
        click.option("--coders", "coders_text", required=True,
                     help="The coders under review: anna,bjorn."),
        click.option("--unit", type=click.Choice(UNIT_KINDS), default="paragraph",
                     show_default=True, help="The units disagreements are found on."),
        click.option("--threshold", type=click.FloatRange(0, 1), default=0.5,
                     show_default=True, help="Share of a unit a coding must cover to count."),
    )):
        func = option(func)
    return func


@main_group.group()
def review() -> None:
    """Peer review: the coders' disagreements, decided one by one with a comment.

    \b
    Example:
      kasus review list --coders demo-a,demo-b --open
      kasus review decide karmoy-01:12:rop.team accept --coders demo-a,demo-b \\
          --comment "teamet er et ROP-team"
      kasus review report --coders demo-a,demo-b --format xlsx --out review.xlsx
    """


def _disagreement_json(d: Disagreement) -> dict[str, Any]:
    return {
        "key": d.key, "document": d.unit.document_id, "version": d.unit.version,
        "unit": d.unit.kind, "ordinal": d.unit.ordinal, "start": d.unit.start,
        "end": d.unit.end, "site": d.unit.site_id, "code": d.code_id,
        "applied_by": list(d.applied_by), "not_applied_by": list(d.not_applied_by),
        "codings": [asdict(s) for s in d.codings],
        "decision": None if d.decision is None else asdict(d.decision),
    }


@review.command(name="list")
@_session_options
@click.option("--code", "code_id", help="Only this code and its sub-codes.")
@click.option("--site", help="Only this site (id or name).")
@click.option("--open", "only_open", is_flag=True, help="Only the undecided ones.")
@json_option
@pass_context
def review_list(ctx: Context, coders_text: str, unit: str, threshold: float,
                code_id: str | None, site: str | None, only_open: bool, as_json: bool) -> None:
    """The disagreements of a review session, with their decisions."""
    db = ctx.db()
    session = open_session(db, parse_coders(coders_text), unit, threshold, ctx.coder)
    found = list_disagreements(db, session, code_id, find_site(db, site) if site else None)
    done = progress(found)
    listed = [d for d in found if not (only_open and d.decision)]
    if as_json:
        print_json({"session": session.id, "decided": done.decided, "total": done.total,
                    "disagreements": [_disagreement_json(d) for d in listed]})
        return
    table = Table(title=f"Review {session.id}: {done.decided}/{done.total} decided")
    for column in ("key", "applied by", "not by", "decision", "comment"):
        table.add_column(column, no_wrap=column != "comment")
    for d in listed:
        verdict = "" if d.decision is None else d.decision.verdict + (
            f" → {d.decision.new_code_id}" if d.decision.new_code_id else "")
        table.add_row(d.key, ", ".join(d.applied_by), ", ".join(d.not_applied_by), verdict,
                      "" if d.decision is None else d.decision.comment)
    console.print(table)


@review.command(name="decide")
@click.argument("key")
@click.argument("verdict", type=click.Choice(VERDICTS))
@click.option("--comment", required=True, help="Why: kept in the audit trail.")
@click.option("--code", "new_code_id", help="With recode: the code that applies instead.")
@_session_options
@json_option
@pass_context
def review_decide(ctx: Context, key: str, verdict: str, comment: str,
                  new_code_id: str | None, coders_text: str, unit: str, threshold: float,
                  as_json: bool) -> None:
    """Decide one disagreement (KEY from `kasus review list`): accept, reject or recode."""
    db = ctx.db()
    session = open_session(db, parse_coders(coders_text), unit, threshold, ctx.coder)
    disagreement = find_disagreement(db, session, key)
    decision = decide(db, session, disagreement, verdict, comment, ctx.coder, new_code_id)
    if as_json:
        print_json({"key": key, **asdict(decision)})
        return
    made = "" if decision.consensus_coding_id is None else \
        f"; consensus coding {decision.consensus_coding_id}"
    console.print(f"{key}: {verdict}{made} (reviewer {ctx.coder})")


@review.command(name="report")
@_session_options
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), required=True,
              help="Markdown or Excel.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@pass_context
def review_report(ctx: Context, coders_text: str, unit: str, threshold: float, fmt: str,
                  out: Path, force: bool) -> None:
    """The review report: agreement per code and site, and every decision with its comment."""
    db = ctx.db()
    session = open_session(db, parse_coders(coders_text), unit, threshold, ctx.coder)
    written = write_review_report(db, session, fmt, out, force=force)
    console.print(f"wrote {written}")
