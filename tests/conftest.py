"""Shared fixtures: isolated environment, projects built through the core API, a CLI runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlite_utils import Database

from kasus.cli import main
from kasus.demo import build_demo
from kasus.project import init_project
from kasus.store import open_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's config, project or colour settings."""
    monkeypatch.setenv("KASUS_CODER", "tester")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.delenv("KASUS_PROJECT", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project with both demo coders' codings, built once per test session (per
    xdist worker). Tests copy it and never write to it."""
    path = tmp_path_factory.mktemp("demo-master") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A new project with the shipped codebook, indicators and sites."""
    path = tmp_path / "project.db"
    init_project(path, actor="tester").close()
    return path


@pytest.fixture
def db(project_path: Path) -> Iterator[Database]:
    database = open_project(project_path)
    yield database
    database.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the real `kasus` entry point in-process and capture its exit code and output."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
