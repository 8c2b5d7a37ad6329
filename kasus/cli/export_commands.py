"""The export command: theme summaries, the code × site matrix and coded segments as files."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kasus.cli.base import Context, console, main_group, pass_context
from kasus.errors import KasusError
from kasus.export.files import check_target, write_output
from kasus.export.summary import theme_summary
from kasus.export.writers import (
    FORMATS,
    codings_rows,
    matrix_rows,
    summary_markdown,
    summary_xlsx,
    table_csv,
    table_xlsx,
)
from kasus.sites import find_site

DEFAULT_FOLDER = Path("exports")


@main_group.command()
@click.argument("kind", type=click.Choice(list(FORMATS)))
@click.option("--format", "fmt", type=click.Choice(["md", "xlsx", "csv"]), required=True,
              help="summary: md or xlsx; matrix and codings: csv or xlsx.")
@click.option("--code", "code_ids", multiple=True, help="A code to summarise (repeatable).")
@click.option("--goal", type=click.IntRange(1, 5), help="Summarise every code a goal counts.")
@click.option("--site", help="Only this site (id or name).")
@click.option("--coder", "coder_filter", help="Only this coder's codings.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (default: exports/KIND.FORMAT).")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@pass_context
def export(ctx: Context, kind: str, fmt: str, code_ids: tuple[str, ...], goal: int | None,
           site: str | None, coder_filter: str | None, out: Path | None, force: bool) -> None:
    """Export for the report: a theme summary, the code × site matrix, or every coding.

    \b
    Example:
      kasus export summary --format md --code bolig --out exports/bolig.md
      kasus export summary --format xlsx --goal 4
      kasus export matrix --format csv
    """
    if fmt not in FORMATS[kind]:
        raise KasusError(f"{kind} exports as {' or '.join(FORMATS[kind])}, not {fmt}")
    db = ctx.db()
    site_id = find_site(db, site) if site else None
    if out is None:
        DEFAULT_FOLDER.mkdir(mode=0o700, exist_ok=True)
        out = DEFAULT_FOLDER / f"{kind}.{fmt}"
    check_target(out, force)
    if kind == "summary":
        summary = theme_summary(db, list(code_ids), goal, site_id, coder_filter)
        if fmt == "md":
            text = summary_markdown(summary)
            write_output(out, force, lambda path: _write_text(path, text))
        else:
            write_output(out, force, lambda path: summary_xlsx(summary, path))
    else:
        header, rows = (matrix_rows(db, site_id, coder_filter) if kind == "matrix" else
                        codings_rows(db, site_id, coder_filter, code_ids[0] if code_ids else None))
        if fmt == "csv":
            write_output(out, force, lambda path: table_csv(header, rows, path))
        else:
            write_output(out, force, lambda path: table_xlsx(kind, header, rows, path))
    console.print(f"wrote {os.path.relpath(out)}")


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
