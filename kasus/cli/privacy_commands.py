"""Privacy commands: pseudonymise stored notes, and the warnings shared with import."""

from __future__ import annotations

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
from kasus.corpus.leftovers import Leftover
from kasus.corpus.pseudonymise import PseudonymiseReport, pseudonymise_documents

SHOWN_LEFTOVERS = 20


def warn_leftovers(leftovers: list[Leftover]) -> None:
    """One warning naming the likely names left, most frequent first, with where each is."""
    if not leftovers:
        return
    shown = ", ".join(f"{item.word} ({item.document_id} line {item.line}"
                      + (f", {item.count}×)" if item.count > 1 else ")")
                      for item in leftovers[:SHOWN_LEFTOVERS])
    more = len(leftovers) - SHOWN_LEFTOVERS
    console_err.print(Text.assemble(
        ("warning: ", "yellow"), f"likely names left: {shown}"
        + (f" and {more} more" if more > 0 else "")
        + "; add the real ones to the names file and run `kasus pseudonymise --names FILE`"),
        soft_wrap=True)


@main_group.command()
@click.argument("document_ids", nargs=-1)
@click.option("--names", "names_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Names file (YAML or CSV: name, kind person|place, aliases) to add to the "
                   "project's list.")
@click.option("--dry-run", is_flag=True, help="Show what would be replaced; change nothing.")
@json_option
@pass_context
def pseudonymise(ctx: Context, document_ids: tuple[str, ...], names_file: Path | None,
                 dry_run: bool, as_json: bool) -> None:
    """Replace names, phone numbers, e-mail addresses and fødselsnumre in stored notes with
    stable placeholders ([PERSON-3], [TLF-1]); codings stay anchored.

    \b
    Every note when no DOC is given. The key (placeholder -> original) is kept in
    PROJECT.key/ beside the project, owner-only, never in the project or an export.
    Example:
      kasus pseudonymise --names names.yaml --dry-run
      kasus pseudonymise karmoy-01 --names names.csv
    """
    report = pseudonymise_documents(ctx.db(), ctx.coder, document_ids, names_file, dry_run)
    if as_json:
        print_json(asdict(report))
    else:
        _print_report(report)
    warn_leftovers(report.leftovers)


def _print_report(report: PseudonymiseReport) -> None:
    if report.dry_run:
        table = Table(title="Would replace (dry run: nothing changed)")
        for column in ("document", "line", "original → placeholder"):
            table.add_column(column, overflow="fold")
        for change in report.changes:
            table.add_row(change.document_id, str(change.line),
                          f"{' '.join(change.original.split())} → {change.placeholder}")
        console.print(table)
    else:
        table = Table(title="Pseudonymised")
        for column in ("document", "replaced", "codings moved", "memos", "version"):
            table.add_column(column)
        for result in report.documents:
            if result.replacements or result.memos:
                table.add_row(result.document_id, str(result.replacements), str(result.codings),
                              str(result.memos), str(result.version or "–"))
        console.print(table)
    touched = sum(1 for result in report.documents if result.replacements)
    memos = sum(result.memos for result in report.documents)
    console.print(f"{len(report.changes)} replacement(s) in {touched} of "
                  f"{len(report.documents)} document(s), {memos} memo(s); "
                  f"{report.names} name(s) in the list "
                  f"({report.new_names} new); key: {report.key_path}")
    if not report.names:
        console_err.print(Text.assemble(
            ("note: ", "yellow"), "no names list yet: only phone numbers, e-mail addresses and "
            "fødselsnumre were looked for; pass --names FILE"))
