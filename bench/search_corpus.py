"""A search benchmark project of N words: synthetic notes stored through kasus's own storing code,
and a raw sqlite3 + FTS5 file of the same sentences as the floor."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from sqlite_utils import Database

from bench.synthetic import long_note
from kasus.coding.codings import insert_coding
from kasus.documents import insert_document, prepare_text
from kasus.project import init_project
from kasus.store import open_project, transaction

WORDS_PER_NOTE = 3_000
NOTES_PER_TRANSACTION = 50
SITES = ("oslo", "sagene", "trondheim", "horten", "karmoy", "tromso", "vadso", "kristiansund",
         "fjell", "sandnes", "ostre-toten", "gamle-oslo")
ROLES = ("leder", "tjenesteansatt", "nav", "bruker", "tsb", "pårørende")
CODED_SENTENCES = 2_000  # coded with 'bolig', for the --code filter
FLOOR_DDL = ("CREATE VIRTUAL TABLE floor USING fts5(text, lemmas, "
             "tokenize = 'unicode61 remove_diacritics 0')")


def notes(words: int) -> list[dict[str, object]]:
    """Metadata of the notes, in the order a team would import them: a round's visits when
    they happen, site by site, with dates that do not follow the file names."""
    rng = random.Random(11)
    count = max(1, round(words / WORDS_PER_NOTE))
    rows = []
    for n in range(count):
        year = 2019 if n < count // 2 else 2020
        site = SITES[(n % max(1, count // 2)) * len(SITES) // max(1, count // 2)]
        rows.append({"id": f"{site}-syn-{n:05d}", "identity": f"id:{site}:syn-{n:05d}",
                     "site_id": site, "role": rng.choice(ROLES), "round": year,
                     "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     "title": f"Synthetic note {n}", "seed": n})
    return rows


def build_project(path: Path, words: int) -> Database:
    """A project of about `words` words in 3,000-word notes, built with prepare_text and
    insert_document (what the importer calls), plus codings for the code filter."""
    db = init_project(path, "bench")
    rows = notes(words)
    started = time.perf_counter()
    for first in range(0, len(rows), NOTES_PER_TRANSACTION):
        batch = rows[first:first + NOTES_PER_TRANSACTION]
        prepared = [prepare_text(long_note(WORDS_PER_NOTE, seed=int(str(row["seed"]))))
                    for row in batch]
        with transaction(db):
            for row, text in zip(batch, prepared, strict=True):
                meta = {k: v for k, v in row.items() if k != "seed"}
                insert_document(db, meta, text, f"synthetic/{row['id']}.md")
        done = first + len(batch)
        print(f"\r  stored {done}/{len(rows)} notes, {time.perf_counter() - started:.0f} s",
              end="", flush=True)
    print()
    _code_sentences(db)
    return db


def _code_sentences(db: Database) -> None:
    rng = random.Random(5)
    sentences = db.execute(
        "SELECT s.document_id, s.start, s.\"end\", "
        "substr(d.text, s.start + 1, s.\"end\" - s.start) FROM segments s "
        "JOIN documents d ON d.id = s.document_id "
        "WHERE s.kind = 'sentence' AND s.id % 97 = 0").fetchall()
    with transaction(db):
        for document_id, start, end, quote in rng.sample(sentences,
                                                         min(CODED_SENTENCES, len(sentences))):
            insert_coding(db, {"document_id": document_id, "code_id": "bolig", "start": start,
                               "end": end, "quote": quote, "coder": "bench",
                               "document_version": 1})


def project(folder: Path, words: int) -> Database:
    """The benchmark project of this size in folder, built once and reused afterwards."""
    path = folder / f"search-{words}.db"
    if path.exists():
        return open_project(path)
    return build_project(path, words)


def floor_database(folder: Path, db: Database) -> sqlite3.Connection:
    """A bare FTS5 table of the project's indexed sentences, bulk-inserted with sqlite3 only."""
    path = folder / f"{Path(db.conn.execute('PRAGMA database_list').fetchone()[2]).stem}-floor.db"
    if path.exists():
        return sqlite3.connect(path)
    conn = sqlite3.connect(path)
    conn.execute(FLOOR_DDL)
    with conn:
        conn.executemany("INSERT INTO floor (rowid, text, lemmas) VALUES (?, ?, ?)",
                         db.conn.execute("SELECT rowid, text, lemmas FROM segments_fts"))
    return conn
