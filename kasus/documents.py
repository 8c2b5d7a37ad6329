"""Documents in the store: versions, segments, the search index, and reading them back."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlite_utils import Database

from kasus.audit import now
from kasus.errors import NotFoundError
from kasus.model import Document, Segment
from kasus.nlp.pipeline import lemmas_of_words, segment
from kasus.store.schema import new_guid
from kasus.word_forms import WordForm, forms_of, forms_of_words, store_forms

WORD = re.compile(r"\w+")
DOCUMENT_FIELDS = ("id", "site_id", "title", "text", "role", "informant", "date", "interviewer",
                   "round", "source_path", "version", "content_hash", "word_count")


def content_hash(text: str) -> str:
    """The identity of a text of record: sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def _document(row: dict[str, Any]) -> Document:
    return Document(**{key: row[key] for key in DOCUMENT_FIELDS})


def get_document(db: Database, document_id: str) -> Document:
    """One document with its current text, or NotFoundError naming it."""
    rows = list(db.table("documents").rows_where("id = ?", [document_id]))
    if not rows:
        raise NotFoundError(f"no document {document_id!r}", "see `kasus stats` or `kasus search`")
    return _document(rows[0])


def require_document(db: Database, document_id: str) -> None:
    """Refuse a document id the project does not have (without reading its text)."""
    if not db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone():
        raise NotFoundError(f"no document {document_id!r}", "see `kasus documents` for ids")


def list_documents(db: Database, site_id: str | None = None, round_: int | None = None,
                   role: str | None = None) -> list[dict[str, Any]]:
    """Document summaries (no text) with site name and live coding count, by site and date."""
    sql = (
        "SELECT d.id, d.site_id, s.name AS site, d.role, d.informant, d.date, d.interviewer, "
        "d.round, d.title, d.word_count, d.version, "
        "(SELECT count(*) FROM codings c WHERE c.document_id = d.id AND c.removed_at IS NULL) "
        "AS codings FROM documents d JOIN sites s ON s.id = d.site_id WHERE 1"
    )
    params: list[Any] = []
    if site_id:
        sql += " AND d.site_id = ?"
        params.append(site_id)
    clauses, filters = document_clauses(db, round_, role)
    sql += "".join(f" AND {clause}" for clause in clauses)
    params += filters
    sql += " ORDER BY s.name, d.date, d.id"
    return list(db.query(sql, params))


def document_clauses(db: Database, round_: int | None = None,
                     role: str | None = None) -> tuple[list[str], list[Any]]:
    """SQL conditions on documents (alias d) for a round and a role, refused when no document
    has them: the one place the filters every listing shares are checked."""
    clauses: list[str] = []
    params: list[Any] = []
    if round_ is not None:
        require_round(db, round_)
        clauses.append("d.round = ?")
        params.append(round_)
    if role:
        require_role(db, role)
        clauses.append("lower(d.role) = lower(?)")
        params.append(role)
    return clauses, params


def require_round(db: Database, round_: int) -> None:
    """Refuse a round (year of the case visit) no document has."""
    rounds = [row[0] for row in db.execute(
        "SELECT DISTINCT round FROM documents WHERE round IS NOT NULL ORDER BY round")]
    if round_ not in rounds:
        raise NotFoundError(f"no document from round {round_}",
                            f"rounds in this project: {', '.join(map(str, rounds)) or 'none'}")


def require_role(db: Database, role: str) -> None:
    """Refuse an informant role no document has (case does not matter)."""
    roles = sorted({row[0] for row in db.execute(
        "SELECT DISTINCT role FROM documents WHERE role IS NOT NULL")})
    if role.casefold() not in {r.casefold() for r in roles}:
        raise NotFoundError(f"no document with role {role!r}",
                            f"roles in this project: {', '.join(roles) or 'none'}")


