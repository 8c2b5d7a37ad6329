"""Coding commands: code, codings, memo, uncode, undo, redo, backup, check."""

from __future__ import annotations

import csv
import sys
from dataclasses import asdict
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from kasus.cli.base import (
    Context,
    console,
    console_err,
    json_option,
    main_group,
    pass_context,
    print_json,
)
from kasus.codebook.codes import code_families
from kasus.coding import codings as codings_core
from kasus.coding import history
from kasus.coding.batch import apply_batch
from kasus.documents import list_documents
from kasus.model import Coding
from kasus.safety import backup as backup_project
from kasus.safety import check_project
from kasus.sites import find_site


@main_group.command()
@click.argument("document_id", required=False)
@click.argument("start", type=int, required=False)
@click.argument("end", type=int, required=False)
@click.argument("code_id", required=False)
@click.option("--memo", default="", help="A memo on the coding.")
@click.option("--batch", "batch_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Code from a CSV or JSONL file (document, start/end or quote, code, "
                   "coder, memo).")
@click.option("--skip-bad", is_flag=True, help="With --batch: store the good rows, list the bad.")
@json_option
@pass_context
def code(ctx: Context, document_id: str | None, start: int | None, end: int | None,
         code_id: str | None, memo: str, batch_file: Path | None, skip_bad: bool,
         as_json: bool) -> None:
    """Apply CODE to characters START..END of a document (END exclusive), or code a file.

    \b
    Example:
      kasus code karmoy-01 120 260 rop.samtidig --memo "rus og psykisk helse samlet"
      kasus code --batch codings.jsonl
    """
    if batch_file is not None:
        _code_batch(ctx, batch_file, skip_bad, as_json)
        return
    if document_id is None or start is None or end is None or code_id is None:
        raise click.UsageError("give DOCUMENT START END CODE, or --batch FILE")
    coding = codings_core.apply_coding(ctx.db(), document_id, start, end, code_id, ctx.coder,
                                       memo=memo)
    if as_json:
        print_json(asdict(coding))
    else:
        console.print(f"coding {coding.id}: {coding.code_id} on {document_id} "
                      f"{start}–{end} «{_short(coding.quote)}» (coder {coding.coder})")


def _code_batch(ctx: Context, path: Path, skip_bad: bool, as_json: bool) -> None:
    report = apply_batch(ctx.db(), path, ctx.coder, skip_bad=skip_bad)
    if as_json:
        print_json(asdict(report))
        return
    for line in report.bad:
        console_err.print(Text.assemble(("skipped: ", "yellow"), line))
    console.print(f"{path}: {len(report.added)} coding(s) added, {report.already_there} "
                  f"already there, {len(report.bad)} bad row(s) skipped; coders: "
                  f"{', '.join(report.coders) or 'none'}")


