"""The project schema as forward migrations, and the check that a file is a kasus project."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kasus.errors import ProjectError

MIGRATIONS = Migrations("kasus")
SCHEMA_STEPS: list[str] = []  # names of every migration this kasus knows, oldest first
# The namespace of kasus's name-based GUIDs (codes, coders): fixed forever.
KASUS_NAMESPACE = uuid.UUID("6f1d3c2a-9b0e-5a7c-8d41-2e5f7a9c0b13")


def _step(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    SCHEMA_STEPS.append(name)
    return MIGRATIONS(name=name)

# Every table and index of schema version 1. Later versions add migrations below, never edit
# this one: projects hold months of work and must open in every later kasus.
_SCHEMA_V1 = """
CREATE TABLE project (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT,
    population INTEGER,
    county TEXT,
    region TEXT,
    attributes TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,
    site_id TEXT NOT NULL REFERENCES sites(id),
    role TEXT,
    informant TEXT,
    date TEXT,
    interviewer TEXT,
    round INTEGER,
    title TEXT NOT NULL,
    source_path TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    version INTEGER NOT NULL DEFAULT 1,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    word_count INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX idx_documents_site ON documents(site_id);
CREATE TABLE document_versions (
    document_id TEXT NOT NULL REFERENCES documents(id),
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    source_path TEXT,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (document_id, version)
);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL CHECK (kind IN ('paragraph', 'sentence')),
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX idx_segments_document ON segments(document_id, kind, start);
CREATE VIRTUAL TABLE segments_fts USING fts5(
    text, lemmas, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES codes(id),
    kind TEXT NOT NULL,
    label_nb TEXT NOT NULL,
    label_en TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '',
    include TEXT NOT NULL DEFAULT '',
    exclude TEXT NOT NULL DEFAULT '',
    examples TEXT NOT NULL DEFAULT '[]',
    keywords TEXT NOT NULL DEFAULT '[]',
    colour TEXT NOT NULL,
    position INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    updated_at TEXT NOT NULL
);
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    area TEXT NOT NULL,
    type TEXT,
    name_nb TEXT NOT NULL,
    source TEXT,
    unit TEXT,
    note TEXT
);
CREATE TABLE indicator_values (
    id INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    year INTEGER NOT NULL,
    value REAL,
    qualifier TEXT,
    kind TEXT NOT NULL DEFAULT 'level',
    confidence TEXT,
    quote TEXT,
    origin TEXT NOT NULL,
    note TEXT
);
CREATE INDEX idx_indicator_values ON indicator_values(indicator_id, year);
CREATE TABLE code_indicators (
    code_id TEXT NOT NULL REFERENCES codes(id),
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    PRIMARY KEY (code_id, indicator_id)
);
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    code_id TEXT NOT NULL REFERENCES codes(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    quote TEXT NOT NULL,
    coder TEXT NOT NULL,
    memo TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT 'manual'
        CHECK (origin IN ('manual', 'suggested', 'auto', 'merged', 'consensus')),
    status TEXT NOT NULL DEFAULT 'anchored'
        CHECK (status IN ('anchored', 'fuzzy', 'orphaned')),
    anchor_score REAL,
    document_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX idx_codings_document ON codings(document_id, start);
CREATE INDEX idx_codings_code ON codings(code_id);
CREATE TABLE evidence_links (
    id INTEGER PRIMARY KEY,
    coding_id INTEGER NOT NULL REFERENCES codings(id),
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    stance TEXT NOT NULL CHECK (stance IN ('supports', 'contradicts', 'nuances', 'explains')),
    note TEXT NOT NULL DEFAULT '',
    coder TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT
);
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'site', 'document', 'code')),
    target_id TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    session TEXT NOT NULL,
    coding_id INTEGER REFERENCES codings(id),
    other_coding_id INTEGER REFERENCES codings(id),
    reviewer TEXT NOT NULL,
    verdict TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before TEXT,
    after TEXT,
    undo_state TEXT CHECK (undo_state IN ('done', 'undone', 'dropped'))
);
CREATE INDEX idx_audit_undo ON audit_log(actor, undo_state);
"""


@_step("m001_initial_schema")
def m001_initial_schema(db: Database) -> None:
    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            db.execute(statement)


# Schema version 2: stable identities for exchange, merge and citation. GUIDs on the records
# other projects and tools refer to, a coders table, segments kept per document version (a unit
# is document + version + kind + ordinal, which re-import never renumbers), and a key that lets
# indicator values be upserted instead of wiped.
_SCHEMA_V2 = """
ALTER TABLE codes ADD COLUMN guid TEXT;
ALTER TABLE documents ADD COLUMN guid TEXT;
ALTER TABLE codings ADD COLUMN guid TEXT;
ALTER TABLE memos ADD COLUMN guid TEXT;
ALTER TABLE evidence_links ADD COLUMN guid TEXT;
ALTER TABLE segments ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE indicator_values ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE TABLE coders (
    name TEXT PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
UPDATE segments SET version = (SELECT d.version FROM documents d WHERE d.id = segments.document_id);
DROP INDEX idx_segments_document;
CREATE INDEX idx_segments_document ON segments(document_id, version, kind, start);
CREATE UNIQUE INDEX idx_segments_unit ON segments(document_id, version, kind, ordinal);
CREATE INDEX idx_codings_coder ON codings(coder, document_id);
CREATE INDEX idx_links_coding ON evidence_links(coding_id);
CREATE INDEX idx_links_indicator ON evidence_links(indicator_id)
"""
_GUID_TABLES = ("codes", "documents", "codings", "memos", "evidence_links")


@_step("m002_stable_identities")
def m002_stable_identities(db: Database) -> None:
    for statement in _SCHEMA_V2.split(";"):
        if statement.strip():
            db.execute(statement)
    for row in db.query("SELECT id FROM codes"):
        db.execute("UPDATE codes SET guid = ? WHERE id = ?", [code_guid(row["id"]), row["id"]])
    for table in _GUID_TABLES[1:]:
        for row in db.query(f"SELECT id FROM {table}"):
            db.execute(f"UPDATE {table} SET guid = ? WHERE id = ?", [new_guid(), row["id"]])
    for table in _GUID_TABLES:
        db.execute(f"CREATE UNIQUE INDEX idx_{table}_guid ON {table}(guid)")
    _number_indicator_values(db)
    db.execute("CREATE UNIQUE INDEX idx_indicator_values_key ON "
               "indicator_values(indicator_id, origin, year, kind, seq)")
    # A document's identity was its absolute source path: moving the corpus folder made every
    # note new. It is now site + file name (within the folder imported).
    for row in db.query("SELECT id, identity, source_path FROM documents"):
        if row["identity"].startswith("path:"):
            site = row["identity"].split(":", 2)[1]
            name = Path(row["source_path"] or row["id"]).name
            db.execute("UPDATE documents SET identity = ? WHERE id = ?",
                       [f"name:{site}:{name}", row["id"]])
    coders = {row[0] for row in db.execute(
        "SELECT coder FROM codings UNION SELECT actor FROM audit_log")}
    if not db.execute("SELECT 1 FROM project WHERE key = 'uuid'").fetchone():
        db.execute("INSERT INTO project (key, value) VALUES ('uuid', ?)", [new_guid()])
    for name in sorted(coders):
        ensure_coder(db, name)


def _number_indicator_values(db: Database) -> None:
    # Two statements for the same indicator, year and kind (32: 25 vs 30) are told apart by
    # their order in the file.
    seen: dict[tuple[object, ...], int] = {}
    for row in db.query("SELECT id, indicator_id, origin, year, kind FROM indicator_values "
                        "ORDER BY id"):
        key = (row["indicator_id"], row["origin"], row["year"], row["kind"])
        seen[key] = seen.get(key, -1) + 1
        db.execute("UPDATE indicator_values SET seq = ? WHERE id = ?", [seen[key], row["id"]])


# Schema version 3: review sessions and their decisions on disagreements. A decision is keyed
# by its unit (document, version, kind, ordinal) and code, never by a segment row id; a
# changed decision supersedes the old one, which is kept.
_SCHEMA_V3 = """
CREATE TABLE review_sessions (
    id TEXT PRIMARY KEY,
    coders TEXT NOT NULL,
    unit TEXT NOT NULL CHECK (unit IN ('sentence', 'paragraph', 'document')),
    threshold REAL NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE review_decisions (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES review_sessions(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    version INTEGER NOT NULL,
    unit_kind TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    code_id TEXT NOT NULL REFERENCES codes(id),
    verdict TEXT NOT NULL CHECK (verdict IN ('accept', 'reject', 'recode')),
    new_code_id TEXT REFERENCES codes(id),
    consensus_coding_id INTEGER REFERENCES codings(id),
    applied_by TEXT NOT NULL,
    comment TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    superseded_at TEXT,
    guid TEXT NOT NULL UNIQUE
);
CREATE UNIQUE INDEX idx_review_decisions_unit ON review_decisions(
    session_id, document_id, version, unit_kind, ordinal, code_id) WHERE superseded_at IS NULL
"""


@_step("m003_review_decisions")
def m003_review_decisions(db: Database) -> None:
    for statement in _SCHEMA_V3.split(";"):
        if statement.strip():
            db.execute(statement)


@_step("m004_lemma_readings")
def m004_lemma_readings(db: Database) -> None:
    # The lemma column now holds every reading of a word (bokmål and nynorsk lemma, the
    # headword itself): index what earlier versions stored the same way, so lemma search
    # finds the same in old projects as in new ones.
    rows = db.execute("SELECT rowid, text FROM segments_fts").fetchall()
    if not rows:
        return
    from kasus.nlp.pipeline import lemmatize  # loads the lemma tables: only when needed

    db.conn.executemany("UPDATE segments_fts SET lemmas = ? WHERE rowid = ?",
                        [(lemmatize(text), rowid) for rowid, text in rows])


@_step("m005_indicator_direction")
def m005_indicator_direction(db: Database) -> None:
    # Which way is better for each indicator, so a trend can be called improving or worsening;
    # the goals a theme's evidence counts for; indicators a code links only as context.
    db.execute("ALTER TABLE indicators ADD COLUMN desired TEXT NOT NULL DEFAULT 'neither' "
               "CHECK (desired IN ('up', 'down', 'neither'))")
    db.execute("CREATE TABLE code_goals (code_id TEXT NOT NULL REFERENCES codes(id), "
               "goal_id TEXT NOT NULL REFERENCES codes(id), PRIMARY KEY (code_id, goal_id))")
    db.execute("ALTER TABLE code_indicators ADD COLUMN context INTEGER NOT NULL DEFAULT 0")
    # An existing project takes the directions from the shipped indicator file, so its
    # verdicts mean the same as a new project's.
    from kasus.evidence.indicators import load_indicators
    from kasus.paths import data_root

    shipped = data_root() / "indicators.csv"
    if shipped.exists() and db.execute("SELECT count(*) FROM indicators").fetchone()[0]:
        for indicator in load_indicators(shipped):
            db.execute("UPDATE indicators SET desired = ? WHERE id = ?",
                       [indicator.desired, indicator.id])


# Schema version 6: the synthesis. A summary per matrix cell (site × code column) and a
# judgement per goal row are kept as versions, never overwritten; a judgement's grounds keep
# what they cited at citing time, so a ground that later changes or goes is flagged, not lost.
_SCHEMA_V6 = """
CREATE TABLE cell_summaries (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites(id),
    column_id TEXT NOT NULL REFERENCES codes(id),
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'reviewed')),
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    restored_from INTEGER,
    guid TEXT NOT NULL UNIQUE,
    UNIQUE (site_id, column_id, version)
);
CREATE TABLE goal_judgements (
    id INTEGER PRIMARY KEY,
    goal_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    level TEXT NOT NULL,
    text TEXT NOT NULL,
    parts TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('draft', 'reviewed')),
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    restored_from INTEGER,
    guid TEXT NOT NULL UNIQUE,
    UNIQUE (goal_id, version)
);
CREATE TABLE judgement_grounds (
    id INTEGER PRIMARY KEY,
    goal_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('indicator', 'coding', 'link', 'cell')),
    ref TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    cited TEXT NOT NULL,
    cited_by TEXT NOT NULL,
    cited_at TEXT NOT NULL,
    removed_at TEXT,
    guid TEXT NOT NULL UNIQUE
);
CREATE INDEX idx_judgement_grounds_goal ON judgement_grounds(goal_id, kind, ref)
"""


@_step("m006_synthesis")
def m006_synthesis(db: Database) -> None:
    for statement in _SCHEMA_V6.split(";"):
        if statement.strip():
            db.execute(statement)


@_step("m007_word_forms")
def m007_word_forms(db: Database) -> None:
    # Every word form seen at import with its lemma readings, so a lemma search looks its query
    # up here instead of loading simplemma's dictionaries (seconds) in every process.
    # Rows are numbered so an import can tell cheaply which forms it has already written
    # (kasus.word_forms.store_forms): the largest id only grows, unless a rollback took some.
    db.execute("CREATE TABLE word_forms (id INTEGER PRIMARY KEY, form TEXT NOT NULL UNIQUE, "
               "readings TEXT NOT NULL, headword INTEGER NOT NULL)")
    texts = [row[0] for row in db.execute("SELECT text FROM documents")]
    if texts:
        from kasus.word_forms import forms_of, store_forms  # loads the lemma tables

        store_forms(db, forms_of(*texts))


@_step("m008_sentence_ranges")
def m008_sentence_ranges(db: Database) -> None:
    # Each document's current sentences as one run of index rowids, so search can walk the
    # index document by document in display order and count per site or round without
    # joining every match (kasus.search_order). Rows are written by store_segments.
    db.execute("CREATE TABLE sentence_ranges (document_id TEXT PRIMARY KEY REFERENCES "
               "documents(id), version INTEGER NOT NULL, first_id INTEGER, last_id INTEGER, "
               "ordered INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("CREATE INDEX idx_documents_order ON documents(site_id, date, id, version, "
               "role, round)")
    from kasus.documents import store_range

    for document_id, version in db.execute("SELECT id, version FROM documents").fetchall():
        store_range(db, document_id, version, db.execute(
            "SELECT id, kind, start FROM segments WHERE document_id = ? AND version = ? "
            "ORDER BY id", [document_id, version]).fetchall())


@_step("m009_documents_by_hash")
def m009_documents_by_hash(db: Database) -> None:
    # An import asks twice per file whether the project holds its text already: without an
    # index each question read every document row (seconds over a 3,000-note import).
    db.execute("CREATE INDEX idx_documents_hash ON documents(content_hash)")


def new_guid() -> str:
    """A fresh identity for a record made here (a document, a coding, a memo)."""
    return str(uuid.uuid4())


def project_uuid(db: Database) -> str:
    """The project's own identity (set by m002), '' for a file without one."""
    row = db.execute("SELECT value FROM project WHERE key = 'uuid'").fetchone()
    return str(row[0]) if row else ""


