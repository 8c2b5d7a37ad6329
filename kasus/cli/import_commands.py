"""The import command: notes from files and folders, and REFI-QDA projects and codebooks."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
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
from kasus.cli.privacy_commands import warn_leftovers
from kasus.cli.terminal import terminal_line
from kasus.corpus.pseudonymise import ImportPseudonymiser, import_filter, leftovers_in
from kasus.errors import KasusError
from kasus.importing.importer import ImportReport, import_paths

if TYPE_CHECKING:
    from kasus.refi.load import RefiImportReport


STATUS_STYLE = {"added": "green", "new version": "cyan", "unchanged": "dim",
                "duplicate": "dim", "failed": "red", "skipped": "yellow"}


@main_group.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--site", help="Site for every file (overrides front matter).")
@click.option("--role", help="Informant role for every file (overrides front matter).")
@click.option("--new-site", is_flag=True,
              help="Add sites the project does not know yet (else they are refused).")
@click.option("--pseudonymise", "pseudonymise_", is_flag=True,
              help="Replace names, phone numbers, e-mail addresses and fødselsnumre before "
                   "the text is stored (see `kasus pseudonymise`).")
@click.option("--names", "names_file", type=click.Path(dir_okay=False, path_type=Path),
              help="With --pseudonymise: a names file to add to the project's list.")
@json_option
@pass_context
def import_(ctx: Context, paths: tuple[Path, ...], site: str | None, role: str | None,
            new_site: bool, pseudonymise_: bool, names_file: Path | None,
            as_json: bool) -> None:
    """Import notes: .txt .md .docx .odt .rtf .pdf files or folders (recursively); or a
    REFI-QDA project (.qdpx) or codebook (.qdc) from NVivo, MAXQDA, ATLAS.ti, QualCoder.

    \b
    Metadata comes from --site/--role, Markdown front matter, a sidecar
    NAME.EXT.yaml, or a metadata.csv (column 'file') in the folder.
    Files over 50 MB are refused; KASUS_MAX_FILE_MB sets another limit.
    Example:
      kasus import corpus/ ; kasus import note.docx --site Karmøy --role nav
      kasus import partner.qdpx ; kasus import codebook.qdc
    """
    db = ctx.db()
    asked = pseudonymise_ or names_file is not None
    exchange = [path for path in paths if path.suffix.lower() in (".qdpx", ".qdc")]
    with import_filter(db, ctx.coder, asked, names_file) as replacer:
        if replacer is not None and any(p.suffix.lower() == ".qdpx" for p in exchange):
            # The positions of another tool's codings count the text as it stands: replacing
            # names in it first would move them all.
            raise KasusError("a REFI-QDA project cannot be imported into a pseudonymised "
                             "project", "import it into a new project, run `kasus pseudonymise` "
                             "there, then `kasus merge` it")
        if exchange:
            _import_refi(ctx, exchange, site, as_json)
            paths = tuple(path for path in paths if path not in exchange)
            if not paths:
                return
        if replacer is not None and not asked:
            console_err.print(Text.assemble(("note: ", "yellow"), (
                f"pseudonymising the new notes, as the rest of {ctx.project}")))
        _import(ctx, paths, site, role, new_site, as_json, replacer)


def _import(ctx: Context, paths: tuple[Path, ...], site: str | None, role: str | None,
            new_site: bool, as_json: bool, replacer: ImportPseudonymiser | None) -> None:
    db = ctx.db()
    report = ImportReport()
    steps = import_paths(db, list(paths), ctx.coder, site, role, new_site, transform=replacer)
    if as_json:
        report.results = [step.result for step in steps]
        print_json([asdict(result) for result in report.results])
    else:
        with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}", markup=False), console=console,
                      transient=True) as progress:
            task = progress.add_task("", total=None)
            for step in steps:
                progress.update(task, total=step.total, completed=step.done,
                                description=terminal_line(Path(step.result.path).name))
                report.results.append(step.result)
        _print_report(report)
    if replacer is not None:
        if not as_json:
            console.print(f"pseudonymised: {replacer.replaced} replacement(s), "
                          f"{len(replacer.key.entities)} name(s) in the list "
                          f"({replacer.new_names} new); key: {replacer.key.path}")
        stored = [r.document_id for r in report.results
                  if r.document_id and r.status in ("added", "new version", "unchanged")]
        warn_leftovers(leftovers_in(db, stored))
    if report.count("failed"):
        raise SystemExit(1)


def _import_refi(ctx: Context, paths: list[Path], site: str | None, as_json: bool) -> None:
    from kasus.refi.load import import_refi

    reports = [import_refi(ctx.db(), path, ctx.coder, site) for path in paths]
    if as_json:
        print_json([asdict(report) for report in reports])
        return
    for report in reports:
        _print_refi_report(report)


def _some(items: list[str], shown: int = 8) -> str:
    """The first few of a long list, and how many more."""
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" and {more} more" if more > 0 else "")


def _print_refi_report(report: RefiImportReport) -> None:
    table = Table(title=f"Import of {_display_path(report.path)}"
                        + (f" (from {report.origin})" if report.origin else ""))
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_column("details", overflow="fold")
    rows = [
        ("documents added", len(report.documents_added), _some(report.documents_added)),
        ("documents already here", report.documents_matched, ""),
        ("sources without text", len(report.sources_without_text),
         _some(report.sources_without_text)),
        ("sites added", len(report.sites_added), _some(report.sites_added)),
        ("sites matched", report.sites_matched, ""),
        ("codes matched by GUID", report.codes_matched, ""),
        ("codes matched by name", len(report.codes_matched_by_name),
         _some(report.codes_matched_by_name)),
        ("codes added", len(report.codes_added),
         (f"under {report.branch}: " if report.branch else "") + _some(report.codes_added)),
        ("codings added", report.codings_added, ""),
        ("codings already here", report.codings_already, ""),
        ("codings placed by their quote", report.codings_moved, ""),
        ("codings placed by position only", report.codings_unchecked,
         "the name stored with them is not text of the note"),
        ("codings orphaned (kept, flagged)", len(report.codings_orphaned),
         _some(report.codings_orphaned, 5)),
        ("empty selections skipped", report.empty_selections, ""),
        ("memos added", report.memos_added, ""),
        ("evidence links added", report.links_added, ""),
    ]
    for what, count, details in rows:
        if count:
            table.add_row(what, str(count), details)
    for what, count in report.unsupported.items():
        table.add_row(Text(f"not imported: {what}", style="yellow"), str(count),
                      "kasus holds text only")
    console.print(table)
    for warning in report.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))


def _print_report(report: ImportReport) -> None:
    table = Table(title="Import")
    for column in ("file", "status", "document", "site", "words", "details"):
        table.add_column(column, overflow="fold")
    for result in report.results:
        details = result.reason
        if result.reanchored is not None:
            r = result.reanchored
            details = (f"codings: {r.kept} kept, {r.moved} moved, {r.fuzzy} fuzzy, "
                       f"{r.orphaned} orphaned" + (f", {r.still_orphaned} still orphaned"
                                                   if r.still_orphaned else ""))
        if result.repairs and result.status in ("added", "new version"):
            details = "; ".join(filter(None, (details, *result.repairs)))
        style = STATUS_STYLE.get(result.status, "")
        table.add_row(terminal_line(_display_path(result.path)),
                      Text(result.status, style=style), result.document_id or "",
                      result.site or "", str(result.words or ""), terminal_line(details))
    console.print(table)
    summary = ", ".join(f"{report.count(s)} {s}" for s in STATUS_STYLE if report.count(s))
    console.print(summary or "nothing to import")


def _display_path(path: str) -> str:
    """The path as the user typed it relative to here, when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return relative if len(relative) < len(path) else path
