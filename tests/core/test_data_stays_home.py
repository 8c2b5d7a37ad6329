"""Nothing leaves the machine, nothing lingers: owner-only files even under a permissive umask,
no temp or cache file with note text, no network socket."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kasus.store import open_project
from tests import scenario
from tests.network_guard import network_attempts

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0)
    yield
    os.umask(old)


def test_every_file_kasus_writes_is_owner_only_under_a_permissive_umask(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, permissive_umask: None) -> None:
    work = tmp_path / "work"
    work.mkdir(mode=0o700)
    monkeypatch.chdir(work)
    asked = scenario.day_of_work(work)
    held = open_project(work / "study.db")  # held open, so the -wal and -shm files exist
    held.execute("INSERT INTO project (key, value) VALUES ('held', 'open')")
    try:
        made = [p for p in work.rglob("*") if not p.is_relative_to(work / "notes")]
        files = [p for p in made if p.is_file()]
        assert {work / "study.db-wal", work / "study.db-shm", *asked} <= set(files)
        assert work / "exports" / "codings.csv" in files
        modes = {str(p.relative_to(work)): oct(stat.S_IMODE(p.stat().st_mode)) for p in made}
        wrong = {name: mode for name, mode in modes.items()
                 if mode != ("0o700" if (work / name).is_dir() else "0o600")}
        assert wrong == {}
    finally:
        held.close()
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "kasus"
    from kasus.config import save_coder

    save_coder("anna")
    assert oct(stat.S_IMODE(config.stat().st_mode)) == "0o700"
    assert [oct(stat.S_IMODE(p.stat().st_mode)) for p in config.iterdir()] == ["0o600"]


def _files_holding(folder: Path, needle: bytes) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_no_temp_or_cache_file_holds_note_text(tmp_path: Path) -> None:
    """A whole day's work in a process of its own, with its own temp, cache and home."""
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    temp = outside / "tmp"
    temp.mkdir(parents=True)
    env = {key: value for key, value in os.environ.items() if key != "MPLCONFIGDIR"}
    env.update({"PYTHONPATH": str(ROOT), "TMPDIR": str(temp), "HOME": str(outside / "home"),
                "XDG_CACHE_HOME": str(outside / "cache"),
                "XDG_CONFIG_HOME": str(outside / "config"),
                "XDG_STATE_HOME": str(outside / "state"), "KASUS_CODER": "anna"})
    result = subprocess.run([sys.executable, "-m", "tests.scenario", str(work)], cwd=work,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert scenario.MARKER in (work / "summary.md").read_text(encoding="utf-8")  # it did run
    assert list(temp.iterdir()) == []
    assert _files_holding(outside, scenario.MARKER.encode("utf-8")) == []
    leftovers = [p.name for p in work.rglob("*") if ".partial" in p.name or "journal" in p.name]
    assert leftovers == []


def test_no_network_socket_during_import_search_coding_merge_backup_and_export(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with network_attempts() as attempts:
        scenario.day_of_work(tmp_path)
    assert attempts == []


def test_the_network_guard_sees_a_connection() -> None:
    # Without this the test above could pass with a guard that records nothing.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    with network_attempts() as attempts:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    listener.close()
    assert any(attempt.startswith("socket.connect") for attempt in attempts)
