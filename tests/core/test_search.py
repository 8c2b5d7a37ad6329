"""Search: words, phrases, prefixes, lemma mode, æøå distinct, filters."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from kasus.coding.codings import apply_coding
from kasus.demo import CORPUS
from kasus.errors import KasusError
from kasus.importing.importer import run_import
from kasus.search import search


@pytest.fixture
def demo_db(db: Database) -> Database:
    run_import(db, [CORPUS], "tester")
    return db


def test_word_search_spans_several_sites(demo_db: Database) -> None:
    hits = search(demo_db, "bolig")
    assert len({hit.site_id for hit in hits}) >= 3
    for hit in hits:
        text = demo_db.execute("SELECT text FROM documents WHERE id = ?",
                               [hit.document_id]).fetchone()[0]
        assert text[hit.start:hit.end] == hit.snippet
        assert all(text[s:e].lower() == "bolig" for s, e in hit.matches)


def test_lemma_mode_finds_inflected_forms(demo_db: Database) -> None:
    plain = {(h.document_id, h.start) for h in search(demo_db, "bolig")}
    lemma_hits = search(demo_db, "bolig", lemma=True)
    assert len(lemma_hits) > len(plain)
    matched_words = {h.snippet[s - h.start:e - h.start].lower()
                     for h in lemma_hits for s, e in h.matches}
    assert {"boliger", "boligen"} & matched_words


def test_case_insensitive_and_letters_kept_distinct(demo_db: Database) -> None:
    assert search(demo_db, "KARMØY")
    assert not search(demo_db, "karmoy")  # ø is not o


def test_phrase_and_prefix(demo_db: Database) -> None:
    phrase = search(demo_db, '"housing first"')
    assert phrase and all("housing first" in h.snippet.lower() for h in phrase)
    prefix = search(demo_db, "pakkeforl*")
    assert prefix and all("pakkeforl" in h.snippet.lower() for h in prefix)


def test_filters_by_site_role_and_code(demo_db: Database) -> None:
    karmoy = search(demo_db, "bolig", lemma=True, site="Karmøy")
    assert karmoy and {h.site_id for h in karmoy} == {"karmoy"}
    nav = search(demo_db, "bolig", lemma=True, role="nav")
    assert nav and {h.role for h in nav} == {"nav"}
    hit = karmoy[0]
    apply_coding(demo_db, hit.document_id, hit.start, hit.end, "bolig", "tester")
    coded = search(demo_db, "bolig", lemma=True, code="bolig")
    assert [(h.document_id, h.start) for h in coded] == [(hit.document_id, hit.start)]


def test_syntax_in_the_query_is_just_text(demo_db: Database) -> None:
    search(demo_db, 'bolig AND "( NEAR -')
    with pytest.raises(KasusError, match="no words"):
        search(demo_db, '"" *')


def test_site_filter_ignores_case_of_norwegian_letters(demo_db: Database) -> None:
    assert {h.site_id for h in search(demo_db, "bolig", lemma=True, site="TROMSØ")} == {"tromso"}
    with pytest.raises(KasusError, match="no site"):
        search(demo_db, "bolig", site="Bergen")
