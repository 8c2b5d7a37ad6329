"""The search before issue 22, kept as the reference its faster successor must equal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlite_utils import Database

from kasus.codebook.codes import SUBTREE_SQL, require_code
from kasus.documents import document_clauses
from kasus.errors import KasusError
from kasus.nlp.lemmas import is_headword, readings
from kasus.nlp.pipeline import WORD
from kasus.sites import find_site

QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
DEFAULT_LIMIT = 200
# Every distinct word of the index, per column, for infix terms: FTS5 has no infix match. In
# the temp schema, because a search must not write to the project file (nor need its write
# lock), and an fts5vocab table holds no data of its own: creating it costs nothing.
VOCAB_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS temp.segments_vocab "
             "USING fts5vocab(main, segments_fts, 'col')")
MAX_INFIX_WORDS = 200
PAGE_SIZE = 500  # rows fetched at a time when hits are checked after the query


@dataclass(frozen=True)
class Term:
    """One part of a query: a word, a prefix (ends in *), an infix (*in both ends*) or a
    quoted phrase."""

    words: tuple[str, ...]
    prefix: bool = False
    infix: bool = False


@dataclass(frozen=True)
class Hit:
    document_id: str
    site_id: str
    site: str
    role: str | None
    start: int  # the sentence's span in the document's text of record
    end: int
    snippet: str
    matches: tuple[tuple[int, int], ...]  # matched words, as document offsets


def parse_query(query: str) -> list[Term]:
    """Split a query into terms; anything FTS5 would read as syntax is treated as text."""
    terms: list[Term] = []
    for phrase, word in QUERY_PART.findall(query):
        text = phrase if phrase else word
        words = tuple(w.lower() for w in WORD.findall(text))
        single = not phrase and len(words) == 1
        infix = single and len(text) > 1 and text.startswith("*") and text.endswith("*")
        prefix = single and text.endswith("*") and not infix
        if words:
            terms.append(Term(words, prefix, infix))
    if not terms:
        raise KasusError(f"search query {query!r} has no words", "type at least one word")
    return terms


@lru_cache(maxsize=1024)
def query_readings(word: str) -> frozenset[str]:
    """The lemmas a query word stands for in lemma mode.

    A headword means itself: 'bruker' is the noun (brukere, brukerne, and 'bruker' wherever it
    is written), not every form of the verb 'bruke'. Any other form means the word and all its
    readings: 'brukerne' -> bruker, 'tenester' -> teneste.
    """
    if is_headword(word):
        return frozenset({word})
    return frozenset({word, *readings(word)})


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _any_of(words: list[str] | frozenset[str]) -> str:
    return "(" + " OR ".join(_quote(w) for w in sorted(words)) + ")"


def _term_expression(term: Term, lemma: bool, infixes: dict[str, list[str]]) -> str:
    if term.infix:
        return f"text : {_any_of(infixes[term.words[0]])}"
    if term.prefix:
        stem = _quote(term.words[0])
        # The written word too: a lemma need not start like its forms, nor an old index hold it.
        return f"(lemmas : {stem}* OR text : {stem}*)" if lemma else f"text : {stem}*"
    if not lemma:
        return "text : " + _quote(" ".join(term.words))
    # Each word as any of its readings, or as written (which also serves an index made before
    # the lemma column held several readings). A phrase's order is checked on the sentence
    # itself afterwards, since a word with several readings takes several column positions.
    return " AND ".join(f"(lemmas : {_any_of(query_readings(w))} OR text : {_quote(w)})"
                        for w in term.words)


def _fts_expression(terms: list[Term], lemma: bool,
                    infixes: dict[str, list[str]] | None = None) -> str:
    return " AND ".join(_term_expression(t, lemma, infixes or {}) for t in terms)


def _expand_infixes(db: Database, terms: list[Term]) -> dict[str, list[str]]:
    """The indexed words containing each infix, from the written text: 'bolig' ->
    boliger, personalbolig, utleieboliger, ..."""
    stems = {t.words[0] for t in terms if t.infix}
    if not stems:
        return {}
    db.execute(VOCAB_DDL)
    expanded = {}
    for stem in stems:
        words = [row[0] for row in db.execute(
            "SELECT term FROM temp.segments_vocab WHERE col = 'text' AND instr(term, ?) > 0 "
            "ORDER BY term LIMIT ?", [stem, MAX_INFIX_WORDS + 1])]
        if len(words) > MAX_INFIX_WORDS:
            raise KasusError(f"*{stem}* occurs in more than {MAX_INFIX_WORDS} different words",
                             "search for a longer part of the word, or a prefix: word*")
        expanded[stem] = words
    return expanded


def search(
    db: Database,
    query: str,
    lemma: bool = False,
    site: str | None = None,
    role: str | None = None,
    code: str | None = None,
    limit: int = DEFAULT_LIMIT,
    round_: int | None = None,
) -> list[Hit]:
    """Sentences matching every term, in document order, with the matching words marked.

    The index is SQLite FTS5 with unicode61 and remove_diacritics 0, so case is folded but æ,
    ø and å stay distinct letters. A second column holds every reading of each word, bokmål and
    nynorsk (kasus.nlp.lemmas.readings), so 'bolig' in lemma mode also finds 'boliger' and
    'boligen', 'bruker' finds 'brukerne' and 'teneste' finds 'tenester'. '*bolig*' finds the
    word inside compounds as well: 'utleieboliger', 'personalbolig'.
    """
    terms = parse_query(query)
    clauses = ["segments_fts MATCH ?"]
    params: list[object] = []
    if site:
        clauses.append("d.site_id = ?")
        params.append(find_site(db, site))
    filters, filter_params = document_clauses(db, round_, role)
    clauses += filters
    params += filter_params
    if code:
        require_code(db, code)
        clauses.append(
            "EXISTS (SELECT 1 FROM codings c WHERE c.document_id = s.document_id "
            "AND c.removed_at IS NULL AND c.status != 'orphaned' "
            f"AND c.code_id IN ({SUBTREE_SQL}) "
            "AND c.start < s.\"end\" AND c.\"end\" > s.start)"
        )
        params.append(code)
    infixes = _expand_infixes(db, terms)
    if any(not words for words in infixes.values()):
        return []  # an infix no indexed word contains: no sentence has every term
    params.insert(0, _fts_expression(terms, lemma, infixes))
    sql = (
        "SELECT s.document_id, s.start, s.\"end\", d.site_id, st.name AS site, d.role, "
        "substr(d.text, s.start + 1, s.\"end\" - s.start) AS sentence "
        "FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid "
        "JOIN documents d ON d.id = s.document_id JOIN sites st ON st.id = d.site_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY st.name, d.date, d.id, s.start"
    )
    checked = lemma and any(len(t.words) > 1 for t in terms)
    hits: list[Hit] = []
    for row in _rows(db, sql, params, None if checked else limit):
        matches = _matches(row["sentence"], row["start"], terms, lemma)
        if matches is None:
            continue
        hits.append(Hit(row["document_id"], row["site_id"], row["site"], row["role"],
                        row["start"], row["end"], row["sentence"], matches))
        if len(hits) >= limit:
            break
    return hits


def _rows(db: Database, sql: str, params: list[object],
          limit: int | None) -> Iterator[dict[str, Any]]:
    """The query's rows: at most limit, or page by page until the caller has enough."""
    if limit is not None:
        yield from db.query(sql + " LIMIT ?", [*params, limit])
        return
    offset = 0
    while True:
        page = list(db.query(sql + " LIMIT ? OFFSET ?", [*params, PAGE_SIZE, offset]))
        yield from page
        if len(page) < PAGE_SIZE:
            return
        offset += PAGE_SIZE


def _matches(sentence: str, offset: int, terms: list[Term], lemma: bool) -> tuple[
        tuple[int, int], ...] | None:
    """Offsets of the words that made a sentence match, for highlighting; None when a lemma
    phrase is not in the sentence in its order (the index cannot tell)."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(sentence)]
    spans: set[tuple[int, int]] = set()
    for term in terms:
        size = len(term.words)
        found = [(offset + tokens[i][0], offset + tokens[i + size - 1][1])
                 for i in range(len(tokens) - size + 1)
                 if all(_word_matches(term, term.words[j], tokens[i + j][2], lemma)
                        for j in range(size))]
        if not found and lemma and size > 1:
            return None
        spans.update(found)
    return tuple(sorted(spans))


def _word_matches(term: Term, query_word: str, word: str, lemma: bool) -> bool:
    """Whether one lower-cased word of a sentence matches one word of a term."""
    if term.infix:
        return query_word in word
    if term.prefix:
        return word.startswith(query_word) or (
            lemma and any(r.startswith(query_word) for r in readings(word)))
    if word == query_word:
        return True
    return lemma and not query_readings(query_word).isdisjoint(readings(word))
