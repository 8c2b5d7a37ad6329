"""Which sentences make a page of search hits, chosen in the index before any document text is read.

Hits are listed by site name, date, document id and position. The FTS index returns rows in
rowid order, and each document's current sentences are one run of rowids in text order
(store_segments writes them so; kasus.documents.store_range records the run). So a page can be
taken document by document in display order with rowid-range queries that stop once the page
is full, and a total per site or round is a count over a few rowid ranges: no join per match.
A project whose runs cannot be trusted (written some other way) takes the plain join instead.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from kasus.codebook.codes import SUBTREE_SQL

# Up to this many matches, every match's rowid is fetched and placed in Python (~0.5 µs each);
# above it a match is common enough that walking the documents in order fills a page at once.
FETCH_ALL_MAX = 2_000
# More separate rowid ranges than this (~20 µs each) and counting the whole index is cheaper.
MAX_RANGES = 500
RANGES_PER_QUERY = 300  # 2-3 parameters each, under SQLite's old limit of 999
FIRST_CHUNK = 4  # documents per rowid-range query at first; each further query takes 4× more
COPY_US = 7.5  # one coded sentence copied into a temporary index of its own
PROBE_US = 0.2  # one match read and probed against the coded sentences
# The index's own columns and tokenizer (kasus.store.schema), for a temporary copy of a few rows.
# No column sizes: they serve ranking, which a search does not use.
CODED_DDL = ("CREATE VIRTUAL TABLE temp.coded_fts USING fts5(text, lemmas, "
             "tokenize = 'unicode61 remove_diacritics 0', columnsize = 0)")

Key = tuple[int, int, int]  # (document rank, position in the document, rowid)
Run = tuple[int, int, int]  # (document rank, first rowid, last rowid) of a document's sentences

IN_RANGE = "f.segments_fts MATCH ? AND f.rowid BETWEEN r.lo AND r.hi"


# A document that may hold hits: (its rowid in documents, the rowids of its first and last
# current sentence, 1 when those are one run in text order). Its rank in display order is its
# index in the list places() returns. Plain rows, as SQLite hands them over: a search lists
# every document, and building an object for each of 3,000 took longer than the query.
Place = tuple[int, int | None, int | None, int | None]


@dataclass
class Candidates:
    """Sentences matching the index query and the filters, in display order, and how many."""

    total: int
    keys: Iterator[Key]


def places(db: Database, clauses: list[str], params: list[object]) -> list[Place]:
    """The documents passing the filters (SQL on alias d), in display order."""
    where = " AND ".join(["1", *clauses])
    return db.execute(
        "SELECT d.rowid, r.first_id, r.last_id, r.ordered "
        "FROM documents d JOIN sites st ON st.id = d.site_id "
        "LEFT JOIN sentence_ranges r ON r.document_id = d.id "
        f"WHERE {where} ORDER BY st.name, d.date, d.id", params).fetchall()


def described(db: Database,
              documents: Iterable[int]) -> dict[int, tuple[str, str, str, str | None]]:
    """Id, site id, site name and role of documents by rowid: for the page's hits only."""
    wanted = sorted(set(documents))
    marks = ", ".join("?" * len(wanted))
    return {row[0]: row[1:] for row in db.execute(
        "SELECT d.rowid, d.id, d.site_id, st.name, d.role FROM documents d "
        f"JOIN sites st ON st.id = d.site_id WHERE d.rowid IN ({marks})", wanted)}


def _runs(db: Database, allowed: list[Place], filtered: bool) -> list[tuple[int, int]] | None:
    """Every document's sentence run (first, last) in rowid order, to merge a filter's runs
    (none needed without a filter); None when some document's run is unknown or broken, and
    runs cannot stand for documents."""
    if not filtered:
        return [] if [place[3] for place in allowed].count(1) == len(allowed) else None
    rows = db.execute("SELECT first_id, last_id, ordered FROM sentence_ranges").fetchall()
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    if len(rows) != documents or [row[2] for row in rows].count(1) != documents:
        return None
    return sorted([(row[0], row[1]) for row in rows if row[0] is not None])


