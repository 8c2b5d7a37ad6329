"""One entry to every export, for the CLI and the TUI's export dialog alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from kasus.corpus.redact import redact_rows, redact_summary
from kasus.errors import KasusError
from kasus.export.docx import summary_docx
from kasus.export.files import check_target, write_output, write_text
from kasus.export.html import summary_html
from kasus.export.summary import site_profile, theme_summary
from kasus.export.synthesis import export_synthesis
from kasus.export.writers import (
    FORMATS,
    codings_rows,
    matrix_rows,
    summary_markdown,
    summary_xlsx,
    table_csv,
    table_xlsx,
)
from kasus.refi.export import REFI_KINDS, export_refi

DEFAULT_FOLDER = Path("exports")


def default_path(kind: str, fmt: str, folder: Path = DEFAULT_FOLDER) -> Path:
    """exports/KIND.FORMAT, the folder made owner-only when it is new."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / f"{kind}.{fmt}"


def run_export(db: Database, kind: str, fmt: str, out: Path, force: bool = False,
               code_ids: list[str] | None = None, goal: int | None = None,
               site_id: str | None = None, coder: str | None = None,
               with_passages: bool = False, round_: int | None = None,
               with_summaries: bool = False,
               redact: Callable[[str], str] | None = None) -> Path:
    """Write one export; the path is checked before any work, and written whole or not.
    redact (kasus.corpus.redact) replaces names and identifiers in the text written out."""
    if kind not in FORMATS:
        raise KasusError(f"export {kind!r} is not one of {', '.join(FORMATS)}")
    if fmt not in FORMATS[kind]:
        raise KasusError(f"{kind} exports as {' or '.join(FORMATS[kind])}, not {fmt}")
    check_target(out, force)
    if kind in REFI_KINDS:
        return Path(export_refi(db, kind, out, force).path)
    # The framework matrix (sites × chosen columns, with summaries) and the goal table.
    if kind == "goals" or (kind == "matrix" and (with_summaries or fmt in ("md", "docx"))):
        return export_synthesis(db, kind, fmt, out, force, code_ids, goal, with_summaries)
    if kind in ("summary", "site"):
        if kind == "site" and site_id is None:
            raise KasusError("a site profile needs --site S")
        summary = (site_profile(db, site_id, coder, round_) if kind == "site" and site_id
                   else theme_summary(db, code_ids, goal, site_id, coder, round_))
        if redact is not None:
            summary = redact_summary(summary, redact)
        if fmt in ("md", "html"):
            text = summary_markdown(summary) if fmt == "md" else summary_html(summary)
            return write_output(out, force, lambda path: write_text(path, text))
        if fmt == "docx":
            return write_output(out, force, lambda path: summary_docx(summary, path))
        return write_output(out, force, lambda path: summary_xlsx(summary, path))
    header, rows = (matrix_rows(db, site_id, coder, with_passages, round_) if kind == "matrix"
                    else codings_rows(db, site_id, coder, code_ids[0] if code_ids else None,
                                      round_))
    if redact is not None:
        rows = redact_rows(rows, redact)
    if fmt == "csv":
        return write_output(out, force, lambda path: table_csv(header, rows, path))
    return write_output(out, force, lambda path: table_xlsx(kind, header, rows, path))

