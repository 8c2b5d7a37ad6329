"""The demo project: the fictional notes in corpus/ imported into a project of their own."""

from __future__ import annotations

from pathlib import Path

from kasus.importing.importer import ImportReport, run_import
from kasus.paths import data_root, demo_project
from kasus.project import init_project
from kasus.store import open_project

CORPUS = data_root() / "corpus"
DEFAULT_DEMO_PROJECT = demo_project()
DEMO_CODER = "demo"


def build_demo(path: str | Path = DEFAULT_DEMO_PROJECT, corpus: Path = CORPUS) -> ImportReport:
    """Create the demo project at path from corpus/ (kept if it already exists)."""
    path = Path(path)
    if path.exists():
        db = open_project(path)
        db.close()
        return ImportReport()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = init_project(path, DEMO_CODER, sites_path=corpus / "sites.yaml")
    try:
        return run_import(db, [corpus], DEMO_CODER)
    finally:
        db.close()
