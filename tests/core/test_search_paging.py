"""Search pages, totals and the word-form table: the same hits as the search before issue 22."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import astuple
from pathlib import Path

import pytest
from sqlite_utils import Database

import kasus.search
from kasus import search_order
from kasus.coding.codings import apply_coding
from kasus.demo import CORPUS
from kasus.errors import KasusError
from kasus.importing.importer import run_import
from kasus.nlp import lemmas
from kasus.project import init_project
from kasus.search import search, search_page
from kasus.store import open_project, transaction
from kasus.word_forms import WORD, Lexicon, forms_of, store_forms
from tests.core import search_reference

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
QUERIES = ["og", "bolig", "bolig*", "*bolig*", '"housing first"', "pakkeforl*", "bruker",
           "tjenester og", '"ansatt i"', "samarbeid*", "karmøy", "*tjenest*"]
FILTERS: list[dict[str, object]] = [{}, {"site": "Karmøy"}, {"round_": 2019},
                                    {"role": "nav"}, {"code": "bolig"}]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo corpus with a few codings of 'bolig' and its sub-codes, built once."""
    db = init_project(tmp_path_factory.mktemp("demo") / "demo.db", "tester")
    run_import(db, [CORPUS], "tester")
    hits = search_reference.search(db, "bolig", lemma=True, limit=16)
    # Codings that start with a sentence, inside one, and in the space before one.
    for hit, shift in zip(hits[::3], (0, 5, -1, 0, 7, -1), strict=False):
        apply_coding(db, hit.document_id, hit.start + shift, hit.end + 40, "bolig", "tester")
    yield db
    db.close()


def _plain(hits: Sequence[object]) -> list[tuple[object, ...]]:
    return [astuple(hit) for hit in hits]  # type: ignore[call-overload]


def old(db: Database, query: str, **options: object) -> list[tuple[object, ...]]:
    """What the search before issue 22 returned."""
    return _plain(search_reference.search(db, query, **options))  # type: ignore[arg-type]


def new(db: Database, query: str, **options: object) -> list[tuple[object, ...]]:
    return _plain(search(db, query, **options))  # type: ignore[arg-type]


def _cases() -> Iterator[tuple[str, bool, dict[str, object]]]:
    for query in QUERIES:
        for lemma in (False, True):
            for filters in FILTERS:
                yield query, lemma, filters