def segments_of(db: Database, document_id: str, kind: str | None = None,
                version: int | None = None) -> list[Segment]:
    """The paragraph and sentence segments of a document's current (or given) version."""
    where = ("document_id = ? AND "
             "version = coalesce(?, (SELECT version FROM documents WHERE id = ?))")
    params: list[Any] = [document_id, version, document_id]
    if kind:
        where += " AND kind = ?"
        params.append(kind)
    return [
        Segment(row["kind"], row["ordinal"], row["start"], row["end"])
        for row in db.table("segments").rows_where(
            where, params, order_by="start, kind = 'sentence'"
        )
    ]


@dataclass(frozen=True)
class SegmentedText:
    """A text with its segments and the lemmas of each sentence, computed before the write
    transaction: spaCy and simplemma take a while, and the project stays unlocked meanwhile."""

    text: str
    segments: tuple[Segment, ...]
    sentence_lemmas: tuple[str, ...]
    # Its distinct words with their readings, for word_forms; None: not computed. An import
    # in workers passes only the forms its worker had not sent before (parallel._store_one).
    forms: tuple[WordForm, ...] | None = None
    words: int | None = None  # its word_count(), when known


def prepare_text(text: str) -> SegmentedText:
    """Segment and lemmatise a text of record, ready for store_segments."""
    segments = tuple(segment(text))
    lemmas: list[str] = []
    seen: set[str] = set()
    count = 0
    # One pass over the words: sentences hold every word of the text (they are cut only at
    # spaces and line ends), so their words are the text's words for the forms and the count.
    for seg in segments:
        if seg.kind == "sentence":
            found = WORD.findall(text, seg.start, seg.end)
            lemmas.append(lemmas_of_words(found))
            seen.update(found)
            count += len(found)
    return SegmentedText(text, segments, tuple(lemmas), tuple(forms_of_words(seen)), count)


def store_segments(db: Database, document_id: str, version: int, prepared: SegmentedText) -> int:
    """Store the segments of a document version and index its sentences; returns the sentence
    count. Segments of earlier versions stay (units of agreement and review refer to them),
    but only the current version is searchable."""
    old_ids = [row["id"] for row in db.query(
        "SELECT id FROM segments WHERE document_id = ? AND kind = 'sentence' AND version < ?",
        [document_id, version])]
    db.conn.executemany("DELETE FROM segments_fts WHERE rowid = ?", [(i,) for i in old_ids])
    text = prepared.text
    # Ids given, not left to SQLite: one executemany per table, and the ids follow the text,
    # which the sentence run (store_range) and search's fast path rely on.
    first = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM segments").fetchone()[0])
    rows = [(first + n, document_id, version, seg.kind, seg.ordinal, seg.start, seg.end)
            for n, seg in enumerate(prepared.segments)]
    db.conn.executemany(
        'INSERT INTO segments (id, document_id, version, kind, ordinal, start, "end") '
        "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    sentences = [(row[0], text[row[5]:row[6]]) for row in rows if row[3] == "sentence"]
    index = [(rowid, sentence, lemmas) for (rowid, sentence), lemmas
             in zip(sentences, prepared.sentence_lemmas, strict=True)]
    pending = _DEFERRED.get(db)
    if pending is not None:
        pending.extend(index)
    else:
        db.conn.executemany(INDEX_INSERT, index)
    stored = [(row[0], row[3], row[5]) for row in rows]
    store_range(db, document_id, version, stored)
    store_forms(db, forms_of(text) if prepared.forms is None else prepared.forms)
    return len(sentences)


INDEX_INSERT = "INSERT INTO segments_fts (rowid, text, lemmas) VALUES (?, ?, ?)"
# Per open project: index rows waiting for the end of a batch of stored files (deferred_index).
_DEFERRED: WeakKeyDictionary[Database, list[tuple[int, str, str]]] = WeakKeyDictionary()


@contextmanager
def deferred_index(db: Database) -> Iterator[list[tuple[int, str, str]]]:
    """Inside one transaction: collect the search-index rows of the documents stored and
    insert them all at the end. FTS5 writes out what it holds at every savepoint, and each
    stored file has its own (and sqlite-utils takes one per insert): one index segment per
    file, then merges, instead of one for the batch. A caller rolling a file back to its
    savepoint truncates the yielded list to its length before the file."""
    pending: list[tuple[int, str, str]] = []
    _DEFERRED[db] = pending
    try:
        yield pending
        db.conn.executemany(INDEX_INSERT, pending)
    finally:
        del _DEFERRED[db]


def store_range(db: Database, document_id: str, version: int,
                segments: Sequence[tuple[int, str, int]]) -> None:
    """Record the rowid run of a document version's sentences, from its segments as (id, kind,
    start); 'ordered' when the ids are consecutive and sentence ids follow the text."""
    rows = sorted(segments)
    ids = [row[0] for row in rows]
    sentences = [row for row in rows if row[1] == "sentence"]
    starts = [row[2] for row in sentences]
    # Compared as whole lists, not pair by pair: an import stores thousands of documents.
    consecutive = not ids or ids == list(range(ids[0], ids[0] + len(ids)))
    in_text_order = starts == sorted(set(starts))  # strictly increasing
    # An upsert, not INSERT OR REPLACE: with foreign keys on, REPLACE's delete cost 0.4 ms a
    # document, a third of storing its segments.
    db.execute(
        "INSERT INTO sentence_ranges (document_id, version, first_id, last_id, ordered) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (document_id) DO UPDATE SET "
        "version = excluded.version, first_id = excluded.first_id, "
        "last_id = excluded.last_id, ordered = excluded.ordered",
        [document_id, version, sentences[0][0] if sentences else None,
         sentences[-1][0] if sentences else None, int(consecutive and in_text_order)])


def _words(prepared: SegmentedText) -> int:
    return word_count(prepared.text) if prepared.words is None else prepared.words


def _as_prepared(text: str | SegmentedText) -> SegmentedText:
    return text if isinstance(text, SegmentedText) else prepare_text(text)


def _insert(db: Database, table: str, record: dict[str, Any]) -> None:
    """One row, as sqlite-utils' insert() writes it (lists and dicts as JSON), without its
    per-call work (a savepoint, the table's columns looked up): an import stores thousands."""
    columns = ", ".join(f'"{column}"' for column in record)
    values = [json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list | tuple)
              else value for value in record.values()]
    db.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(record))})",
                    values)


