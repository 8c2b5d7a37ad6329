"""Import speed at N words, whole-process, beside same-run floors on the same text.

Synthetic 3,000-word notes (bench/synthetic.py) are written as Markdown files and imported by
`python -m kasus import FOLDER`, as a user would: extraction, segmentation, lemmas, word forms
and the search index, on the worker processes the import starts. Peak RSS is the largest sum of
the resident sizes of kasus and its workers, sampled every 20 ms (shared pages count in each).
The floors, run after it on the same text:
- sqlite3 + FTS5: a bare bulk insert (one transaction, executemany) of the same sentences and
  lemma columns into a plain FTS5 table, with the segment rows beside them: the storing alone;
- spaCy blank("nb") + sentencizer + simplemma alone: every note through nlp.pipe paragraph by
  paragraph (the fast way to feed its tokenizer), simplemma's lemma for every token, one
  process: the language work alone, on one core.
Run: .venv/bin/python bench/bench_import.py [--size 300k|9M] [--folder DIR]
(DIR keeps the notes for the next run; without it a temporary folder is used).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import long_note

ROOT = Path(__file__).resolve().parent.parent

WORDS_PER_NOTE = 3_000
SITES = ("Oslo kommune", "Bydel Sagene", "Trondheim", "Horten", "Karmøy", "Tromsø")
FLOOR_DDL = ("CREATE VIRTUAL TABLE floor USING fts5(text, lemmas, "
             "tokenize = 'unicode61 remove_diacritics 0')")


def words(size: str) -> int:
    """'300k' -> 300000, '9M' -> 9000000."""
    factor = {"k": 1_000, "m": 1_000_000}.get(size[-1].lower(), 1)
    return int(float(size.rstrip("kKmM")) * factor)


def write_notes(folder: Path, count: int) -> Path:
    """count notes in folder/notes-COUNT, written once and reused."""
    notes = folder / f"notes-{count}"
    if notes.exists() and len(list(notes.iterdir())) == count:
        return notes
    notes.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        site = SITES[number * len(SITES) // count]
        (notes / f"syn-{number:05d}.md").write_text(
            f"---\nsite: {site}\nrole: leder\ndate: 2019-{number % 12 + 1:02d}-14\n---\n"
            + long_note(WORDS_PER_NOTE, seed=number), encoding="utf-8")
    return notes


def _group_sample(group: int, cpu: dict[int, float]) -> int:
    """Resident bytes of every process in a process group (kasus, its forkserver, workers);
    records each one's CPU seconds so far in cpu, by pid."""
    total = 0
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # field 5 of stat: the process group
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # field 24: rss pages
                cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks  # utime+stime
        except (OSError, ValueError, IndexError):
            continue
    return total


def timed_import(project: Path, notes: Path) -> tuple[float, int, float, float]:
    """Wall seconds of `kasus import`, the peak RSS of its process group and the CPU seconds
    of its processes, all and the writer's (as last sampled every 20 ms: a little is missed
    at each one's end)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KASUS_CODER": "bench"}
    subprocess.run([sys.executable, "-m", "kasus", "init", str(project)], env=env, check=True,
                   capture_output=True)
    peak = 0
    cpu: dict[int, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kasus", "--project", str(project),
                                "import", str(notes), "--json"], env=env,
                               stdout=subprocess.DEVNULL, start_new_session=True)

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, _group_sample(process.pid, cpu))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    elapsed = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"kasus import failed ({process.returncode})")
    return elapsed, peak, sum(cpu.values()), cpu.get(process.pid, 0.0)


def fts_floor(project: Path, folder: Path) -> float:
    """Seconds to bulk-insert the project's sentences and segments into a bare FTS5 file."""
    source = sqlite3.connect(project)
    index = source.execute("SELECT rowid, text, lemmas FROM segments_fts").fetchall()
    segments = source.execute('SELECT id, document_id, version, kind, ordinal, start, "end" '
                              "FROM segments").fetchall()
    source.close()
    path = folder / "floor.db"
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(FLOOR_DDL)
    conn.execute("CREATE TABLE segments (id INTEGER PRIMARY KEY, document_id, version, kind, "
                 "ordinal, start, end_)")
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?)", segments)
        conn.executemany("INSERT INTO floor (rowid, text, lemmas) VALUES (?, ?, ?)", index)
    elapsed = time.perf_counter() - started
    conn.close()
    path.unlink()
    return elapsed


def spacy_floor(notes: Path) -> float:
    """Seconds for spaCy blank("nb") + sentencizer + simplemma over the notes, one process,
    loading both included (as the import's workers do)."""
    script = r"""
import sys, time
from pathlib import Path
started = time.perf_counter()
import simplemma, spacy
nlp = spacy.blank("nb")
nlp.add_pipe("sentencizer")
lemmas = 0
for path in sorted(Path(sys.argv[1]).iterdir()):
    text = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    for doc in nlp.pipe(text.split("\n\n")):
        for sentence in doc.sents:
            lemmas += sum(1 for token in sentence
                          if simplemma.lemmatize(token.text.lower(), lang="nb"))
print(time.perf_counter() - started)
"""
    result = subprocess.run([sys.executable, "-c", script, str(notes)], check=True,
                            capture_output=True, text=True)
    return float(result.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="300k")
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        count = max(1, round(words(args.size) / WORDS_PER_NOTE))
        notes = write_notes(folder, count)
        project = folder / f"import-{count}.db"
        for stale in folder.glob(f"{project.name}*"):
            stale.unlink()
        load = os.getloadavg()[0]
        seconds, peak, cpu, writer = timed_import(project, notes)
        stored = sqlite3.connect(project).execute(
            "SELECT sum(word_count), count(*) FROM documents").fetchone()
        fts = fts_floor(project, folder)
        language = spacy_floor(notes)
        print(f"{stored[0]:,} words in {stored[1]:,} notes; load average {load:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores")
        print(f"{'figure':<46} {'seconds':>8} {'s per M words':>14} {'kasus ratio':>12}")
        million = stored[0] / 1e6
        rows = [("kasus import (whole process, all cores)", seconds),
                ("floor: sqlite3 + FTS5 bulk insert", fts),
                ("floor: spaCy + sentencizer + simplemma, 1 core", language)]
        for name, value in rows:
            ratio = "" if value is seconds else f"{seconds / value:.1f}×"
            print(f"{name:<46} {value:>8.1f} {value / million:>14.2f} {ratio:>12}")
        print(f"kasus import peak RSS (kasus + workers): {peak / 2**20:.0f} MB; CPU time of "
              f"its processes {cpu:.1f} s ({cpu / seconds:.0%} of one core over the run), of "
              f"which the writer (the kasus process) {writer:.1f} s")


if __name__ == "__main__":
    main()
