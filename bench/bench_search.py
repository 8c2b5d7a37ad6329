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
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_corpus import floor_database, project
from kasus.search import search_page

PAGE = 20
# (kind, query, options, the floor's FTS5 expression)
KINDS: list[tuple[str, str, dict[str, object], str]] = [
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


def percentiles(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """p50 and p95 in ms over runs, after one untimed warm-up run."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


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
        print(f"{'query':<32} {'hits':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'floor p50':>10} {'floor p95':>10} {'p95 ratio':>10}")
        infix = infix_expression(floor, "bolig")
        for kind, query, options, expression in KINDS:
            bare = infix if expression == "INFIX" else expression
            total = search_page(db, query, limit=PAGE, **options).total  # type: ignore[arg-type]
            p50, p95 = percentiles(lambda q=query, o=options: search_page(  # type: ignore[misc]
                db, q, limit=PAGE, **o), args.runs)
            f50, f95 = percentiles(lambda e=bare: floor.execute(
                "SELECT rowid, text FROM floor WHERE floor MATCH ? LIMIT ?",
                [e, PAGE]).fetchall(), args.runs)
            print(f"{kind:<32} {total:>8,} {p50:>8.1f} {p95:>8.1f} {f50:>10.2f} {f95:>10.2f} "
                  f"{p95 / f95:>9.0f}×")
        db.close()


if __name__ == "__main__":
    main()
