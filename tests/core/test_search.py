"""Search: words, phrases, prefixes, lemma mode, æøå distinct, filters."""

from __future__ import annotations

import re

import pytest
from sqlite_utils import Database

from kasus.coding.codings import apply_coding
from kasus.demo import CORPUS
from kasus.errors import KasusError
from kasus.importing.importer import run_import
from kasus.nlp.pipeline import lemmatize
from kasus.search import Hit, search


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


def _words_of(hits: list[Hit]) -> set[str]:
    return {h.snippet[s - h.start:e - h.start].lower() for h in hits for s, e in h.matches}


def test_lemma_bruker_is_the_noun_not_every_form_of_bruke(demo_db: Database) -> None:
    hits = search(demo_db, "bruker", lemma=True, limit=1000)
    assert {"bruker", "brukere", "brukerne", "brukeren"} <= _words_of(hits)
    # 'bruker' is a headword: the query means it, not the verb behind 'brukte' and 'brukes'.
    assert all(re.search(r"\bbruker", h.snippet, re.IGNORECASE) for h in hits)


def test_lemma_mode_finds_whatever_word_mode_finds(demo_db: Database) -> None:
    for word in ("bruker", "leder", "ansatt", "samarbeidet", "pakkeforløpet", "tjenester"):
        plain = {(h.document_id, h.start) for h in search(demo_db, word, limit=1000)}
        lemma = {(h.document_id, h.start) for h in search(demo_db, word, lemma=True,
                                                          limit=1000)}
        assert plain <= lemma, word


def test_index_keeps_every_reading_of_an_ambiguous_form() -> None:
    assert lemmatize("Brukeren bruker") == "bruker bruke bruker"
    assert set(lemmatize("samarbeidet").split()) >= {"samarbeid", "samarbeide"}
    assert "teneste" in lemmatize("tenestene").split()  # nynorsk
    assert lemmatize("pakkeforløpet").split()[-1] == "pakkeforløp"  # unknown compound


def test_infix_finds_compounds_with_the_word_at_the_end(demo_db: Database) -> None:
    hits = search(demo_db, "*bolig*")
    words = _words_of(hits)
    assert {"bolig", "boliger", "utleieboliger"} <= words
    assert all("bolig" in word for word in words)
    prefix = {(h.document_id, h.start) for h in search(demo_db, "bolig*")}
    assert prefix < {(h.document_id, h.start) for h in hits}
    assert search(demo_db, "*bolig*", lemma=True, limit=1000) == search(demo_db, "*bolig*",
                                                                         limit=1000)


def test_infix_limits(demo_db: Database) -> None:
    assert search(demo_db, "*qxzq*") == []
    with pytest.raises(KasusError, match="more than 200 different words"):
        search(demo_db, "*e*")
    with pytest.raises(KasusError, match="no site"):
        search(demo_db, "*qxzq*", site="Bergen")


def test_lemma_phrase_keeps_its_word_order(demo_db: Database) -> None:
    hits = search(demo_db, '"housing first"', lemma=True)
    assert hits and _words_of(hits) == {"housing first"}
    assert search(demo_db, '"first housing"', lemma=True) == []
    assert _words_of(search(demo_db, '"ansatt i"', lemma=True)) >= {"ansatte i", "ansatt i"}
    assert len(search(demo_db, '"housing first"', lemma=True, limit=2)) == 2
