"""The import's preparing and storing as they were before the import ran on both cores (issue
22.1), kept as the reference the new path must match on the demo corpus."""

from __future__ import annotations

import re

from sqlite_utils import Database

from kasus.documents import store_range
from kasus.model import Segment
from kasus.nlp.lemmas import is_headword, readings
from kasus.nlp.pipeline import segment
from kasus.word_forms import WordForm

WORD = re.compile(r"\w+")


def lemmatize(text: str) -> str:
    return " ".join(reading for word in WORD.findall(text) for reading in readings(word))


def forms_of(text: str) -> list[WordForm]:
    forms = sorted({word.lower() for word in WORD.findall(text)})
    return [WordForm(form, readings(form), is_headword(form)) for form in forms]


def prepare(text: str) -> tuple[list[Segment], list[str], list[WordForm]]:
    """Segments, the lemma column of each sentence, and the word forms, as stored before."""
    segments = segment(text)
    lemmas = [lemmatize(text[s.start:s.end]) for s in segments if s.kind == "sentence"]
    return segments, lemmas, forms_of(text)


def store_segments(db: Database, document_id: str, version: int, text: str) -> None:
    """One INSERT per segment and per index row, as store_segments did."""
    segments, lemmas, _ = prepare(text)
    next_lemmas = iter(lemmas)
    stored: list[tuple[int, str, int]] = []
    for seg in segments:
        cursor = db.execute(
            'INSERT INTO segments (document_id, version, kind, ordinal, start, "end") '
            "VALUES (?, ?, ?, ?, ?, ?)",
            [document_id, version, seg.kind, seg.ordinal, seg.start, seg.end],
        )
        stored.append((int(cursor.lastrowid or 0), seg.kind, seg.start))
        if seg.kind == "sentence":
            db.execute("INSERT INTO segments_fts (rowid, text, lemmas) VALUES (?, ?, ?)",
                       [cursor.lastrowid, text[seg.start:seg.end], next(next_lemmas)])
    store_range(db, document_id, version, stored)
