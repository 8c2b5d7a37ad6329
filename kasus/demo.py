"""The demo project: the fictional notes in corpus/ imported into a project of their own."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from kasus.coding.batch import apply_batch
from kasus.importing.importer import ImportReport, run_import
from kasus.paths import data_root, demo_project
from kasus.project import init_project
from kasus.store import open_project

CORPUS = data_root() / "corpus"
DEFAULT_DEMO_PROJECT = demo_project()
DEMO_CODER = "demo"
# Two coders' independent codings of every demo note (corpus/codings/README.md).
DEMO_CODINGS = ("demo-a", "demo-b")


def build_demo(path: str | Path = DEFAULT_DEMO_PROJECT, corpus: Path = CORPUS) -> ImportReport:
    """Create the demo project at path from corpus/ with both demo coders' codings (kept as
    it is if it already exists)."""
    path = Path(path)
    if path.exists():
        db = open_project(path)
        try:
            _load_demo_codings(db, corpus)  # a demo made before the codings shipped gets them
        finally:
            db.close()
        return ImportReport()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = init_project(path, DEMO_CODER, sites_path=corpus / "sites.yaml")
    try:
        report = run_import(db, [corpus], DEMO_CODER)
        _load_demo_codings(db, corpus)
        return report
    finally:
        db.close()


def _load_demo_codings(db: Database, corpus: Path) -> None:
    for coder in DEMO_CODINGS:
        if not db.execute("SELECT 1 FROM codings WHERE coder = ? LIMIT 1", [coder]).fetchone():
            apply_batch(db, corpus / "codings" / f"{coder}.jsonl", coder)
