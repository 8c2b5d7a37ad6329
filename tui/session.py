"""What every screen needs to call the core: the project path, its one connection, the coder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kasus.store import open_project


@dataclass
class Session:
    """The app's project connection; slow workers open their own with `open_project(path)`."""

    project: Path
    coder: str
    # The sqlite_utils Database from kasus.store.open_project; typed loosely because the TUI
    # must not import the storage library.
    db: Any

    @classmethod
    def open(cls, project: Path, coder: str) -> Session:
        return cls(project, coder, open_project(project))

    def close(self) -> None:
        self.db.close()
