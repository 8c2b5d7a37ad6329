"""Merging another coder's project: matched documents, re-anchored codings, nothing twice."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlite_utils import Database

from kasus.coding.codings import apply_coding, list_codings
from kasus.coding.history import undo
from kasus.errors import KasusError
from kasus.importing.importer import run_import
from kasus.project import init_project
from kasus.review.merge import merge_project
from kasus.safety import backup, check_project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOTE = ("---\nsite: Karmøy\nrole: leder\n---\n"
        "Kommunen har samlet rus og psykisk helse. Ventetiden på bolig er lang.\n\n"
        "Brukerrådet møtes hver måned.\n")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def code_quote(db: Database, document_id: str, quote: str, code: str, coder: str,
               memo: str = "") -> None:
    text = db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[0]
    start = text.index(quote)
    apply_coding(db, document_id, start, start + len(quote), code, coder, memo=memo)


@pytest.fixture
def other_project(tmp_path: Path) -> Path:
    """Bjørn's project: the same note edited, a note we lack, a code our codebook lacks."""
    codebook = Path("codebook.yaml").read_text(encoding="utf-8") + (
        "\n  - id: frivillig\n    kind: theme\n    label_nb: Frivillige\n"
        "    label_en: Voluntary sector\n    colour: '#777777'\n")
    write(tmp_path, "cb.yaml", codebook)
    path = tmp_path / "bjorn.db"
    db = init_project(path, "bjorn", codebook_path=tmp_path / "cb.yaml")
    notes = tmp_path / "bjorn-notes"
    write(notes, "k1.md", NOTE.replace("Kommunen har", "Innledning.\n\nKommunen har"))
    write(notes, "k2.md", NOTE.replace("Brukerrådet", "Frivilligsentralen"))
    run_import(db, [notes], "bjorn")
    code_quote(db, "karmoy-k1", "Ventetiden på bolig er lang.", "bolig", "bjorn", memo="NAV?")
    code_quote(db, "karmoy-k1", "Brukerrådet møtes hver måned.", "frivillig", "bjorn")
    code_quote(db, "karmoy-k2", "Frivilligsentralen", "hm4.nettverk", "bjorn")
    db.close()
    return path


@pytest.fixture
def ours(db: Database, tmp_path: Path) -> Database:
    run_import(db, [write(tmp_path / "anna-notes", "k1.md", NOTE)], "anna")
    code_quote(db, "karmoy-k1", "Ventetiden på bolig er lang.", "bolig", "anna")
    return db


def test_merge_places_the_other_coders_codings_on_our_documents(ours: Database,
                                                                other_project: Path) -> None:
    report = merge_project(ours, other_project, "anna")
    assert report.codings_added == 3 and report.coders == ["bjorn"]
    assert report.documents_matched == 1 and report.documents_added == ["karmoy-k2"]
    assert report.codes_added_retired == ["frivillig"]
    assert report.placed.get("moved", 0) + report.placed.get("kept", 0) == 3
    bjorn = {(c.document_id, c.code_id, c.quote, c.origin, c.memo)
             for c in list_codings(ours, coder="bjorn")}
    assert bjorn == {
        ("karmoy-k1", "bolig", "Ventetiden på bolig er lang.", "merged", "NAV?"),
        ("karmoy-k1", "frivillig", "Brukerrådet møtes hver måned.", "merged", ""),
        ("karmoy-k2", "hm4.nettverk", "Frivilligsentralen", "merged", ""),
    }
    assert ours.table("codes").get("frivillig")["status"] == "retired"
    assert check_project(ours) == []
    again = merge_project(ours, other_project, "anna")
    assert again.codings_added == 0 and again.already_there == 3
    assert len(list_codings(ours)) == 4


def test_a_coding_whose_text_is_gone_is_kept_orphaned(ours: Database, tmp_path: Path) -> None:
    path = tmp_path / "cato.db"
    db = init_project(path, "cato")
    run_import(db, [write(tmp_path / "cato-notes", "k1.md",
                          NOTE.replace("Brukerrådet møtes hver måned.", "Noe helt annet."))],
               "cato")
    code_quote(db, "karmoy-k1", "Noe helt annet.", "hm1.system", "cato")
    db.close()
    report = merge_project(ours, path, "anna")
    assert report.placed == {"orphaned": 1} and len(report.orphaned) == 1
    [orphan] = list_codings(ours, coder="cato")
    assert orphan.status == "orphaned" and orphan.quote == "Noe helt annet."


def test_the_other_file_is_only_read_even_when_it_is_older(ours: Database,
                                                          tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "project-v1.db", old)
    before = hashlib.sha256(old.read_bytes()).hexdigest()
    report = merge_project(ours, old, "anna")
    assert hashlib.sha256(old.read_bytes()).hexdigest() == before
    assert report.codings_added == 2 and set(report.coders) == {"ah", "bo"}
    assert "karmoy-01" in report.documents_added


def test_merging_itself_or_a_non_project_is_refused(ours: Database, project_path: Path,
                                                    tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    backup(ours, copy)
    with pytest.raises(KasusError, match="is this project"):
        merge_project(ours, copy, "anna")
    text = write(tmp_path, "x.db", "not sqlite")
    with pytest.raises(KasusError, match="not an SQLite file"):
        merge_project(ours, text, "anna")


def test_undo_takes_a_whole_merge_back(ours: Database, other_project: Path) -> None:
    merge_project(ours, other_project, "anna")
    step = undo(ours, "anna")
    assert step is not None and "3 codings of bjorn.db" in step.done
    assert [c.coder for c in list_codings(ours)] == ["anna"]
