"""The import on two worker processes stores what the import stored before it (segments, index
rows, lemmas, word forms, search results), survives a killed worker and stops on Ctrl-C."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from kasus import documents as kasus_documents
from kasus.demo import CORPUS
from kasus.documents import SegmentedText
from kasus.importing.importer import import_paths
from kasus.project import init_project
from kasus.search import search_page
from kasus.word_forms import store_forms
from tests.core import import_reference
from tests.core.test_crash_safety import (
    assert_sound,
    count,
    environment,
    kasus,
    kill_when,
    run_kasus,
    write_lock_held,
    write_notes,
)

TABLES = {
    "segments": 'SELECT id, document_id, version, kind, ordinal, start, "end" FROM segments '
                "ORDER BY id",
    "index": "SELECT rowid, text, lemmas FROM segments_fts ORDER BY rowid",
    "word_forms": "SELECT id, form, readings, headword FROM word_forms ORDER BY id",
    "sentence_ranges": "SELECT * FROM sentence_ranges ORDER BY document_id",
    "documents": "SELECT id, identity, site_id, role, date, round, title, content_hash, "
                 "word_count, version FROM documents ORDER BY id",
}
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("og", {}), ("bolig", {}), ("bolig*", {}), ("*bolig*", {}), ('"housing first"', {}),
    ("bolig", {"lemma": True}), ("bruker", {"lemma": True}), ("tjenester", {"lemma": True}),
    ("og", {"site": "karmoy"}), ("bolig", {"lemma": True, "site": "oslo"}),
]


def tables(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {name: db.execute(sql).fetchall() for name, sql in TABLES.items()}


def searches(db: Database) -> list[list[tuple[Any, ...]]]:
    pages = []
    for query, options in QUERIES:
        page = search_page(db, query, limit=500, **options)
        pages.append([(page.total,)] + [(hit.document_id, hit.start, hit.end, hit.matches)
                                         for hit in page.hits])
    return pages


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The demo corpus imported in this process, storing with the import as it was before it
    ran on two cores (tests/core/import_reference.py)."""
    def old_store_segments(db: Database, document_id: str, version: int,
                           prepared: SegmentedText) -> int:
        import_reference.store_segments(db, document_id, version, prepared.text)
        store_forms(db, import_reference.forms_of(prepared.text))
        return 0

    db = init_project(tmp_path_factory.mktemp("reference") / "old.db", "tester")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kasus_documents, "store_segments", old_store_segments)
        results = [step.result for step in import_paths(db, [CORPUS], "tester", workers=0)]
    assert [r.status for r in results].count("added") >= 24
    return db


def test_two_workers_store_what_the_import_stored_before(reference: Database,
                                                         tmp_path: Path) -> None:
    db = init_project(tmp_path / "new.db", "tester")
    results = [step.result for step in import_paths(db, [CORPUS], "tester", workers=2)]
    assert [r.status for r in results].count("added") >= 24
    new, old = tables(db), tables(reference)
    for name in TABLES:
        assert new[name] == old[name], name
    assert all(row[-1] == 1 for row in new["sentence_ranges"])  # search's fast path holds
    for document_id, text, words in db.execute("SELECT id, text, word_count FROM documents"):
        assert words == len(re.findall(r"\w+", text)), document_id
    assert searches(db) == searches(reference)
    # The word counts reported are the stored ones.
    assert sorted(r.words for r in results if r.status == "added") == sorted(
        row[-2] for row in new["documents"])


def test_in_process_import_stores_what_the_import_stored_before(reference: Database,
                                                                tmp_path: Path) -> None:
    db = init_project(tmp_path / "new.db", "tester")
    list(import_paths(db, [CORPUS], "tester", workers=0))
    assert tables(db) == tables(reference)


def test_a_killed_worker_costs_no_file(tmp_path: Path) -> None:
    notes = write_notes(tmp_path / "notes", 150)
    db = init_project(tmp_path / "study.db", "tester")
    steps = import_paths(db, [notes], "tester", workers=2)
    results = [next(steps).result]  # the first batch is committed, most files are still to read
    workers = multiprocessing.active_children()
    assert workers
    for worker in workers:
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
    results += [step.result for step in steps]
    assert [r.status for r in results] == ["added"] * 150
    expected = init_project(tmp_path / "expected.db", "tester")
    list(import_paths(expected, [notes], "tester", workers=0))
    assert tables(db) == tables(expected)


