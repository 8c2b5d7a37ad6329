"""Recall of lemma search for the domain's central words, on the demo corpus and nynorsk notes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from kasus.demo import CORPUS
from kasus.importing.importer import run_import
from kasus.project import init_project
from kasus.search import search

FLOOR = 0.95
# The demo corpus is bokmål; real notes mix in nynorsk, so a few fictional nynorsk sentences.
NYNORSK_NOTE = """---
site: Karmøy
role: nav
date: 2020-03-01
---
Tenestene i kommunen er meiningsfulle for brukarane.

Leiaren seier at tenesta må byggjast ut. Dei tilsette meiner at brukarar treng ei tilpassa teneste.
Brukaren fekk tilbod om ein bustad.

Fleire tenester vart lagde ned i fjor. Det var lite meiningsfullt arbeid for brukaren.
Brukarens behov skal stå i sentrum, og kvar brukar skal ha ein plan.
"""

# (query, the relevant sentences): those with any inflected form of the word, or for an infix
# the word anywhere, compounds with it at the end included (utleieboliger, personalbolig).
CASES = [
    ("bruker", r"\bbruker(e|en|ne|s|ens|es|nes)?\b"),
    ("ansatt", r"\bansatt(e|es|s)?\b"),
    ("leder", r"\bleder(en|e|ne|s|ens|es|nes)?\b"),
    ("pakkeforløp", r"\bpakkeforløp(et|ene|a|s|ets|enes)?\b"),
    ("samarbeid", r"\bsamarbeid(et|ene|a|s|ets)?\b"),
    ("bolig", r"\bbolig(en|er|ene|s|ens|enes)?\b"),
    ("*bolig*", r"bolig"),
    ("*bolig*", r"\w+bolig"),
    ("teneste", r"\bteneste(r|n|a|ne|ene|ane)?\b"),
    ("brukar", r"\bbrukar(en|ar|ane|ne|ens|anes|s)?\b"),
    ("meiningsfull", r"\bmeiningsful(l|le|lt)\b"),
]


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo corpus plus the nynorsk note, imported once for every case."""
    folder = tmp_path_factory.mktemp("recall")
    (folder / "nynorsk.md").write_text(NYNORSK_NOTE, encoding="utf-8")
    db = init_project(folder / "project.db", "tester")
    run_import(db, [CORPUS, folder / "nynorsk.md"], "tester")
    yield db
    db.close()


def _sentences(db: Database) -> dict[tuple[str, int], str]:
    return {(row["document_id"], row["start"]): row["sentence"] for row in db.query(
        "SELECT s.document_id, s.start, substr(d.text, s.start + 1, s.\"end\" - s.start) "
        "AS sentence FROM segments s JOIN segments_fts f ON f.rowid = s.id "
        "JOIN documents d ON d.id = s.document_id")}


@pytest.mark.parametrize(("query", "pattern"), CASES, ids=[f"{q} {p}" for q, p in CASES])
def test_lemma_search_finds_every_form_of_the_word(corpus_db: Database, query: str,
                                                   pattern: str) -> None:
    relevant = {key for key, sentence in _sentences(corpus_db).items()
                if re.search(pattern, sentence, re.IGNORECASE)}
    assert relevant, f"the corpus no longer has {query!r}"
    found = {(h.document_id, h.start) for h in search(corpus_db, query, lemma=True,
                                                       limit=100_000)}
    recall = len(relevant & found) / len(relevant)
    missed = sorted(_sentences(corpus_db)[key][:80] for key in relevant - found)[:5]
    assert recall >= FLOOR, f"{query}: recall {recall:.0%} of {len(relevant)}; missed {missed}"

