"""Open and create project files: WAL, busy timeout, foreign keys, owner-only permissions."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from kasus.errors import ProjectError
from kasus.store.schema import MIGRATIONS, check_schema

BUSY_TIMEOUT_MS = 30_000
SQLITE_HEADER = b"SQLite format 3\x00"
# Where a project may live: on these the WAL's shared-memory index is not shared between
# machines (or not reliably locked), so two computers writing one file can corrupt it.
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "afs", "9p", "ceph", "glusterfs",
                       "lustre", "gpfs", "davfs", "ncpfs"}
NETWORK_FUSE = {"sshfs", "glusterfs", "s3fs", "gcsfuse", "rclone", "davfs2", "smbnetfs"}
MOUNTS_FILE = Path("/proc/self/mounts")


def _connect(path: Path) -> Database:
    # check_same_thread=False: the TUI hands a connection to one worker at a time, never two.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = Database(conn, execute_plugins=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _use_wal(db: Database, path: Path) -> None:
    # Only once the file is known to be a kasus project: WAL mode is written into the file,
    # and another application's database must be left as it was.
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise ProjectError(f"{path}: could not switch to WAL mode (got {mode})")
    # FULL: a commit is on disk before kasus says saved, even if the power goes; NORMAL would
    # keep the file sound but could lose the last commits. A coding's fsync costs milliseconds.
    db.execute("PRAGMA synchronous = FULL")


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
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as error:
        raise ProjectError(f"{path}: cannot create it ({error.strerror})",
                           "choose a folder you can write") from None
    os.close(fd)
    try:
        db = _connect(path)
        _use_wal(db, path)
        MIGRATIONS.apply(db)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return db


def open_project(path: str | Path) -> Database:
    """Open an existing project, applying pending forward migrations.

    Only `kasus init` creates: a path that is not a kasus project file is refused with a
    one-line reason, and nothing is written to it.
    """
    path = Path(path)
    refuse_unless_project_file(path)
    db = _connect(path)
    try:
        check_schema(db, path)
        _use_wal(db, path)
        if MIGRATIONS.pending(db):
            with transaction(db):
                MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as error:
        db.close()
        raise ProjectError(f"{path}: not a readable kasus project ({error})",
                           "restore it from a backup (`kasus backup` makes one)") from error
    except BaseException:
        db.close()
        raise
    return db


def refuse_unless_project_file(path: Path) -> None:
    """Raise a ProjectError naming why path cannot be opened as a project, before SQLite
    touches it (SQLite would create a missing file, or open a read-only one half-working)."""
    if not path.exists():
        raise ProjectError(f"{path}: no such project", _missing_hint(path))
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file", "pass the .db file")
    if not os.access(path, os.R_OK):
        raise ProjectError(f"{path}: cannot read it (permission denied)",
                           "ask its owner, or open your own copy")
    if path.stat().st_size == 0:
        raise ProjectError(f"{path}: not a kasus project (empty file)",
                           "create a project with `kasus init PATH`")
    if not looks_like_sqlite(path):
        raise ProjectError(f"{path}: not a kasus project (not an SQLite file)")
    _refuse_read_only(path)
    truncated = _truncation(path)
    if truncated:
        raise ProjectError(f"{path}: truncated ({truncated[0]:,} of {truncated[1]:,} bytes)",
                           "restore it from a backup (`kasus backup` makes one)")


def _missing_hint(path: Path) -> str:
    folder = path.parent if path.parent.is_dir() else None
    nearby = sorted(p.name for p in folder.glob("*.db"))[:3] if folder else []
    if nearby:
        return f"projects in {folder}: {', '.join(nearby)}; `kasus init PATH` creates a new one"
    return "create one with `kasus init PATH` or pass --project"


def _writable(path: Path) -> bool:
    # The owner's write bit counts even for root: a file marked read-only is kept that way.
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & stat.S_IWUSR)


def _refuse_read_only(path: Path) -> None:
    if not _writable(path):
        raise ProjectError(f"{path}: read-only, kasus cannot save to it",
                           "make it writable (chmod u+w) or work on a copy")
    folder = path.resolve().parent
    if not _writable(folder):
        raise ProjectError(f"{folder}: folder is read-only; kasus keeps the project's -wal and "
                           "-shm files beside it", "move the project to a folder you can write")


def _truncation(path: Path) -> tuple[int, int] | None:
    """(size, size the header promises) when the file is shorter than its header says.

    Read without SQLite's locks, so only when no other connection is at work (no -wal or
    -shm beside it: another process's checkpoint grows the file after writing the header),
    and only when a second look agrees: a real truncation stays, a race passes.
    """
    for _ in range(2):
        if any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm")):
            return None
        size, expected = path.stat().st_size, _size_in_header(path)
        if expected <= size:
            return None
    return size, expected


def _size_in_header(path: Path) -> int:
    """The file size the SQLite header promises (page size × page count), 0 if unknown."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100:
        return 0
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The count is valid only when written by SQLite ≥ 3.7.0 in the same change.
    if header[24:28] != header[92:96]:
        return 0
    return page_size * pages


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


def network_filesystem(path: str | Path, mounts: str | None = None) -> str | None:
    """The file-system type when the project sits on a network share, where WAL is unsafe.

    mounts is the text of /proc/self/mounts (read when not given); the deepest mount point
    holding the project's real path decides.
    """
    if mounts is None:
        try:
            mounts = MOUNTS_FILE.read_text()
        except OSError:
            return None
    target = os.path.realpath(path)
    best, best_type = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point, fs_type = _unescape(parts[1]), parts[2]
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, fs_type
    return best_type if _is_network(best_type) else None


def _unescape(field: str) -> str:
    # /proc/mounts writes a space in a mount point as \040 (tab \011, newline \012).
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), field)


def _is_network(fs_type: str) -> bool:
    base, _, sub = fs_type.partition(".")
    return base in NETWORK_FILESYSTEMS or (base == "fuse" and sub in NETWORK_FUSE)


def open_warnings(path: str | Path) -> list[str]:
    """What to tell the user when opening the project: where it lives, who can read it."""
    return [warning for warning in (network_warning(path), exposure_warning(path)) if warning]


def exposure_warning(path: str | Path) -> str | None:
    """A warning when anyone on the machine may read the project (its -wal and -shm files
    take its mode). Group access is left alone: a team on one machine shares by group."""
    try:
        mode = stat.S_IMODE(Path(path).stat().st_mode)
    except OSError:
        return None
    if not mode & 0o007:
        return None
    return (f"{path} can be read by anyone on this machine (mode {mode:04o}), and so can its "
            f"-wal and -shm files; interview notes are personal data: run `chmod o= {path}`")


def network_warning(path: str | Path, mounts: str | None = None) -> str | None:
    """The warning to show when a project is opened on a network share, else None."""
    fs_type = network_filesystem(path, mounts)
    if fs_type is None:
        return None
    return (f"{path} is on a network file system ({fs_type}): SQLite's WAL mode needs shared "
            "memory on one machine, so two computers writing this file can corrupt it. For a "
            "team, give each coder a project file on their own disk and combine them with "
            "`kasus merge`, or work on one machine over SSH with the project on its local disk.")


def data_version(db: Database) -> int:
    """A number that changes whenever another connection commits to the project: lets a
    long-running view (the TUI) notice a CLI import or another writer."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])
