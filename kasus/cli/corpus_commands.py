"""Corpus commands: import, show, search."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from kasus.cli.base import Context, console, json_option, main_group, pass_context, print_json
from kasus.cli.terminal import terminal_line
from kasus.coding.codings import list_codings
from kasus.documents import document_metadata, get_document, segments_of
from kasus.importing.importer import ImportReport, import_paths
from kasus.model import Coding
from kasus.search import search as run_search

STATUS_STYLE = {"added": "green", "new version": "cyan", "unchanged": "dim",
                "duplicate": "dim", "failed": "red", "skipped": "yellow"}


@main_group.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--site", help="Site for every file (overrides front matter).")
@click.option("--role", help="Informant role for every file (overrides front matter).")
@click.option("--new-site", is_flag=True,
              help="Add sites the project does not know yet (else they are refused).")
@json_option
@pass_context
def import_(ctx: Context, paths: tuple[Path, ...], site: str | None, role: str | None,
            new_site: bool, as_json: bool) -> None:
    """Import notes: .txt .md .docx .odt .rtf .pdf files or folders (recursively).

    \b
    Metadata comes from --site/--role, Markdown front matter, a sidecar
    NAME.EXT.yaml, or a metadata.csv (column 'file') in the folder.
    Files over 50 MB are refused; KASUS_MAX_FILE_MB sets another limit.
    Example:
      kasus import corpus/ ; kasus import note.docx --site Karmøy --role nav
    """
    db = ctx.db()
    report = ImportReport()
    steps = import_paths(db, list(paths), ctx.coder, site, role, new_site)
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
    if report.count("failed"):
        raise SystemExit(1)


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


@main_group.command()
@click.argument("document_id")
@json_option
@pass_context
def show(ctx: Context, document_id: str, as_json: bool) -> None:
    """A document: metadata, text, segments and codings."""
    db = ctx.db()
    document = get_document(db, document_id)
    codings = list_codings(db, document_id=document_id)
    orphans = [c for c in codings if c.status == "orphaned"]
    if as_json:
        segments = segments_of(db, document_id)
        print_json({
            **asdict(document),
            "metadata": document_metadata(db, document_id),
            "segments": [{"kind": s.kind, "start": s.start, "end": s.end} for s in segments],
            "codings": [asdict(c) for c in codings],
        })
        return
    console.print(Text.assemble((document.title, "bold"),
                                f"  ({document.id}, version {document.version})"))
    console.print(f"site {document.site_id} · role {document.role or '–'} · "
                  f"date {document.date or '–'} · interviewer {document.interviewer or '–'} · "
                  f"{document.word_count} words · {len(codings)} codings")
    console.print(_highlighted(document.text, codings))
    for orphan in orphans:
        console.print(Text.assemble((f"orphaned coding {orphan.id}", "yellow"),
                                    f" ({orphan.code_id}): «{orphan.quote[:80]}»"))


def _highlighted(text: str, codings: list[Coding]) -> Text:
    rendered = Text(text)
    for coding in codings:
        if coding.status != "orphaned":
            rendered.stylize("underline", coding.start, coding.end)
    return rendered


@main_group.command()
@click.argument("query")
@click.option("--lemma", is_flag=True,
              help="Match inflected forms, bokmål and nynorsk (bolig finds boliger, "
                   "bruker brukerne, teneste tenestene).")
@click.option("--site", help="Only this site (id or name).")
@click.option("--role", help="Only this informant role.")
@click.option("--code", help="Only sentences inside codings of this code (or its sub-codes).")
@click.option("--round", "round_", type=int, help="Only notes of this round (visit year).")
@click.option("--limit", default=200, show_default=True, help="At most this many hits.")
@json_option
@pass_context
def search(ctx: Context, query: str, lemma: bool, site: str | None, role: str | None,
           code: str | None, round_: int | None, limit: int, as_json: bool) -> None:
    """Search sentences: words, "a phrase", prefix*, *infix*; case-insensitive, æøå distinct.

    \b
    *infix* finds the word inside compounds too (utleieboliger, personalbolig).
    Example:
      kasus search bolig --lemma --site Karmøy
      kasus search '"housing first"'
      kasus search '*bolig*'
    """
    hits = run_search(ctx.db(), query, lemma=lemma, site=site, role=role, code=code,
                      limit=limit, round_=round_)
    if as_json:
        print_json([asdict(hit) for hit in hits])
        return
    table = Table(title=f"{len(hits)} hit(s) for {query!r}" + (" (lemma)" if lemma else ""))
    for column in ("site", "document", "at", "sentence"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        sentence = Text(hit.snippet)
        for start, end in hit.matches:
            sentence.stylize("bold reverse", start - hit.start, end - hit.start)
        table.add_row(hit.site, hit.document_id, str(hit.start), sentence)
    console.print(table)
