"""Export speed at 10,000 codings: every format, timed once each in one run.

The demo corpus is imported, then 10,000 codings are spread over its sentences and codes in
one transaction; each export is written to a temporary folder. The ratio beside each figure
is its time against the coded-segment CSV, the plainest export, measured in the same run.
Run: .venv/bin/python bench/bench_export.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlite_utils import Database

from kasus.codebook.codes import list_codes
from kasus.coding.codings import insert_coding
from kasus.demo import CORPUS
from kasus.documents import get_document, list_documents, segments_of
from kasus.export.run import run_export
from kasus.importing.importer import run_import
from kasus.project import init_project
from kasus.store import transaction

CODINGS = 10_000


def seed_codings(db: Database, count: int) -> None:
    rng = random.Random(7)
    codes = [code.id for code in list_codes(db, include_retired=False)]
    units = []
    for document in list_documents(db):
        text = get_document(db, document["id"]).text
        units += [(document["id"], s.start, s.end, text[s.start:s.end])
                  for s in segments_of(db, document["id"], "sentence")]
    with transaction(db):
        for n in range(count):
            document_id, start, end, quote = rng.choice(units)
            insert_coding(db, {"document_id": document_id, "code_id": rng.choice(codes),
                               "start": start, "end": end, "quote": quote,
                               "coder": f"coder-{n % 3}", "document_version": 1})


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        db = init_project(root / "bench.db", "bench")
        run_import(db, [CORPUS], "bench")
        seed_codings(db, CODINGS)
        # (kind, format, goal, site): the goal-4 summary and Karmøy's profile are the big ones.
        runs = [("codings", "csv", None, None), ("codings", "xlsx", None, None),
                ("matrix", "xlsx", None, None), ("summary", "md", 4, None),
                ("summary", "xlsx", 4, None), ("summary", "html", 4, None),
                ("summary", "docx", 4, None), ("site", "docx", None, "karmoy")]
        figures: list[tuple[str, float]] = []
        for kind, fmt, goal, site in runs:
            began = time.perf_counter()
            run_export(db, kind, fmt, root / f"{kind}-{len(figures)}.{fmt}", goal=goal,
                       site_id=site)
            scope = f"goal {goal}" if goal else f"site {site}" if site else ""
            figures.append((f"{kind} {fmt} {scope}".strip(), time.perf_counter() - began))
        base = figures[0][1]
        print(f"exports of a project with {CODINGS:,} codings (24 notes), one run each")
        for name, seconds in figures:
            print(f"  {name:<32} {seconds:7.2f} s   ×{seconds / base:5.1f} of codings csv")


if __name__ == "__main__":
    main()
