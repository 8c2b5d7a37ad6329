"""The project file: owner-only, WAL, migrations, and clear refusals of foreign files."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from kasus.errors import ProjectError
from kasus.store import create_project, open_project, transaction


def test_new_project_is_owner_only_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    db = create_project(path)
    db["project"].insert({"key": "k", "value": "v"})
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    for file in (path, Path(f"{path}-wal")):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    db.close()


def test_create_refuses_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_text("keep me")
    with pytest.raises(ProjectError, match="already exists"):
        create_project(path)
    assert path.read_text() == "keep me"


def test_open_refuses_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all")
    with pytest.raises(ProjectError, match="not a kasus project"):
        open_project(path)


def test_open_refuses_another_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not a kasus project"):
        open_project(path)


def test_open_refuses_a_project_from_a_newer_kasus(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    create_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('kasus', 'm999_from_the_future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="newer kasus"):
        open_project(path)


def test_missing_project_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project"):
        open_project(tmp_path / "nowhere.db")


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = create_project(tmp_path / "p.db")
    with pytest.raises(RuntimeError), transaction(db):
        db["project"].insert({"key": "half", "value": "written"})
        raise RuntimeError("crash in the middle")
    assert db["project"].count_where("key = 'half'") == 0
    db.close()


def test_open_refuses_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(ProjectError, match="empty file"):
        open_project(path)
    assert path.stat().st_size == 0
