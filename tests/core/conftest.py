"""Fixtures of the core tests: a private, open copy of the demo project."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from kasus.store import open_project


@pytest.fixture
def demo(demo_master: Path, tmp_path: Path) -> Iterator[Database]:
    """The demo project with both demo coders' codings, copied for one test and open."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_master, copy)
    db = open_project(copy)
    yield db
    db.close()