def _short(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


CSV_FIELDS = ("id", "document_id", "site", "role", "round", "date", "code_id", "goal", "theme",
              "start", "end", "coder", "origin", "status", "anchor_score", "memo", "quote")


@main_group.command()
@click.option("--code", "code_id", help="Only this code (and its sub-codes).")
@click.option("--site", help="Only this site (id or name).")
@click.option("--document", "document_id", help="Only this document.")
@click.option("--coder", "coder_filter", help="Only this coder's codings.")
@click.option("--role", help="Only documents with this informant role.")
@click.option("--round", "round_", type=int, help="Only documents of this round (visit year).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with site, role, round and goal.")
@json_option
@pass_context
def codings(ctx: Context, code_id: str | None, site: str | None, document_id: str | None,
            coder_filter: str | None, role: str | None, round_: int | None, as_csv: bool,
            as_json: bool) -> None:
    """List codings, filtered by code, site, document, coder, role or round."""
    db = ctx.db()
    site_id = find_site(db, site) if site else None
    rows = codings_core.list_codings(db, document_id=document_id, code_id=code_id,
                                     site_id=site_id, coder=coder_filter, with_descendants=True,
                                     round_=round_, role=role)
    if as_json:
        print_json([asdict(row) for row in rows])
    elif as_csv:
        documents = {d["id"]: d for d in list_documents(db)}
        families = code_families(db)
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            document = documents.get(row.document_id, {})
            goal, theme = families.get(row.code_id, (None, None))
            writer.writerow({**asdict(row), "site": document.get("site"),
                             "role": document.get("role"), "round": document.get("round"),
                             "date": document.get("date"), "goal": goal, "theme": theme})
    else:
        _print_codings(rows)


def _print_codings(rows: list[Coding]) -> None:
    table = Table(title=f"{len(rows)} coding(s)")
    for column in ("id", "document", "span", "code", "coder", "status", "quote"):
        table.add_column(column, overflow="fold")
    for row in rows:
        status = row.status if row.anchor_score is None else f"{row.status} {row.anchor_score:g}"
        table.add_row(str(row.id), row.document_id, f"{row.start}–{row.end}", row.code_id,
                      row.coder, status, _short(row.quote))
    console.print(table)


FORCE = click.option("--force", is_flag=True, help="Change another coder's coding too.")


@main_group.command()
@click.argument("coding_id", type=int)
@click.argument("text")
@FORCE
@json_option
@pass_context
def memo(ctx: Context, coding_id: int, text: str, force: bool, as_json: bool) -> None:
    """Set the memo of a coding (an empty TEXT clears it)."""
    coding = codings_core.set_memo(ctx.db(), coding_id, text, ctx.coder, force=force)
    if as_json:
        print_json(asdict(coding))
    else:
        console.print(f"memo of coding {coding_id} saved")


@main_group.command()
@click.argument("coding_id", type=int)
@FORCE
@json_option
@pass_context
def uncode(ctx: Context, coding_id: int, force: bool, as_json: bool) -> None:
    """Remove a coding (kept in the history; `kasus undo` brings it back)."""
    coding = codings_core.remove_coding(ctx.db(), coding_id, ctx.coder, force=force)
    if as_json:
        print_json(asdict(coding))
    else:
        console.print(f"removed coding {coding_id}: {codings_core.describe(coding)}")


@main_group.command()
@click.argument("coding_id", type=int)
@click.argument("code_id")
@FORCE
@json_option
@pass_context
def recode(ctx: Context, coding_id: int, code_id: str, force: bool, as_json: bool) -> None:
    """Give a coding another code, keeping its span and memo."""
    coding = codings_core.recode(ctx.db(), coding_id, code_id, ctx.coder, force=force)
    if as_json:
        print_json(asdict(coding))
    else:
        console.print(f"coding {coding_id} is now {code_id}")


def _undo_redo(ctx: Context, forward: bool, as_json: bool) -> None:
    step = (history.redo if forward else history.undo)(ctx.db(), ctx.coder)
    verb = "redid" if forward else "undid"
    if as_json:
        print_json(None if step is None else asdict(step))
    elif step is None:
        console.print(f"nothing to {'redo' if forward else 'undo'} for {ctx.coder}")
    else:
        console.print(f"{verb} {step.action}: {step.done}")


@main_group.command()
@json_option
@pass_context
def undo(ctx: Context, as_json: bool) -> None:
    """Undo your most recent coding change (works across restarts)."""
    _undo_redo(ctx, forward=False, as_json=as_json)


@main_group.command()
@json_option
@pass_context
def redo(ctx: Context, as_json: bool) -> None:
    """Redo the coding change you undid last."""
    _undo_redo(ctx, forward=True, as_json=as_json)


@main_group.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def backup(ctx: Context, out: Path) -> None:
    """Copy the project to OUT with SQLite's online backup (safe while others write)."""
    pages = backup_project(ctx.db(), out)
    console.print(f"backed up {ctx.project} to {out} ({pages} pages)")


@main_group.command()
@json_option
@pass_context
def check(ctx: Context, as_json: bool) -> None:
    """Check integrity: SQLite, foreign keys, spans and quotes; exit 1 on findings."""
    findings = check_project(ctx.db())
    if as_json:
        print_json(findings)
    elif findings:
        for finding in findings:
            console.print(Text.assemble(("problem: ", "red"), finding))
    else:
        console.print("project is sound")
    if findings:
        raise SystemExit(1)
