"""Open and create project files: WAL, busy timeout, foreign keys, owner-only permissions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from kasus.errors import ProjectError
from kasus.store.schema import MIGRATIONS, check_schema

DEFAULT_PROJECT = "kasus.db"
BUSY_TIMEOUT_MS = 30_000
SQLITE_HEADER = b"SQLite format 3\x00"
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "afs", "9p", "fuse.sshfs"}


def _connect(path: Path) -> Database:
    # check_same_thread=False: the TUI hands a connection to one worker at a time, never two.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = Database(conn, execute_plugins=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise ProjectError(f"{path}: could not switch to WAL mode (got {mode})")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def looks_like_sqlite(path: Path) -> bool:
    """True when the file starts with the SQLite header."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def create_project(path: str | Path) -> Database:
    """Create a new, empty project file readable by its owner only, with the current schema."""
    path = Path(path)
    if path.exists():
        raise ProjectError(f"{path}: already exists", "choose another path or open it instead")
    if not path.parent.exists():
        raise ProjectError(f"{path.parent}: folder does not exist", "create it first")
    # Create the file ourselves so it is 0600 from the first byte; SQLite gives the -wal and
    # -shm files the same permissions as the database file.
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        db = _connect(path)
        MIGRATIONS.apply(db)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return db


def open_project(path: str | Path) -> Database:
    """Open an existing project, applying pending forward migrations."""
    path = Path(path)
    if not path.exists():
        raise ProjectError(
            f"{path}: no such project", "create one with `kasus init PATH` or pass --project"
        )
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file", "pass the .db file")
    if path.stat().st_size == 0:
        raise ProjectError(f"{path}: not a kasus project (empty file)",
                           "create a project with `kasus init PATH`")
    if not looks_like_sqlite(path):
        raise ProjectError(f"{path}: not a kasus project (not an SQLite file)")
    try:
        db = _connect(path)
        check_schema(db, path)
        if MIGRATIONS.pending(db):
            with transaction(db):
                MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as error:
        raise ProjectError(f"{path}: not a readable kasus project ({error})") from error
    return db


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction, taken with BEGIN IMMEDIATE so concurrent writers queue, not fail.

    Nested use becomes a savepoint. The write lock is taken up front, so statements inside
    never meet SQLITE_BUSY; only BEGIN can, and it is retried.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    _begin_immediate(db)
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def _begin_immediate(db: Database) -> None:
    # The busy timeout makes SQLite wait for another writer; only a lock held past it fails.
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise ProjectError(
                "the project is locked by another writer for too long",
                "close other kasus windows or try again",
            ) from error
        raise


def network_filesystem(path: str | Path) -> str | None:
    """The file-system type when the project sits on a network share, where WAL is unsafe."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(Path(path).resolve())
    best, best_type = "", None
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point, fs_type = parts[1], parts[2]
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, best_type = mount_point, fs_type
    return best_type if best_type in NETWORK_FILESYSTEMS else None


def data_version(db: Database) -> int:
    """A number that changes whenever another connection commits to the project: lets a
    long-running view (the TUI) notice a CLI import or another writer."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])
