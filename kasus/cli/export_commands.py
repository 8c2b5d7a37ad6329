"""The export command: theme summaries, the code × site matrix and coded segments as files."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kasus.cli.base import Context, console, main_group, pass_context
from kasus.corpus.redact import check_redactable, export_redactor, refuse_key_folder
from kasus.export.run import default_path, run_export
from kasus.export.writers import FORMATS
from kasus.sites import find_site


@main_group.command()
@click.argument("kind", type=click.Choice(list(FORMATS)))
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx", "xlsx", "csv"]),
              required=True, help="summary: md, html, docx or xlsx; matrix and codings: csv "
                                  "or xlsx.")
@click.option("--code", "code_ids", multiple=True, help="A code to summarise (repeatable).")
@click.option("--goal", type=click.IntRange(1, 5), help="Summarise every code a goal counts.")
@click.option("--site", help="Only this site (id or name).")
@click.option("--coder", "coder_filter", help="Only this coder's codings.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (default: exports/KIND.FORMAT).")
@click.option("--round", "round_", type=int, help="Only notes of this round (visit year).")
@click.option("--with-passages", is_flag=True, help="matrix: the quotes in the cells too.")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@click.option("--redact", is_flag=True,
              help="Replace names (the project's names list), phone numbers, e-mail addresses "
                   "and fødselsnumre in the text written out.")
@click.option("--names", "names_file", type=click.Path(dir_okay=False, path_type=Path),
              help="With --redact: a names file to add to the project's list.")
@pass_context
def export(ctx: Context, kind: str, fmt: str, code_ids: tuple[str, ...], goal: int | None,
           site: str | None, coder_filter: str | None, out: Path | None, round_: int | None,
           with_passages: bool, force: bool, redact: bool, names_file: Path | None) -> None:
    """Export for the report: a theme summary, a site profile, the code × site matrix, or
    every coding.

    \b
    Example:
      kasus export summary --format md --code bolig --out exports/bolig.md
      kasus export summary --format xlsx --goal 4
      kasus export site --site Karmøy --format docx
      kasus export matrix --format csv
    """
    db = ctx.db()
    site_id = find_site(db, site) if site else None
    target = out or default_path(kind, fmt)
    refuse_key_folder(ctx.project, target)
    if redact or names_file:
        check_redactable(db, ctx.project)
        with export_redactor(ctx.project, names_file) as redactor:
            written = run_export(db, kind, fmt, target, force, list(code_ids), goal, site_id,
                                 coder_filter, with_passages, round_, redactor)
    else:
        written = run_export(db, kind, fmt, target, force, list(code_ids), goal, site_id,
                             coder_filter, with_passages, round_)
    console.print(f"wrote {os.path.relpath(written)}")