def test_a_word_form_first_sent_with_a_note_that_fails_is_stored_all_the_same(
        tmp_path: Path) -> None:
    # File i goes to worker i mod 2, which sends each word form once: with note 2, which
    # fails (no site), and not again with note 4.
    notes = tmp_path / "notes"
    notes.mkdir()
    for number in range(8):
        front = "" if number == 2 else "---\nsite: Karmøy\nrole: leder\n---\n"
        word = " Fjordbussen går sjelden." if number in (2, 4) else ""
        (notes / f"note-{number}.md").write_text(
            f"{front}Notat {number} om bolig og oppfølging.{word}\n", encoding="utf-8")
    in_workers = init_project(tmp_path / "workers.db", "tester")
    statuses = [step.result.status
                for step in import_paths(in_workers, [notes], "tester", workers=2)]
    assert statuses.count("failed") == 1 and statuses.count("added") == 7
    in_process = init_project(tmp_path / "process.db", "tester")
    list(import_paths(in_process, [notes], "tester", workers=0))
    forms = "SELECT form FROM word_forms"
    assert {row[0] for row in in_process.execute(forms)} <= {
        row[0] for row in in_workers.execute(forms)}
    for db in (in_workers, in_process):
        page = search_page(db, "fjordbussen", lemma=True)
        assert [hit.document_id for hit in page.hits] == [
            row[0] for row in db.execute("SELECT id FROM documents WHERE text LIKE '%Fjord%'")]
        assert page.total == 1


NOTES = 200  # 600,000 words: well past the size at which the import starts workers


@pytest.fixture(scope="module")
def big_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.synthetic import long_note

    folder = tmp_path_factory.mktemp("big") / "notes"
    folder.mkdir()
    for number in range(NOTES):
        (folder / f"syn-{number:03}.md").write_text(
            "---\nsite: Karmøy\nrole: leder\n---\n" + long_note(3000, seed=number),
            encoding="utf-8")
    return folder


def assert_resumes(path: Path, folder: Path, stored: int) -> None:
    """A rerun adds exactly the notes not stored, each whole and in search's fast path."""
    assert_sound(path)
    rerun = run_kasus("--project", str(path), "import", str(folder), "--json")
    assert rerun.returncode == 0, rerun.stderr
    statuses = [result["status"] for result in json.loads(rerun.stdout)]
    assert statuses.count("unchanged") == stored and statuses.count("added") == NOTES - stored
    assert count(path, "SELECT count(*) FROM sentence_ranges WHERE ordered = 1") == NOTES
    assert_sound(path)


def test_an_import_on_workers_killed_mid_batch_resumes_per_file(big_notes: Path,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    init_project(path, actor="tester").close()
    process = kasus("--project", str(path), "import", str(big_notes), "--json")
    kill_when(process, lambda: count(path, "SELECT count(*) FROM documents") >= 20
              and write_lock_held(path), "20 notes were stored")
    stored = count(path, "SELECT count(*) FROM documents")
    assert 20 <= stored < NOTES
    assert count(path, "SELECT count(*) FROM audit_log WHERE action = 'document.import'") == stored
    assert_resumes(path, big_notes, stored)


def test_ctrl_c_stops_an_import_keeping_what_it_stored(big_notes: Path, tmp_path: Path) -> None:
    folder = big_notes
    path = tmp_path / "study.db"
    init_project(path, actor="tester").close()
    # Its own process group, as a terminal's foreground job: Ctrl-C reaches the workers too.
    process = subprocess.Popen([sys.executable, "-m", "kasus", "--project", str(path), "import",
                                str(folder)], env=environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    while count(path, "SELECT count(*) FROM documents") < 20:
        assert process.poll() is None, process.communicate()
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr  # neither from kasus nor from a worker
    assert_sound(path)
    stored = count(path, "SELECT count(*) FROM documents")
    assert 20 <= stored < NOTES
    assert_resumes(path, folder, stored)
