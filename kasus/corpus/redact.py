"""Redacting exports: the project's names list and patterns applied to the text written out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.corpus.keyfile import key_folder, load_key, locked_key
from kasus.corpus.names import load_names
from kasus.corpus.pseudonymise import require_key
from kasus.corpus.replacing import Pseudonymiser
from kasus.errors import KasusError
from kasus.export.summary import ThemeSummary

Redact = Callable[[str], str]


@contextmanager
def export_redactor(project: str | Path, names_file: str | Path | None = None) -> Iterator[Redact]:
    """The text filter of a redacted export; identifiers first seen in it get their
    placeholder in the key, so every export names the same number alike."""
    names = load_names(names_file) if names_file else []
    with locked_key(project) as key:
        key.add_names(names)
        yield Pseudonymiser(key).text


def check_redactable(db: Database, project: str | Path) -> None:
    """Refuse a redacted export of a pseudonymised project whose key is missing, whose new
    placeholders would clash with those in the notes."""
    require_key(db, load_key(project))


def refuse_key_folder(project: str | Path, out: Path) -> None:
    """An export is never written into the key folder, which is never shared."""
    folder = key_folder(project)
    if out.resolve().is_relative_to(folder):
        raise KasusError(f"{out}: inside the pseudonym key folder {folder}",
                         "write exports somewhere else; the key folder is never shared")


def redact_summary(summary: ThemeSummary, redact: Redact) -> ThemeSummary:
    """A summary whose passages and memos have their names and identifiers replaced."""
    codes = [replace(code, passages=[replace(p, quote=redact(p.quote), memo=redact(p.memo))
                                     for p in code.passages])
             for code in summary.codes]
    return replace(summary, codes=codes)


def redact_rows(rows: list[list[Any]], redact: Redact) -> list[list[Any]]:
    """Table rows with every text cell redacted."""
    return [[redact(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]
