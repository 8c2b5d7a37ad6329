"""Search speed per query kind at N words, beside a same-run floor: bare sqlite3 + FTS5.

A project of synthetic 3,000-word notes is stored through kasus's own storing code (prepare_text
and insert_document, as the importer does), with 2,000 sentences coded 'bolig'. Each query kind
runs repeatedly through kasus.search.search_page (a first page of 20 and the total); its floor
is the bare `SELECT rowid, text FROM floor WHERE floor MATCH ? LIMIT 20` on a plain FTS5 file of
the same sentences, with no filters, no order and no count.
Run: .venv/bin/python bench/bench_search.py [--size 300k|9M] [--runs 20] [--folder DIR]
(DIR keeps the built project for the next run; without it a temporary folder is used).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_corpus import floor_database, project
from kasus.search import search_page

PAGE = 20
# (kind, query, options, the floor's FTS5 expression)
KINDS: list[tuple[str, str, dict[str, Any], str]] = [
    ("common word 'og'", "og", {}, 'text : "og"'),
    ("word 'bolig'", "bolig", {}, 'text : "bolig"'),
    ("prefix 'bolig*'", "bolig*", {}, 'text : "bolig"*'),
    ("infix '*bolig*'", "*bolig*", {}, "INFIX"),
    ("phrase '\"housing first\"'", '"housing first"', {}, 'text : "housing first"'),
    ("lemma 'bolig'", "bolig", {"lemma": True}, 'lemmas : "bolig"'),
    ("'og' --site Karmøy", "og", {"site": "karmoy"}, 'text : "og"'),
    ("'bolig*' --site Karmøy", "bolig*", {"site": "karmoy"}, 'text : "bolig"*'),
    ("lemma 'bolig' --site Karmøy", "bolig", {"lemma": True, "site": "karmoy"},
     'lemmas : "bolig"'),
    ("'og' --round 2019", "og", {"round_": 2019}, 'text : "og"'),
    ("'bolig' --round 2019", "bolig", {"round_": 2019}, 'text : "bolig"'),
    ("'og' --code bolig", "og", {"code": "bolig"}, 'text : "og"'),
    ("lemma 'bolig' --code bolig", "bolig", {"lemma": True, "code": "bolig"},
     'lemmas : "bolig"'),
]


def words(size: str) -> int:
    """'300k' -> 300000, '9M' -> 9000000."""
    factor = {"k": 1_000, "m": 1_000_000}.get(size[-1].lower(), 1)
    return int(float(size.rstrip("kKmM")) * factor)


def percentiles(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """p50 and p95 of wall time and p95 of CPU time in ms over runs, after a warm-up run.

    CPU time is this thread's (SQLite runs in it): it shows the work done when the machine is
    shared and wall times wait for a core.
    """
    action()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return statistics.median(wall), _p95(wall), _p95(cpu)


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bare_query(floor: sqlite3.Connection, expression: str) -> list[tuple[int, str]]:
    """The floor: FTS5's first rows for the expression, nothing else."""
    return floor.execute("SELECT rowid, text FROM floor WHERE floor MATCH ? LIMIT ?",
                         [expression, PAGE]).fetchall()


def infix_expression(floor: sqlite3.Connection, stem: str) -> str:
    """The floor's infix query: its own vocabulary's words holding the stem, read once."""
    floor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, floor, 'col')")
    found = [row[0] for row in floor.execute(
        "SELECT term FROM temp.v WHERE col = 'text' AND instr(term, ?) > 0", [stem])]
    return "text : (" + " OR ".join(f'"{word}"' for word in found) + ")"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="300k")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        size = words(args.size)
        started = time.perf_counter()
        db = project(folder, size)
        floor = floor_database(folder, db)
        stored = db.execute("SELECT sum(word_count), count(*) FROM documents").fetchone()
        print(f"{stored[0]:,} words in {stored[1]:,} notes, "
              f"{db.execute('SELECT count(*) FROM segments_fts').fetchone()[0]:,} sentences "
              f"(ready in {time.perf_counter() - started:.1f} s); p50/p95 of {args.runs} runs")
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'query':<32} {'hits':>8} {'p50 ms':>8} {'p95 ms':>8} {'cpu p95':>8} "
              f"{'floor p50':>10} {'floor p95':>10} {'p95 ratio':>10}")
        infix = infix_expression(floor, "bolig")
        for kind, query, options, expression in KINDS:
            bare = infix if expression == "INFIX" else expression
            kasus = partial(search_page, db, query, limit=PAGE, **options)
            total = kasus().total
            p50, p95, cpu95 = percentiles(kasus, args.runs)
            f50, f95, _ = percentiles(partial(bare_query, floor, bare), args.runs)
            print(f"{kind:<32} {total:>8,} {p50:>8.1f} {p95:>8.1f} {cpu95:>8.1f} {f50:>10.2f} "
                  f"{f95:>10.2f} {p95 / f95:>9.0f}×")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        db.close()


if __name__ == "__main__":
    main()
