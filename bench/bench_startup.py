"""CLI start-up: whole-process medians of `kasus --version`, `stats`, `code` and `search WORD`
against a small project (the demo corpus), beside `python -c pass` as the floor.

Run: .venv/bin/python bench/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kasus.demo import CORPUS
from kasus.importing.importer import run_import
from kasus.project import init_project

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "small.db"
        db = init_project(project, "bench")
        run_import(db, [CORPUS], "bench")
        document_id, start, end = db.execute(
            "SELECT document_id, start, \"end\" FROM segments WHERE kind = 'sentence' "
            "ORDER BY id LIMIT 1").fetchone()
        db.close()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KASUS_CODER": "bench",
               "KASUS_PROJECT": str(project)}
        kasus = [sys.executable, "-m", "kasus"]
        floor = median_seconds([sys.executable, "-c", "pass"], args.runs, env)
        commands = [("kasus --version", ["--version"]), ("kasus stats", ["stats"]),
                    ("kasus code DOC START END bolig",
                     ["code", document_id, str(start), str(end), "bolig"]),
                    ("kasus search bolig", ["search", "bolig"])]
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
              f"medians of {args.runs} whole-process runs")
        print(f"{'command':<34} {'seconds':>8} {'floor':>8} {'ratio':>7}")
        for name, arguments in commands:
            seconds = median_seconds([*kasus, *arguments], args.runs, env)
            print(f"{name:<34} {seconds:>8.2f} {floor:>8.2f} {seconds / floor:>6.1f}×")
        print(f"(floor: python -c pass, {floor:.3f} s)")


if __name__ == "__main__":
    main()
