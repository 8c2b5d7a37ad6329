"""Full-text search over sentence segments: words, phrases, prefixes, infixes and a lemma mode."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlite_utils import Database

from kasus.codebook.codes import require_code
from kasus.documents import document_clauses
from kasus.errors import KasusError
from kasus.search_order import Candidates, Key, Place, candidates, described, places
from kasus.sites import find_site
from kasus.word_forms import WORD, Lexicon

QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
DEFAULT_LIMIT = 200
# Every distinct word of the index, per column, to spell out prefixes. In the temp schema,
# because a search must not write to the project file (nor need its write lock), and an
# fts5vocab table holds no data of its own: creating it costs nothing.
VOCAB_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS temp.segments_vocab "
             "USING fts5vocab(main, segments_fts, 'col')")
MAX_INFIX_WORDS = 200
MAX_SPELLED_OUT = 64  # a prefix of more words is left to FTS5 (an OR that long is no faster)
CHECK_BATCH = 200  # lemma-phrase candidates whose sentences are read and checked at a time


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


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _any_of(words: list[str] | frozenset[str]) -> str:
    return "(" + " OR ".join(_quote(w) for w in sorted(words)) + ")"


def _term_expression(term: Term, lexicon: Lexicon | None, infixes: dict[str, list[str]],
                     prefixes: dict[str, dict[str, list[str]]]) -> str:
    if term.infix:
        return f"text : {_any_of(infixes[term.words[0]])}"
    if term.prefix:
        return _prefix(term.words[0], prefixes.get(term.words[0]), lexicon is not None)
    if lexicon is None:
        return "text : " + _quote(" ".join(term.words))
    # Each word as any of its readings, or as written (which also serves an index made before
    # the lemma column held several readings). A phrase's order is checked on the sentence
    # itself afterwards, since a word with several readings takes several column positions.
    return " AND ".join(f"(lemmas : {_any_of(lexicon.query_readings(w))} OR text : {_quote(w)})"
                        for w in term.words)


def _prefix(stem: str, words: dict[str, list[str]] | None, lemma: bool) -> str:
    """A prefix, spelled out as the index's words that start with it when they are known: the
    same rows as FTS5's 'stem*'. In lemma mode the written word too: a lemma need not start
    like its forms, nor an old index hold it."""
    columns = ("lemmas", "text") if lemma else ("text",)
    if words is None or not any(words[column] for column in columns):
        parts = [f"{column} : {_quote(stem)}*" for column in columns]
    else:
        parts = [f"{column} : {_any_of(words[column])}" for column in columns if words[column]]
    return "(" + " OR ".join(parts) + ")" if len(parts) > 1 else parts[0]


def _fts_expression(terms: list[Term], lexicon: Lexicon | None,
                    infixes: dict[str, list[str]] | None = None,
                    prefixes: dict[str, dict[str, list[str]]] | None = None) -> str:
    return " AND ".join(_term_expression(t, lexicon, infixes or {}, prefixes or {})
                        for t in terms)


def _expand_infixes(db: Database, terms: list[Term]) -> dict[str, list[str]]:
    """The indexed words containing each infix, from the written text: 'bolig' ->
    boliger, personalbolig, utleieboliger, ...

    The candidates come from the project's word forms (a scan of a few thousand short rows),
    each kept if the index has it; reading the index's own vocabulary (fts5vocab) would count
    every word's occurrences first: 0.3 s at 9 M words.
    """
    stems = {t.words[0] for t in terms if t.infix}
    expanded = {}
    for stem in stems:
        # The index splits at '_' where \w does not: 'boligsak_2019' is 'boligsak' there.
        forms = {piece for (form,) in db.execute(
            "SELECT form FROM word_forms WHERE instr(form, ?) > 0", [stem])
            for piece in form.split("_") if stem in piece}
        words: list[str] = []
        for form in sorted(forms):
            if _indexed(db, form):
                words.append(form)
            if len(words) > MAX_INFIX_WORDS:
                raise KasusError(
                    f"*{stem}* occurs in more than {MAX_INFIX_WORDS} different words",
                    "search for a longer part of the word, or a prefix: word*")
        expanded[stem] = words
    return expanded


def _indexed(db: Database, word: str) -> bool:
    """Whether a current sentence has this word in its written text."""
    return db.execute("SELECT 1 FROM segments_fts WHERE segments_fts MATCH ? LIMIT 1",
                      [f"text : {_quote(word)}"]).fetchone() is not None


def _spell_out_prefixes(db: Database, terms: list[Term]) -> dict[str, dict[str, list[str]]]:
    """Each prefix's words in the index, per column, when there are few: FTS5 rebuilds a
    prefix's whole list of matches for every query it runs (3 ms for 'bolig*' at 9 M words),
    while an OR of words is read only as far as asked, and seeks within a rowid range."""
    spelled = {}
    for stem in {t.words[0] for t in terms if t.prefix}:
        db.execute(VOCAB_DDL)
        words: dict[str, list[str]] = {"text": [], "lemmas": []}
        rows = db.execute("SELECT term, col FROM temp.segments_vocab WHERE term >= ? "
                          "AND term < ? LIMIT ?", [stem, stem + "\U0010ffff",
                                                   2 * MAX_SPELLED_OUT + 1]).fetchall()
        for term, column in rows:
            if term.startswith(stem) and column in words:
                words[column].append(term)
        if len(rows) <= 2 * MAX_SPELLED_OUT and max(map(len, words.values())) <= MAX_SPELLED_OUT:
            spelled[stem] = words
    return spelled


@dataclass(frozen=True)
class SearchPage:
    """One page of hits and how many there are in all.

    The total is exact, except for a lemma phrase over more candidates than the page needed
    checked: then it is how many could be hits at most (exact is False).
    """

    hits: list[Hit]
    total: int
    exact: bool = True


def search(
    db: Database,
    query: str,
    lemma: bool = False,
    site: str | None = None,
    role: str | None = None,
    code: str | None = None,
    limit: int = DEFAULT_LIMIT,
    round_: int | None = None,
    offset: int = 0,
) -> list[Hit]:
    """Sentences matching every term, in document order, with the matching words marked.

    The index is SQLite FTS5 with unicode61 and remove_diacritics 0, so case is folded but æ,
    ø and å stay distinct letters. A second column holds every reading of each word, bokmål and
    nynorsk (kasus.nlp.lemmas.readings), so 'bolig' in lemma mode also finds 'boliger' and
    'boligen', 'bruker' finds 'brukerne' and 'teneste' finds 'tenester'. '*bolig*' finds the
    word inside compounds as well: 'utleieboliger', 'personalbolig'.
    """
    return search_page(db, query, lemma, site, role, code, limit, round_, offset).hits


def search_page(
    db: Database,
    query: str,
    lemma: bool = False,
    site: str | None = None,
    role: str | None = None,
    code: str | None = None,
    limit: int = DEFAULT_LIMIT,
    round_: int | None = None,
    offset: int = 0,
) -> SearchPage:
    """Hits offset to offset + limit of search(), and the total: the page is chosen in the index
    (kasus.search_order) and only its sentences are cut out of their documents."""
    terms = parse_query(query)
    if limit < 0 or offset < 0:
        raise KasusError(f"limit {limit} and offset {offset} must not be negative",
                         "pass --limit and --offset of 0 or more")
    clauses: list[str] = []
    params: list[object] = []
    if site:
        clauses.append("d.site_id = ?")
        params.append(find_site(db, site))
    filters, filter_params = document_clauses(db, round_, role)
    clauses += filters
    params += filter_params
    if code:
        require_code(db, code)
    infixes = _expand_infixes(db, terms)
    if any(not words for words in infixes.values()):
        return SearchPage([], 0)  # an infix no indexed word contains: no sentence has every term
    lexicon = Lexicon(db) if lemma else None
    allowed = places(db, clauses, params)
    expression = _fts_expression(terms, lexicon, infixes, _spell_out_prefixes(db, terms))
    found = candidates(db, expression, allowed, bool(clauses), code or None)
    if lexicon and any(len(t.words) > 1 for t in terms):
        return _checked_page(db, found, allowed, terms, lexicon, offset, limit)
    keys = [key for _, key in zip(range(offset + limit), found.keys, strict=False)][offset:]
    return SearchPage(_hits(db, keys, allowed, terms, lexicon), found.total)


def _checked_page(db: Database, found: Candidates, allowed: list[Place], terms: list[Term],
                  lexicon: Lexicon, offset: int, limit: int) -> SearchPage:
    """A lemma phrase's page: candidates read in order, kept when the phrase is there."""
    hits: list[Hit] = []
    seen = verified = 0
    while len(hits) < offset + limit:
        batch = [key for _, key in zip(range(CHECK_BATCH), found.keys, strict=False)]
        if not batch:
            return SearchPage(hits[offset:], verified)
        seen += len(batch)
        checked = _hits(db, batch, allowed, terms, lexicon, checked=True)
        verified += len(checked)
        hits += checked
    return SearchPage(hits[offset:offset + limit], verified + found.total - seen,
                      exact=seen == found.total)


