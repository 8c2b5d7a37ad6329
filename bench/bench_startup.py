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


def median_seconds(commands: list[list[str]], env: dict[str, str]) -> float:
    """The median wall time of running each command once."""
    times = []
    for command in commands:
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
        # A sentence of its own for each `kasus code` run: the same span twice is refused.
        spans = db.execute(
            "SELECT document_id, start, \"end\" FROM segments WHERE kind = 'sentence' "
            "ORDER BY id LIMIT ?", [args.runs]).fetchall()
        db.close()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KASUS_CODER": "bench",
               "KASUS_PROJECT": str(project)}
        kasus = [sys.executable, "-m", "kasus"]
        floor = median_seconds([[sys.executable, "-c", "pass"]] * args.runs, env)
        commands = [("kasus --version", [["--version"]] * args.runs),
                    ("kasus stats", [["stats"]] * args.runs),
                    ("kasus code DOC START END bolig",
                     [["code", doc, str(start), str(end), "bolig"] for doc, start, end in spans]),
                    ("kasus search bolig", [["search", "bolig"]] * args.runs)]
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
              f"medians of {args.runs} whole-process runs")
        print(f"{'command':<34} {'seconds':>8} {'floor':>8} {'ratio':>7}")
        for name, arguments in commands:
            seconds = median_seconds([[*kasus, *run] for run in arguments], env)
            print(f"{name:<34} {seconds:>8.2f} {floor:>8.2f} {seconds / floor:>6.1f}×")
        print(f"(floor: python -c pass, {floor:.3f} s)")


if __name__ == "__main__":
    main()
