"""Import: the demo corpus, identities and versions, and bad files reported without stopping."""

from __future__ import annotations

import shutil
from pathlib import Path

from docx import Document
from sqlite_utils import Database

from kasus.demo import CORPUS
from kasus.documents import get_document, list_documents
from kasus.importing.importer import run_import
from kasus.project import project_stats

NOTE = """---
id: test-01
site: Karmøy
role: NAV
date: 2019-10-16
interviewer: TR
round: 2019
---
Ventetiden på kommunale boliger er lang, sier veilederen.

Brukerne med ROP-lidelser venter lengst.
"""


def test_demo_corpus_imports_with_sites_and_roles(db: Database) -> None:
    report = run_import(db, [CORPUS], "tester")
    assert report.count("failed") == 0 and report.count("added") >= 24
    documents = list_documents(db)
    sites = {doc["site"] for doc in documents}
    assert sites == {"Oslo kommune", "Bydel Sagene", "Trondheim", "Horten", "Karmøy", "Tromsø"}
    for doc in documents:
        assert doc["role"] and doc["date"] and doc["round"] == 2019, doc["id"]
        assert 800 <= doc["word_count"] <= 2500, doc["id"]
    suffixes = {Path(result.path).suffix for result in report.results}
    assert {".md", ".docx", ".odt"} <= suffixes
    stats = project_stats(db)
    # The sites visited in other rounds, and the national and regional levels, hold no demo note.
    assert all(site["documents"] >= 4 for site in stats.sites if site["documents"])
    assert sum(1 for site in stats.sites if site["documents"]) == 6
    again = run_import(db, [CORPUS], "tester")
    assert again.count("added") == 0 and again.count("unchanged") == report.count("added")
    assert project_stats(db).documents == stats.documents


def test_changed_note_becomes_a_new_version(db: Database, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text(NOTE, encoding="utf-8")
    first = run_import(db, [note], "tester").results[0]
    assert first.status == "added" and first.document_id == "test-01"
    assert get_document(db, "test-01").role == "NAV"  # kept as written
    note.write_text(NOTE.replace("lang", "svært lang"), encoding="utf-8")
    second = run_import(db, [note], "tester").results[0]
    assert second.status == "new version"
    document = get_document(db, "test-01")
    assert document.version == 2 and "svært lang" in document.text
    assert db.table("document_versions").count_where("document_id = 'test-01'") == 2


def test_same_text_under_another_name_adds_nothing(db: Database, tmp_path: Path) -> None:
    note = tmp_path / "a.txt"
    note.write_text("Boligsosialt arbeid i Horten.", encoding="utf-8")
    copy = tmp_path / "b.txt"
    shutil.copy(note, copy)
    report = run_import(db, [note, copy], "tester", site="Horten")
    assert [r.status for r in report.results] == ["added", "duplicate"]


def test_bad_files_are_named_and_the_good_ones_import(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "innboks"
    folder.mkdir()
    (folder / "bilde.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "tom.txt").write_bytes(b"")
    (folder / "gammel.txt").write_bytes(
        "Økonomien i kommunen er stram, og ventetiden på bolig er lang.".encode("cp1252"))
    good = Document()
    good.add_paragraph("Dette er et helt referat.")
    good.save(str(folder / "ok.docx"))
    truncated = folder / "avkuttet.docx"
    truncated.write_bytes((folder / "ok.docx").read_bytes()[:900])
    (folder / "ok.docx").unlink()
    report = run_import(db, [folder], "tester", site="Tromsø", role="leder")
    by_name = {Path(r.path).name: r for r in report.results}
    assert by_name["gammel.txt"].status == "added"
    text = get_document(db, str(by_name["gammel.txt"].document_id)).text
    assert "Økonomien" in text and "på bolig" in text
    assert by_name["bilde.txt"].status == "failed" and "binary" in by_name["bilde.txt"].reason
    assert by_name["tom.txt"].status == "failed" and "empty" in by_name["tom.txt"].reason
    assert by_name["avkuttet.docx"].status == "failed"
    assert ".docx" in by_name["avkuttet.docx"].reason


def test_missing_site_is_a_per_file_failure(db: Database, tmp_path: Path) -> None:
    note = tmp_path / "uten-sted.txt"
    note.write_text("Et notat uten sted.", encoding="utf-8")
    result = run_import(db, [note], "tester").results[0]
    assert result.status == "failed" and "no site" in result.reason


def test_sidecar_and_metadata_csv(db: Database, tmp_path: Path) -> None:
    tmp_path = tmp_path / "notater"
    tmp_path.mkdir()
    (tmp_path / "a.txt").write_text("Første notat om LAR.", encoding="utf-8")
    (tmp_path / "a.txt.yaml").write_text("site: Horten\nrole: leder\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Andre notat om FACT.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,site,role,date\nb.txt,Tromsø,nav,2019-09-24\n",
                                           encoding="utf-8")
    report = run_import(db, [tmp_path], "tester")
    assert [r.status for r in report.results] == ["added", "added"]
    docs = {d["title"]: d for d in list_documents(db)}
    assert docs["a"]["site_id"] == "horten" and docs["a"]["role"] == "leder"
    assert docs["b"]["site_id"] == "tromso" and docs["b"]["date"] == "2019-09-24"


def test_the_same_id_in_two_sites_is_two_documents(db: Database, tmp_path: Path) -> None:
    for folder, site in (("h", "Horten"), ("k", "Karmøy")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "leder.md").write_text(
            f"---\nid: leder\nsite: {site}\n---\nEt notat fra {site} om bolig.\n",
            encoding="utf-8")
    first = run_import(db, [tmp_path / "h"], "tester").results[0]
    second = run_import(db, [tmp_path / "k"], "tester").results[0]
    assert (first.status, second.status) == ("added", "added")
    assert first.document_id != second.document_id
    assert "Horten" in get_document(db, str(first.document_id)).text
