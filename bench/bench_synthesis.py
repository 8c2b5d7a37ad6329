"""Synthesis speed at 10,000 codings: the calls the matrix, cell and goal screens make, and
the synthesis exports.

The demo corpus is imported and 10,000 codings spread over it (as bench_export does); every
matrix cell gets a summary and each goal row a judgement citing three indicators, twenty
codings and every site's cell. Screen calls are the median of five runs; exports run once.
Run: .venv/bin/python bench/bench_synthesis.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlite_utils import Database

from bench.bench_export import CODINGS, seed_codings
from bench.timing import median_ms
from kasus.coding.codings import list_codings
from kasus.demo import CORPUS
from kasus.export.run import run_export
from kasus.importing.importer import run_import
from kasus.project import init_project
from kasus.synthesis.columns import GOAL_AREAS, GOAL_ROWS, ColumnChoice
from kasus.synthesis.grounds import cite
from kasus.synthesis.judgements import save_judgement
from kasus.synthesis.matrix import build_matrix, cell_detail
from kasus.synthesis.overview import goal_row, goal_table
from kasus.synthesis.summaries import save_summary

RUNS = 5


def seed_synthesis(db: Database) -> None:
    matrix = build_matrix(db)
    for site in matrix.sites:
        for column in matrix.columns:
            save_summary(db, site.id, column.id, "bench", f"{site.name} om {column.id}.\nMer.")
    for goal in GOAL_ROWS:
        save_judgement(db, goal, "bench", "middels", f"Vurdering av {goal}.")
        indicators = [row[0] for row in db.execute(
            "SELECT id FROM indicators WHERE area = ? ORDER BY id LIMIT 3", [GOAL_AREAS[goal]])]
        for indicator in indicators:
            cite(db, goal, f"indicator:{indicator}", "bench")
        for coding in list_codings(db, code_id=goal, with_descendants=True)[:20]:
            cite(db, goal, f"coding:{coding.id}", "bench")
        for site in matrix.sites:
            cite(db, goal, f"cell:{site.id}/{goal}", "bench")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        db = init_project(root / "bench.db", "bench")
        run_import(db, [CORPUS], "bench")
        seed_codings(db, CODINGS)
        seed_synthesis(db)
        codes = ColumnChoice("codes", codes=("rop", "bolig", "hm4.arbeid", "hm3.lar",
                                             "pakkeforlop", "samarbeid", "kompetanse",
                                             "finansiering", "organisering", "recovery"))
        screens = [("matrix, six goal columns", lambda: build_matrix(db)),
                   ("matrix, ten code columns", lambda: build_matrix(db, codes)),
                   ("cell detail karmoy × hm4", lambda: cell_detail(db, "karmoy", "hm4")),
                   ("goal row 4 with 29 grounds", lambda: goal_row(db, 4)),
                   ("goal table, six rows", lambda: goal_table(db))]
        print(f"synthesis on a project with {CODINGS:,} codings (24 notes), median of {RUNS}")
        for name, call in screens:
            print(f"  {name:<34} {median_ms(call, RUNS):8.1f} ms")
        for kind, fmt in (("matrix", "docx"), ("matrix", "xlsx"), ("goals", "docx"),
                          ("goals", "xlsx"), ("goals", "md")):
            began = time.perf_counter()
            run_export(db, kind, fmt, root / f"{kind}.{fmt}", with_summaries=True)
            print(f"  export {kind} {fmt:<24} {(time.perf_counter() - began) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