def candidates(db: Database, expression: str, allowed: list[Place], filtered: bool,
               code: str | None) -> Candidates:
    """The sentences the FTS expression matches within the allowed documents (and inside
    codings of code), listed and counted in whichever way visits fewest index rows."""
    runs = _runs(db, allowed, filtered)
    if runs is None:
        return _joined(db, expression, allowed, code)
    with_runs = [(rank, first, last) for rank, (_, first, last, _) in enumerate(allowed)
                 if first is not None and last is not None]
    ranges = _merged(runs, {first for _, first, _ in with_runs}) if filtered else None
    if ranges is not None and len(ranges) > MAX_RANGES:
        ranges = None  # documents scattered all over the index: count the whole index
    if code is not None:
        coded = coded_sentences(db, code)
        # Probing reads every match in the index: count them only as far as it would pay.
        enough = int(len(coded) * COPY_US / PROBE_US)
        if count(db, expression, at_most=enough + 1) > enough:
            return _listed(_placed(_matched_among(db, expression, coded), with_runs))
        return _listed(_placed(_probed(db, expression, coded), with_runs))
    matches = count(db, expression, ranges)
    if matches <= FETCH_ALL_MAX or (filtered and ranges is None):
        return _listed(_placed(_rowids(db, expression, ranges), with_runs))
    return Candidates(matches, _walk(db, expression, with_runs))


def count(db: Database, expression: str, ranges: list[tuple[int, int]] | None = None,
          at_most: int = -1) -> int:
    """How many indexed sentences match, in the whole index (counting stops at at_most) or
    within rowid ranges: FTS5 alone, no join."""
    if ranges is None and at_most >= 0:
        return int(db.execute("SELECT count(*) FROM (SELECT 1 FROM segments_fts "
                              "WHERE segments_fts MATCH ? LIMIT ?)",
                              [expression, at_most]).fetchone()[0])
    if ranges is None:  # the plain count: 40 % faster than the bounded one unbounded
        return int(db.execute("SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?",
                              [expression]).fetchone()[0])
    return sum(int(db.execute(f"{_ranges_sql(len(chunk))} SELECT count(*) FROM ranges r "
                              f"CROSS JOIN segments_fts f WHERE {IN_RANGE}",
                              [*_flat(chunk), expression]).fetchone()[0])
               for chunk in _chunks(ranges))


def _ranges_sql(size: int) -> str:
    # Bounds as plain values: a bound computed per row (json_extract) is checked again for
    # every match, 8 times the cost of the count itself.
    return f"WITH ranges(lo, hi) AS (VALUES {', '.join(['(?, ?)'] * size)})"


def _flat(ranges: list[tuple[int, int]]) -> list[int]:
    return [bound for pair in ranges for bound in pair]