def _hits(db: Database, keys: list[Key], allowed: list[Place], terms: list[Term],
          lexicon: Lexicon | None, checked: bool = False) -> list[Hit]:
    """The hits of keys in their order: each sentence cut out of its document, words marked."""
    if not keys:
        return []
    marks = ", ".join("?" * len(keys))
    rows = {row[0]: row[1:] for row in db.execute(
        "SELECT s.id, s.start, s.\"end\", substr(d.text, s.start + 1, s.\"end\" - s.start) "
        f"FROM segments s JOIN documents d ON d.id = s.document_id WHERE s.id IN ({marks})",
        [key[2] for key in keys])}
    if lexicon:
        lexicon.learn(word for _, _, sentence in rows.values() for word in WORD.findall(sentence))
    documents = described(db, (allowed[rank][0] for rank, _, _ in keys))
    hits = []
    for rank, _, rowid in keys:
        start, end, sentence = rows[rowid]
        matches = _matches(sentence, start, terms, lexicon)
        if matches is None and checked:
            continue
        document_id, site_id, site, role = documents[allowed[rank][0]]
        hits.append(Hit(document_id, site_id, site, role, start, end, sentence, matches or ()))
    return hits


def _matches(sentence: str, offset: int, terms: list[Term], lexicon: Lexicon | None) -> tuple[
        tuple[int, int], ...] | None:
    """Offsets of the words that made a sentence match, for highlighting; None when a lemma
    phrase is not in the sentence in its order (the index cannot tell)."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(sentence)]
    spans: set[tuple[int, int]] = set()
    for term in terms:
        size = len(term.words)
        found = [(offset + tokens[i][0], offset + tokens[i + size - 1][1])
                 for i in range(len(tokens) - size + 1)
                 if all(_word_matches(term, term.words[j], tokens[i + j][2], lexicon)
                        for j in range(size))]
        if not found and lexicon and size > 1:
            return None
        spans.update(found)
    return tuple(sorted(spans))


def _word_matches(term: Term, query_word: str, word: str, lexicon: Lexicon | None) -> bool:
    """Whether one lower-cased word of a sentence matches one word of a term."""
    if term.infix:
        return query_word in word
    if term.prefix:
        return word.startswith(query_word) or (
            lexicon is not None and any(r.startswith(query_word) for r in lexicon.readings(word)))
    if word == query_word:
        return True
    return lexicon is not None and not lexicon.query_readings(query_word).isdisjoint(
        lexicon.readings(word))
