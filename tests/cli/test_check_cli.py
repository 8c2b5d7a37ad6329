"""`kasus check` names every inconsistency planted by raw SQL, with its id, and exits 1."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kasus.coding.codings import apply_coding
from kasus.documents import segments_of
from kasus.evidence.links import link_coding
from kasus.importing.importer import run_import
from kasus.store import open_project
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
NOTE = ("---\nsite: Karmøy\nrole: leder\n---\nKommunen har for få boliger til brukerne. "
        "Ventelisten er lang.\n\nROP-teamet samarbeider godt med DPS. Det gir trygghet.\n")
OTHER = "---\nsite: Horten\nrole: nav\n---\nNAV følger opp arbeid og aktivitet.\n"


@dataclass(frozen=True)
class Planted:
    """The ids in the project that plantings refer to."""

    path: Path
    coding: int
    other_coding: int
    link: int
    sentence: int
    document: str
    other_document: str


@pytest.fixture
def planted(project_path: Path, tmp_path: Path) -> Planted:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "k.md").write_text(NOTE, encoding="utf-8")
    (notes / "h.md").write_text(OTHER, encoding="utf-8")
    db = open_project(project_path)
    report = run_import(db, [notes], "tester")
    documents = {Path(r.path).name: str(r.document_id) for r in report.results}
    document, other = documents["k.md"], documents["h.md"]
    first, second = segments_of(db, document, "sentence")[:2]
    coding = apply_coding(db, document, first.start, first.end, "bolig", "tester")
    other_coding = apply_coding(db, document, second.start, second.end, "rop", "tester")
    link = link_coding(db, coding.id, 77, "supports", "tester")
    db.close()
    return Planted(project_path, coding.id, other_coding.id, link.id, first_sentence_id(
        project_path, document), document, other)


def first_sentence_id(path: Path, document: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT min(id) FROM segments WHERE document_id = ? "
                                "AND kind = 'sentence'", [document]).fetchone()[0])
    finally:
        conn.close()


def plant(path: Path, sql: str) -> None:
    # Foreign keys off, as a broken tool or a bad restore would write.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.executescript(sql)
    conn.commit()
    conn.close()


PLANTINGS = {
    "span outside the text": (
        'UPDATE codings SET "end" = 99999 WHERE id = {coding}',
        "coding {coding} in {document}: span"),
    "quote no longer matches": (
        "UPDATE codings SET quote = 'noe helt annet' WHERE id = {coding}",
        "coding {coding} in {document}: quote differs from the text"),
    "coding of a missing code": (
        "UPDATE codings SET code_id = 'finnes.ikke' WHERE id = {other_coding}",
        "coding {other_coding} in {document}: code 'finnes.ikke' does not exist"),
    "coding of a missing document": (
        "UPDATE codings SET document_id = 'borte' WHERE id = {other_coding}",
        "coding {other_coding}: document 'borte' does not exist"),
    "coding left on an earlier version": (
        "UPDATE codings SET document_version = 3 WHERE id = {other_coding}",
        "coding {other_coding} in {document}: placed on version 3, the document is at "
        "version 1"),
    "dangling evidence link": (
        "UPDATE evidence_links SET coding_id = 4242 WHERE id = {link}",
        "evidence link {link}: coding 4242 does not exist"),
    "link to a missing indicator": (
        "UPDATE evidence_links SET indicator_id = 999 WHERE id = {link}",
        "evidence link {link}: indicator 999 does not exist"),
    "segment outside its document": (
        'UPDATE segments SET "end" = 100000 WHERE id = {sentence}',
        "segment {sentence} of {document} (version 1): ends at 100000, beyond the text"),
    "segment of a missing document": (
        "UPDATE segments SET document_id = 'borte' WHERE id = {sentence}",
        "segment {sentence}: document 'borte' does not exist"),
    "half-imported document": (
        "DELETE FROM segments_fts WHERE rowid IN (SELECT id FROM segments WHERE "
        "document_id = '{other_document}'); DELETE FROM segments WHERE "
        "document_id = '{other_document}'",
        "document {other_document}: no segments for version 1"),
    "text changed behind its hash": (
        "UPDATE documents SET text = text || ' ' WHERE id = '{other_document}'",
        "document {other_document}: text differs from its content hash"),
    "sentence missing from the search index": (
        "DELETE FROM segments_fts WHERE rowid = {sentence}",
        "segment {sentence} of {document}: not in the search index"),
    "search index row pointing nowhere": (
        "INSERT INTO segments_fts (rowid, text, lemmas) VALUES (77777, 'spøkelse', 'spøkelse')",
        "search index row 77777: points to no sentence"),
    "audit entry pointing nowhere": (
        "INSERT INTO audit_log (at, actor, action, entity, entity_id) "
        "VALUES ('2026-01-01', 'x', 'coding.apply', 'coding', '4343')",
        "coding 4343 does not exist"),
    "version missing from the history": (
        "DELETE FROM document_versions WHERE document_id = '{other_document}'",
        "document {other_document}: version 1 is not in its history"),
}


def test_a_sound_project_passes(planted: Planted, cli: Cli) -> None:
    result = cli("--project", str(planted.path), "check")
    assert result.code == 0 and "project is sound" in result.out


@pytest.mark.parametrize("name", list(PLANTINGS))
def test_check_names_each_planted_inconsistency(planted: Planted, cli: Cli, name: str) -> None:
    sql, expected = PLANTINGS[name]
    plant(planted.path, sql.format(**vars(planted)))
    result = cli("--project", str(planted.path), "check", "--json")
    assert result.code == 1
    findings = json.loads(result.out)
    wanted = expected.format(**vars(planted))
    assert any(wanted in finding for finding in findings), findings
    human = cli("--project", str(planted.path), "check")
    assert human.code == 1 and wanted in human.out


def test_every_planting_at_once_is_reported_line_by_line(planted: Planted, cli: Cli) -> None:
    # Left out: those that move another planting's row out of sight (a coding's span and
    # quote are one finding; a row moved to a missing document is not checked further).
    together = [name for name in PLANTINGS if name not in (
        "span outside the text", "coding of a missing document", "segment of a missing document")]
    for name in together:
        plant(planted.path, PLANTINGS[name][0].format(**vars(planted)))
    findings = json.loads(cli("--project", str(planted.path), "check", "--json").out)
    for name in together:
        wanted = PLANTINGS[name][1].format(**vars(planted))
        assert any(wanted in finding for finding in findings), (name, findings)
