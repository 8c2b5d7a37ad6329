"""The project schema as forward migrations, and the check that a file is a kasus project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kasus.errors import ProjectError

MIGRATIONS = Migrations("kasus")
SCHEMA_STEPS: list[str] = []  # names of every migration this kasus knows, oldest first


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