def _chunks(ranges: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    for first in range(0, len(ranges), RANGES_PER_QUERY):
        yield ranges[first:first + RANGES_PER_QUERY]


def _listed(keys: list[Key]) -> Candidates:
    keys.sort()
    return Candidates(len(keys), iter(keys))


def _rowids(db: Database, expression: str,
            ranges: list[tuple[int, int]] | None = None) -> list[int]:
    if ranges is None:
        return [row[0] for row in db.execute(
            "SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?", [expression])]
    return [row[0] for chunk in _chunks(ranges) for row in db.execute(
        f"{_ranges_sql(len(chunk))} SELECT f.rowid FROM ranges r CROSS JOIN segments_fts f "
        f"WHERE {IN_RANGE}", [*_flat(chunk), expression])]


def _placed(rowids: list[int], allowed: list[Run]) -> list[Key]:
    """Keys of the rowids inside an allowed document's run."""
    runs = sorted(allowed, key=lambda run: run[1])
    firsts = [first for _, first, _ in runs]
    keys = []
    for rowid in rowids:
        at = bisect_right(firsts, rowid) - 1
        if at >= 0 and rowid <= runs[at][2]:
            keys.append((runs[at][0], rowid, rowid))
    return keys


def _matched_among(db: Database, expression: str, coded: list[int]) -> list[int]:
    """The coded sentences that match, asked of a temporary FTS5 table holding only them.

    Their indexed text and lemmas are copied as they are and tokenized the same way, so the
    query finds exactly what it would in the big index: ~7 µs a sentence, where one lookup per
    sentence in the big index costs 17 µs per word of the query. In the temp schema: a search
    never writes to the project file.
    """
    db.execute("DROP TABLE IF EXISTS temp.coded_fts")
    db.execute(CODED_DDL)
    # Only the columns the query names are copied: tokenizing the lemmas is a third of the work.
    copied = ", ".join(column if f"{column} :" in expression else "''"
                       for column in ("text", "lemmas"))
    try:
        db.execute(f"INSERT INTO temp.coded_fts (rowid, text, lemmas) SELECT rowid, {copied} "
                   "FROM main.segments_fts WHERE rowid IN (SELECT value FROM json_each(?))",
                   [json.dumps(coded)])
        return [row[0] for row in db.execute(
            "SELECT rowid FROM temp.coded_fts WHERE coded_fts MATCH ?", [expression])]
    finally:
        db.execute("DROP TABLE temp.coded_fts")


def _probed(db: Database, expression: str, coded: list[int]) -> list[int]:
    """The coded sentences that match, by reading every match and probing the coded set."""
    # '+' keeps SQLite from turning the IN into one index lookup per coded sentence.
    return [row[0] for row in db.execute(
        "SELECT f.rowid FROM segments_fts f WHERE f.segments_fts MATCH ? "
        "AND +f.rowid IN (SELECT value FROM json_each(?))", [expression, json.dumps(coded)])]


def _merged(runs: list[tuple[int, int]], wanted: set[int]) -> list[tuple[int, int]]:
    """The runs starting at wanted rowids, neighbours in the index joined into one range."""
    ranges: list[tuple[int, int]] = []
    previous_wanted = False
    for first, last in runs:
        if first not in wanted:
            previous_wanted = False
            continue
        if previous_wanted:
            ranges[-1] = (ranges[-1][0], last)
        else:
            ranges.append((first, last))
        previous_wanted = True
    return ranges


def _walk(db: Database, expression: str, allowed: list[Run]) -> Iterator[Key]:
    """Matches document by document in display order, a growing batch of documents per query,
    so a common word's first page costs one small query."""
    size, start = FIRST_CHUNK, 0
    while start < len(allowed):
        chunk = allowed[start:start + size]
        found = db.execute(
            f"WITH ranges(rank, lo, hi) AS (VALUES {', '.join(['(?, ?, ?)'] * len(chunk))}) "
            f"SELECT r.rank, f.rowid FROM ranges r CROSS JOIN segments_fts f WHERE {IN_RANGE}",
            [*(bound for run in chunk for bound in run), expression])
        yield from sorted((rank, rowid, rowid) for rank, rowid in found)
        start += size
        size = min(size * 4, RANGES_PER_QUERY)


def coded_sentences(db: Database, code: str, versions: str = "sentence_ranges") -> list[int]:
    """Rowids of the current sentences that overlap a live coding of code or its sub-codes;
    the current versions are read from sentence_ranges (or, where it cannot be trusted, from
    documents: columns document_id and version)."""
    # Sentences do not overlap: the ones a coding touches start at or after the last sentence
    # start at or before the coding's start, and before its end; only that first one may
    # end before the coding begins. One index seek and a short range per coding, covered by
    # the index except for that one end; the current version comes from sentence_ranges,
    # whose rows are small, not from documents.
    rows = db.execute(
        "WITH live AS (SELECT c.document_id, v.version, c.start, c.\"end\" FROM codings c "
        f"JOIN {versions} v ON v.document_id = c.document_id WHERE c.removed_at IS NULL "
        f"AND c.status != 'orphaned' AND c.code_id IN ({SUBTREE_SQL})) "
        "SELECT s.id FROM live c JOIN segments s ON s.document_id = c.document_id "
        "AND s.version = c.version AND s.kind = 'sentence' AND s.start >= coalesce(("
        "SELECT max(p.start) FROM segments p WHERE p.document_id = c.document_id "
        "AND p.version = c.version AND p.kind = 'sentence' AND p.start <= c.start), c.start) "
        "AND s.start < c.\"end\" AND (s.start >= c.start OR s.\"end\" > c.start)",
        [code]).fetchall()
    return sorted({row[0] for row in rows})


def _joined(db: Database, expression: str, allowed: list[Place], code: str | None) -> Candidates:
    """Every match joined to its segment: slower, but needs no sentence runs."""
    rank = {place[0]: at for at, place in enumerate(allowed)}
    versions = "(SELECT id AS document_id, version FROM documents)"
    only = set(coded_sentences(db, code, versions)) if code is not None else None
    keys = [(rank[document], start, rowid) for rowid, document, start in db.execute(
        "SELECT f.rowid, d.rowid, s.start FROM segments_fts f JOIN segments s ON s.id = f.rowid "
        "JOIN documents d ON d.id = s.document_id WHERE f.segments_fts MATCH ?", [expression])
        if document in rank and (only is None or rowid in only)]
    return _listed(keys)
