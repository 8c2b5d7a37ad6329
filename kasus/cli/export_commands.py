"""The export command: theme summaries, the code × site matrix and coded segments as files."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.text import Text

from kasus.cli.base import Context, console, main_group, pass_context
from kasus.corpus.redact import check_redactable, export_redactor, refuse_key_folder
from kasus.errors import KasusError
from kasus.export.run import default_path, run_export
from kasus.export.writers import FORMATS
from kasus.refi.export import REFI_KINDS, export_refi
from kasus.sites import find_site


@main_group.command()
@click.argument("kind", type=click.Choice(list(FORMATS)))
@click.option("--format", "fmt",
              type=click.Choice(["md", "html", "docx", "xlsx", "csv", "qdpx", "qdc"]),
              help="summary: md, html, docx or xlsx; matrix: csv, xlsx, md or docx; codings: "
                   "csv or xlsx; goals: md, docx or xlsx; qdpx and codebook (qdc) need none.")
@click.option("--code", "code_ids", multiple=True, help="A code to summarise (repeatable).")
@click.option("--goal", type=click.IntRange(1, 5), help="Summarise every code a goal counts.")
@click.option("--site", help="Only this site (id or name).")
@click.option("--coder", "coder_filter", help="Only this coder's codings.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (default: exports/KIND.FORMAT).")
@click.option("--round", "round_", type=int, help="Only notes of this round (visit year).")
@click.option("--with-passages", is_flag=True, help="matrix: the quotes in the cells too.")
@click.option("--with-summaries", is_flag=True,
              help="matrix: the framework matrix (sites × the saved columns, or --code/--goal) "
                   "with each cell's summary.")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@click.option("--redact", is_flag=True,
              help="Replace names (the project's names list), phone numbers, e-mail addresses "
                   "and fødselsnumre in the text written out.")
@click.option("--names", "names_file", type=click.Path(dir_okay=False, path_type=Path),
              help="With --redact: a names file to add to the project's list.")
@pass_context
def export(ctx: Context, kind: str, fmt: str | None, code_ids: tuple[str, ...], goal: int | None,
           site: str | None, coder_filter: str | None, out: Path | None, round_: int | None,
           with_passages: bool, with_summaries: bool, force: bool, redact: bool,
           names_file: Path | None) -> None:
    """Export for the report: a theme summary, a site profile, the code × site matrix, every
    coding, or the goal-attainment table with its grounds; or for other QDA tools: the
    project as REFI-QDA (.qdpx) or the codebook (.qdc).

    \b
    Example:
      kasus export summary --format md --code bolig --out exports/bolig.md
      kasus export summary --format xlsx --goal 4
      kasus export site --site Karmøy --format docx
      kasus export matrix --format csv
      kasus export matrix --with-summaries --format docx
      kasus export goals --format xlsx
      kasus export qdpx --out exports/prosjekt.qdpx
      kasus export codebook --format qdc --out exports/kodebok.qdc
    """
    if fmt is None:
        if len(FORMATS[kind]) > 1:
            raise KasusError(f"{kind} exports as {' or '.join(FORMATS[kind])}: give --format")
        fmt = FORMATS[kind][0]
    db = ctx.db()
    target = out or default_path(kind, fmt)
    refuse_key_folder(ctx.project, target)
    if kind in REFI_KINDS:
        if fmt not in FORMATS[kind]:
            raise KasusError(f"{kind} exports as {FORMATS[kind][0]}, not {fmt}")
        if kind == "qdpx" and (redact or names_file):
            # The positions of every coding count the notes as stored: a redacted copy of
            # the text would no longer match them.
            raise KasusError("a .qdpx cannot be redacted",
                             "run `kasus pseudonymise` on a copy of the project and export that")
        report = export_refi(db, kind, target, force)
        counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
        console.print(f"wrote {os.path.relpath(report.path)}: {counts}")
        for line in report.not_carried:
            console.print(Text(f"not in the file: {line}", style="yellow"))
        return
    site_id = find_site(db, site) if site else None
    if redact or names_file:
        check_redactable(db, ctx.project)
        with export_redactor(ctx.project, names_file) as redactor:
            written = run_export(db, kind, fmt, target, force, list(code_ids), goal, site_id,
                                 coder_filter, with_passages, round_, with_summaries,
                                 redactor)
    else:
        written = run_export(db, kind, fmt, target, force, list(code_ids), goal, site_id,
                             coder_filter, with_passages, round_, with_summaries)
    console.print(f"wrote {os.path.relpath(written)}")
