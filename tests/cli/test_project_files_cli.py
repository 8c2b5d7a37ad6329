"""Project files that are not what they seem: each refused in one line, nothing written to it."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
COMMANDS = [("stats",), ("check",), ("code", "doc-1", "0", "5", "bolig"), ("open",)]


def _fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest()
                                         if p.is_file() else "folder")
            for p in sorted(folder.rglob("*"))}


def _refused(cli: Cli, project: Path, fragment: str) -> None:
    folder = project.parent
    before = _fingerprint(folder)
    for command in COMMANDS:
        result = cli("--project", str(project), *command)
        assert result.code == 1, (command, result)
        lines = result.err.strip().splitlines()
        assert len(lines) == 1, (command, result.err)
        assert str(project) in lines[0] and fragment in lines[0], (command, lines[0])
        assert "Traceback" not in result.err
    assert _fingerprint(folder) == before  # no -wal, no -shm, no byte changed


def test_a_text_file_is_refused(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Referat fra møte i Karmøy\n", encoding="utf-8")
    _refused(cli, path, "not an SQLite file")


def test_an_empty_file_is_refused(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    _refused(cli, path, "empty file")


def test_a_truncated_project_is_refused_with_its_size(project_path: Path, tmp_path: Path,
                                                      cli: Cli) -> None:
    path = tmp_path / "cut" / "study.db"
    path.parent.mkdir()
    data = project_path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    _refused(cli, path, f"truncated ({len(data) // 3:,} of {len(data):,} bytes)")


def test_another_applications_sqlite_file_is_refused(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "places.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.commit()
    conn.close()
    _refused(cli, path, "an SQLite file with other tables")


def test_a_folder_is_refused(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "study.db"
    path.mkdir()
    _refused(cli, path, "is a folder")


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """chmod a-w, undone afterwards so pytest can clean up."""
    changed: list[Path] = []

    def make(path: Path) -> None:
        path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)
        changed.append(path)

    yield make
    for path in changed:
        path.chmod(stat.S_IMODE(path.stat().st_mode) | stat.S_IWUSR)


def test_a_read_only_project_is_refused(project_path: Path, tmp_path: Path, cli: Cli,
                                        read_only: Callable[[Path], None]) -> None:
    path = tmp_path / "archive" / "study.db"
    path.parent.mkdir()
    shutil.copy(project_path, path)
    read_only(path)
    _refused(cli, path, "read-only")


def test_a_project_in_a_read_only_folder_is_refused(project_path: Path, tmp_path: Path,
                                                    cli: Cli,
                                                    read_only: Callable[[Path], None]) -> None:
    folder = tmp_path / "cd-rom"
    folder.mkdir()
    path = folder / "study.db"
    shutil.copy(project_path, path)
    read_only(folder)
    before = _fingerprint(folder)
    result = cli("--project", str(path), "stats")
    assert result.code == 1
    [line] = result.err.strip().splitlines()
    assert "folder is read-only" in line and str(folder.resolve()) in line
    assert _fingerprint(folder) == before


def test_a_missing_project_is_never_created(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "study.db"
    _refused(cli, path, "no such project")
    assert not path.exists()
    assert not list(tmp_path.glob("study.db*"))


def test_a_misspelt_project_name_points_at_the_projects_there(project_path: Path,
                                                              cli: Cli) -> None:
    typo = project_path.with_name("projcet.db")
    result = cli("--project", str(typo), "stats")
    assert result.code == 1
    [line] = result.err.strip().splitlines()
    assert "no such project" in line and project_path.name in line
    assert not typo.exists()


def test_only_init_creates_and_it_refuses_an_existing_file(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "study.db"
    assert cli("init", str(path)).code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    result = cli("init", str(path))
    assert result.code == 1 and "already exists" in result.err
    assert path.read_bytes() == before


def test_a_backup_or_project_where_nothing_can_be_written_is_one_line(
        project_path: Path, cli: Cli) -> None:
    # /proc refuses new files even to root: a folder nobody can write.
    for args in (("init", "/proc/kasus-study.db"),
                 ("--project", str(project_path), "backup", "/proc/kasus-backup.db")):
        result = cli(*args)
        assert result.code == 1, args
        [line] = result.err.strip().splitlines()
        assert "cannot" in line and "Traceback" not in result.err, line
