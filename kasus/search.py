"""Full-text search over sentence segments: words, phrases, prefixes, and a lemma mode.

The index is SQLite FTS5 with unicode61 and remove_diacritics 0, so case is folded but
æ, ø and å stay distinct letters. A second column holds lemmas, so 'bolig' in lemma mode
also finds 'boliger' and 'boligen'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlite_utils import Database

from kasus.codebook import SUBTREE_SQL, require_code
from kasus.errors import KasusError
from kasus.nlp.lemmas import lemma_of
from kasus.nlp.pipeline import WORD
from kasus.sites import find_site

QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class Term:
    """One part of a query: a word, a prefix (ends in *) or a quoted phrase."""

    words: tuple[str, ...]
    prefix: bool = False


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
        prefix = not phrase and text.endswith("*")
        words = tuple(w.lower() for w in WORD.findall(text))
        if words:
            terms.append(Term(words, prefix and len(words) == 1))
    if not terms:
        raise KasusError(f"search query {query!r} has no words", "type at least one word")
    return terms


def _fts_expression(terms: list[Term], lemma: bool) -> str:
    column = "lemmas" if lemma else "text"
    parts = []
    for term in terms:
        words = [lemma_of(w) if lemma and not term.prefix else w for w in term.words]
        quoted = '"' + " ".join(w.replace('"', "") for w in words) + '"'
        parts.append(f"{column} : {quoted}{'*' if term.prefix else ''}")
    return " AND ".join(parts)


def search(
    db: Database,
    query: str,
    lemma: bool = False,
    site: str | None = None,
    role: str | None = None,
    code: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Hit]:
    """Sentences matching every term, in document order, with the matching words marked."""
    terms = parse_query(query)
    clauses = ["segments_fts MATCH ?"]
    params: list[object] = [_fts_expression(terms, lemma)]
    if site:
        clauses.append("d.site_id = ?")
        params.append(find_site(db, site))
    if role:
        clauses.append("lower(d.role) = lower(?)")
        params.append(role)
    if code:
        require_code(db, code)
        clauses.append(
            "EXISTS (SELECT 1 FROM codings c WHERE c.document_id = s.document_id "
            "AND c.removed_at IS NULL AND c.status != 'orphaned' "
            f"AND c.code_id IN ({SUBTREE_SQL}) "
            "AND c.start < s.\"end\" AND c.\"end\" > s.start)"
        )
        params.append(code)
    sql = (
        "SELECT s.document_id, s.start, s.\"end\", d.site_id, st.name AS site, d.role, "
        "substr(d.text, s.start + 1, s.\"end\" - s.start) AS sentence "
        "FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid "
        "JOIN documents d ON d.id = s.document_id JOIN sites st ON st.id = d.site_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY st.name, d.date, d.id, s.start LIMIT ?"
    )
    params.append(limit)
    return [
        Hit(row["document_id"], row["site_id"], row["site"], row["role"], row["start"],
            row["end"], row["sentence"],
            _matches(row["sentence"], row["start"], terms, lemma))
        for row in db.query(sql, params)
    ]


def _matches(sentence: str, offset: int, terms: list[Term], lemma: bool) -> tuple[
        tuple[int, int], ...]:
    """Offsets of the words that made a sentence match, for highlighting."""
    spans = []
    singles = {(lemma_of(t.words[0]) if lemma and not t.prefix else t.words[0]): t.prefix
               for t in terms if len(t.words) == 1}
    for match in WORD.finditer(sentence):
        word = match.group().lower()
        key = lemma_of(word) if lemma else word
        hit = key in singles or any(prefix and word.startswith(stem)
                                    for stem, prefix in singles.items())
        if hit:
            spans.append((offset + match.start(), offset + match.end()))
    for term in terms:
        if len(term.words) > 1:
            spans.extend(_phrase_spans(sentence, offset, term.words))
    return tuple(sorted(set(spans)))


def _phrase_spans(sentence: str, offset: int, words: tuple[str, ...]) -> list[tuple[int, int]]:
    tokens = list(WORD.finditer(sentence))
    lowered = [t.group().lower() for t in tokens]
    spans = []
    for i in range(len(tokens) - len(words) + 1):
        if tuple(lowered[i:i + len(words)]) == words:
            spans.append((offset + tokens[i].start(), offset + tokens[i + len(words) - 1].end()))
    return spans
