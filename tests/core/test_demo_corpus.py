"""The demo corpus: marked fictional, names no informant, covers six sites in several formats."""

from __future__ import annotations

import yaml

from kasus.demo import CORPUS
from kasus.importing.formats import extract

MARK = "FIKTIVT DEMOMATERIALE"
NOTE_SUFFIXES = {".md", ".docx", ".odt"}


def notes() -> list:  # type: ignore[type-arg]
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in NOTE_SUFFIXES)


def test_every_note_is_marked_fictional() -> None:
    for path in notes():
        assert MARK in extract(path).text, path


def test_six_sites_with_at_least_four_notes_each() -> None:
    folders = {path.parent.name for path in notes()}
    assert folders == {"oslo", "sagene", "trondheim", "horten", "karmoy", "tromso"}
    for folder in folders:
        assert len([p for p in notes() if p.parent.name == folder]) >= 4
    assert {p.suffix for p in notes()} == NOTE_SUFFIXES


def test_sites_file_has_attributes() -> None:
    sites = yaml.safe_load((CORPUS / "sites.yaml").read_text(encoding="utf-8"))["sites"]
    assert len(sites) == 6
    for site in sites:
        assert site["kind"] and site["population"] > 0 and site["county"] and site["region"]