def _every_way(monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    """Force one way of choosing hits (the demo corpus is too small to need the others)."""
    if way in ("walk", "scattered"):
        monkeypatch.setattr(search_order, "FETCH_ALL_MAX", 0)
    if way == "walk":  # and a query per range, so every batch boundary is crossed
        monkeypatch.setattr(search_order, "RANGES_PER_QUERY", 1)
    if way == "scattered":
        monkeypatch.setattr(search_order, "MAX_RANGES", 0)
    if way == "copied":
        monkeypatch.setattr(search_order, "COPY_US", 0.0)
    if way == "probed":
        monkeypatch.setattr(search_order, "COPY_US", 1e12)


@pytest.mark.parametrize("way", ["fetch all", "walk", "scattered", "copied", "probed"])
def test_first_pages_equal_the_old_search(demo: Database, monkeypatch: pytest.MonkeyPatch,
                                          way: str) -> None:
    _every_way(monkeypatch, way)
    for query, lemma, filters in _cases():
        for limit in (1, 20, 1000):
            assert new(demo, query, lemma=lemma, limit=limit, **filters) == old(
                demo, query, lemma=lemma, limit=limit, **filters), (query, lemma, filters, limit)


@pytest.mark.parametrize("way", ["fetch all", "walk", "scattered"])
def test_pages_and_totals(demo: Database, monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    _every_way(monkeypatch, way)
    for query, lemma, filters in _cases():
        every = old(demo, query, lemma=lemma, limit=10_000, **filters)
        first = search_page(demo, query, lemma=lemma, limit=7, **filters)  # type: ignore[arg-type]
        third = search_page(demo, query, lemma=lemma, limit=7, offset=14,
                            **filters)  # type: ignore[arg-type]
        assert _plain(first.hits) == every[:7] and _plain(third.hits) == every[14:21]
        if first.exact:
            assert first.total == third.total == len(every), (query, lemma, filters)
        else:  # a lemma phrase, not checked to the end: an upper bound
            assert first.total >= len(every)
        assert search_page(demo, query, lemma=lemma, limit=5, offset=len(every),
                           **filters).hits == []  # type: ignore[arg-type]


def test_a_lemma_phrase_total_is_exact_once_every_candidate_is_read(
        demo: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    page = search_page(demo, '"ansatt i"', lemma=True, limit=10_000)
    assert page.exact and page.total == len(page.hits) > 1
    monkeypatch.setattr(kasus.search, "CHECK_BATCH", 1)
    first = search_page(demo, '"ansatt i"', lemma=True, limit=1)
    assert not first.exact and first.total >= page.total and first.hits == page.hits[:1]


def test_broken_sentence_runs_fall_back_to_the_join(demo: Database, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    demo.conn.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copy(demo.conn.execute("PRAGMA database_list").fetchone()[2], copy)
    db = open_project(copy)
    with transaction(db):
        db.execute("UPDATE sentence_ranges SET ordered = 0 WHERE document_id = 'karmoy-01'")
    for query, lemma, filters in _cases():
        assert new(db, query, lemma=lemma, limit=30, **filters) == old(
            db, query, lemma=lemma, limit=30, **filters)
    db.close()


def test_runs_are_recorded_at_import(demo: Database) -> None:
    documents = demo.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert demo.execute("SELECT count(*), sum(ordered) FROM sentence_ranges").fetchone() == (
        documents, documents)


def test_lemma_readings_from_the_table_equal_simplemma(demo: Database) -> None:
    lexicon = Lexicon(demo)
    forms = [row[0] for row in demo.execute("SELECT form FROM word_forms")]
    assert len(forms) > 1000
    lexicon.learn(forms)
    for form in forms:
        assert lexicon.readings(form) == lemmas.readings(form), form
        assert lexicon.query_readings(form) == search_reference.query_readings(form), form


def test_a_lemma_search_does_not_need_simplemma(demo: Database,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    expected = old(demo, "brukerne", lemma=True, limit=1000)

    def refuse(word: str) -> None:
        raise AssertionError(f"simplemma asked for {word!r}")

    monkeypatch.setattr(lemmas, "readings", refuse)
    monkeypatch.setattr(lemmas, "is_headword", refuse)
    assert new(demo, "brukerne", lemma=True, limit=1000) == expected
    assert search(demo, "bolig*", lemma=True, site="Karmøy")


def test_an_unseen_form_falls_back_to_simplemma(demo: Database) -> None:
    word = "omsorgsboligene"
    assert demo.execute("SELECT 1 FROM word_forms WHERE form = ?", [word]).fetchone() is None
    lexicon = Lexicon(demo)
    assert lexicon.readings(word) == lemmas.readings(word)
    assert "omsorgsbolig" in lexicon.query_readings(word)
    assert new(demo, word, lemma=True) == old(demo, word, lemma=True)


def test_the_migration_fills_word_forms_and_runs_in_an_old_project(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "project-v1.db", path)
    db = open_project(path)
    texts = [row[0] for row in db.execute("SELECT text FROM documents")]
    expected = {w.lower() for text in texts for w in WORD.findall(text)}
    stored = {row[0]: row[1] for row in db.execute("SELECT form, readings FROM word_forms")}
    assert expected and expected <= stored.keys()
    assert Lexicon(db).readings("brukerne") == lemmas.readings("brukerne")
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert db.execute("SELECT count(*), sum(ordered) FROM sentence_ranges").fetchone() == (
        documents, documents)
    for query in ("bruker", "bolig*", "*bolig*", "ips"):
        for lemma in (False, True):
            assert new(db, query, lemma=lemma) == old(db, query, lemma=lemma)
    db.close()


def test_negative_paging_is_refused(demo: Database) -> None:
    with pytest.raises(KasusError, match="must not be negative"):
        search_page(demo, "bolig", offset=-1)


def test_forms_rolled_back_are_written_again(db: Database) -> None:
    first, second = forms_of("Boligkøen var lang."), forms_of("Boligkøen er kortere nå.")
    with pytest.raises(RuntimeError), transaction(db):
        store_forms(db, first)
        raise RuntimeError("a bad file")
    with transaction(db):
        store_forms(db, second)
    stored = {row[0] for row in db.execute("SELECT form FROM word_forms")}
    assert {"boligkøen", "er", "kortere", "nå"} <= stored
    assert "lang" not in stored  # the rolled-back note's own word stayed out


def test_a_code_filtered_search_leaves_nothing_behind(demo: Database,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_order, "COPY_US", 0.0)  # through the temporary copy
    version = demo.execute("PRAGMA main.schema_version").fetchone()[0]
    assert search(demo, "og", code="bolig")
    assert not demo.conn.in_transaction
    assert "coded_fts" not in {row[0] for row in demo.execute(
        "SELECT name FROM temp.sqlite_master")}
    assert demo.execute("PRAGMA main.schema_version").fetchone()[0] == version


@pytest.mark.parametrize("way", ["fetch all", "walk", "scattered", "copied", "probed"])
def test_a_new_version_moves_its_document_to_a_new_run(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    _every_way(monkeypatch, way)
    notes = tmp_path / "notes"
    shutil.copytree(CORPUS / "karmoy", notes / "karmoy")
    run_import(db, [notes], "tester")
    first = sorted((notes / "karmoy").glob("*.md"))[0]
    hit = old(db, "bolig", limit=1, site="Karmøy")[0]
    apply_coding(db, str(hit[0]), int(str(hit[4])), int(str(hit[5])), "bolig", "tester")
    first.write_text(first.read_text(encoding="utf-8").replace(
        "\n\n", "\n\nEt nytt avsnitt om bolig og ROP-tjenester kom til.\n\n", 1),
        encoding="utf-8")
    assert run_import(db, [notes], "tester").results
    assert db.execute("SELECT count(*) FROM sentence_ranges WHERE version = 2").fetchone()[0]
    for query, lemma, filters in _cases():
        assert new(db, query, lemma=lemma, limit=50, **filters) == old(
            db, query, lemma=lemma, limit=50, **filters), (query, lemma, filters)
