"""Pseudonymisation speed: the names matcher on a 20,000-word note with a 500-person names
list, and `kasus pseudonymise` over the demo corpus with its codings.

Prints median wall times of repeated runs. Run: .venv/bin/python bench/bench_pseudonymise.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import long_note
from bench.timing import median_ms
from kasus.coding.batch import apply_batch
from kasus.corpus.keyfile import Key
from kasus.corpus.names import Entity
from kasus.corpus.pseudonymise import pseudonymise_documents
from kasus.corpus.replacing import Pseudonymiser
from kasus.demo import CORPUS
from kasus.importing.importer import run_import
from kasus.paths import data_root
from kasus.project import init_project

FIRST = ("Kari", "Per", "Ola", "Anne", "Ingrid", "Lars", "Nils", "Berit", "Solveig", "Tor")
LAST = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg")


def people(count: int) -> list[Entity]:
    rng = random.Random(3)
    found = []
    for number in range(count):
        first, last = f"{rng.choice(FIRST)}{number}", f"{rng.choice(LAST)}{number}"
        found.append(Entity(f"{first} {last}", "PERSON", (first, last)))
    return found


def main() -> None:
    key = Key(Path("unused"))
    key.add_names(people(500))
    text = long_note(20_000)
    print(f"{'compile matcher, 500 people x 3 forms':<52} "
          f"{median_ms(lambda: Pseudonymiser(key)):10.2f} ms")
    replacer = Pseudonymiser(key)
    print(f"{'find replacements in a 20,000-word note':<52} "
          f"{median_ms(lambda: replacer.replacements(text)):10.2f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        db = init_project(Path(tmp) / "bench.db", "bench")
        run_import(db, [CORPUS], "bench")
        for name in ("demo-a", "demo-b"):
            apply_batch(db, CORPUS / "codings" / f"{name}.jsonl", name)
        codings = db.execute("SELECT count(*) FROM codings").fetchone()[0]
        start = time.perf_counter()
        report = pseudonymise_documents(db, "bench", names_file=data_root() / "corpus" /
                                        "names.yaml", dry_run=True)
        print(f"{'dry run over the demo corpus (24 notes)':<52} "
              f"{(time.perf_counter() - start) * 1000:10.2f} ms")
        start = time.perf_counter()
        report = pseudonymise_documents(db, "bench", names_file=data_root() / "corpus" /
                                        "names.yaml")
        touched = sum(1 for result in report.documents if result.replacements)
        print(f"{f'pseudonymise {touched} notes, {codings} codings in the project':<52} "
              f"{(time.perf_counter() - start) * 1000:10.2f} ms (once; segmenting included)")


if __name__ == "__main__":
    main()