def code_guid(code_id: str) -> str:
    """A code's GUID follows from its codebook id, so every project loading the same codebook
    gives a code the same GUID, and exports and merges agree on it."""
    return str(uuid.uuid5(KASUS_NAMESPACE, f"code:{code_id}"))


def ensure_coder(db: Database, name: str) -> None:
    """Register a coder name (once) with its stable GUID, inside the caller's transaction."""
    db.execute("INSERT OR IGNORE INTO coders (name, guid, created_at) VALUES (?, ?, ?)",
               [name, str(uuid.uuid5(KASUS_NAMESPACE, f"coder:{name}")),
                datetime.now(UTC).isoformat(timespec="milliseconds")])


def check_schema(db: Database, path: Path) -> None:
    """Refuse files that are not kasus projects or were written by a newer kasus."""
    tables = set(db.table_names())
    if MIGRATIONS.migrations_table not in tables or "codings" not in tables:
        raise ProjectError(f"{path}: not a kasus project (an SQLite file with other tables)")
    known = set(SCHEMA_STEPS)
    applied = {migration.name for migration in MIGRATIONS.applied(db)}
    newer = sorted(applied - known)
    if newer:
        raise ProjectError(
            f"{path}: made by a newer kasus (schema step {newer[-1]})",
            "upgrade kasus to open it",
        )