def insert_document(db: Database, row: dict[str, Any], text: str | SegmentedText,
                    source_path: str) -> None:
    """A new document at version 1, with its first version kept and its segments indexed.

    Pass prepare_text(...)'s result to keep segmentation out of the caller's transaction.
    """
    stamp = now()
    prepared = _as_prepared(text)
    text = prepared.text
    digest = content_hash(text)
    _insert(db, "documents", {
        **row, "text": text, "content_hash": digest, "word_count": _words(prepared),
        "version": 1, "source_path": source_path, "imported_at": stamp, "guid": new_guid(),
    })
    _insert(db, "document_versions", {
        "document_id": row["id"], "version": 1, "content_hash": digest, "text": text,
        "source_path": source_path, "imported_at": stamp,
    })
    store_segments(db, row["id"], 1, prepared)


def add_version(db: Database, document_id: str, metadata: dict[str, Any],
                text: str | SegmentedText, source_path: str) -> int:
    """Make changed text the document's current version; earlier versions are kept."""
    current = get_document(db, document_id)
    version = current.version + 1
    stamp = now()
    prepared = _as_prepared(text)
    text = prepared.text
    digest = content_hash(text)
    db.table("document_versions").insert({
        "document_id": document_id, "version": version, "content_hash": digest, "text": text,
        "source_path": source_path, "imported_at": stamp,
    })
    db.table("documents").update(document_id, {
        **metadata, "text": text, "content_hash": digest, "word_count": _words(prepared),
        "version": version, "source_path": source_path, "imported_at": stamp,
    })
    store_segments(db, document_id, version, prepared)
    return version


def document_metadata(db: Database, document_id: str) -> dict[str, Any]:
    """The extra metadata stored with a document (front-matter keys kasus has no column for)."""
    row = db.execute("SELECT metadata FROM documents WHERE id = ?", [document_id]).fetchone()
    return json.loads(row[0]) if row else {}
