"""Every benchmark at its small size in one run (`make bench`), each figure beside its floor.

Runs bench_import, bench_search, bench_tui and bench_startup one after another, each as its own
process (so one's caches and loaded modules do not flatter the next), and prints their tables
with the load average, since the machine may be shared.
Run: .venv/bin/python bench/run_all.py [--size 9M]   (--size grows import and search only)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="300k", help="words for import and search (9M …)")
    parser.add_argument("--folder", type=Path, help="keep built notes and projects here")
    args = parser.parse_args()
    kept = ["--folder", str(args.folder)] if args.folder else []
    runs = [
        ("import", ["bench_import.py", "--size", args.size, *kept]),
        ("search", ["bench_search.py", "--size", args.size, "--runs", "10", *kept]),
        ("TUI", ["bench_tui.py", "--runs", "3"]),
        ("CLI start-up", ["bench_startup.py", "--runs", "5"]),
    ]
    env = {**os.environ, "PYTHONPATH": str(BENCH.parent), "KASUS_CODER": "bench"}
    started = time.perf_counter()
    failed = []
    for title, (script, *arguments) in runs:
        print(f"\n## {title}  (load average {os.getloadavg()[0]:.1f})", flush=True)
        result = subprocess.run([sys.executable, str(BENCH / script), *arguments], env=env)
        if result.returncode != 0:
            failed.append(title)
    print(f"\nall benchmarks in {time.perf_counter() - started:.0f} s"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
