"""Core speed: import, segmentation, search, coding and re-anchoring on a 20,000-word note.

Prints median wall times of repeated runs and each figure as a share of one 60 Hz frame
(16.7 ms), all measured in this one run. Run: .venv/bin/python bench/bench_core.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import write_long_note
from bench.timing import median_ms
from kasus.coding.codings import apply_coding
from kasus.demo import CORPUS
from kasus.documents import get_document, segments_of
from kasus.importing.importer import run_import
from kasus.nlp.pipeline import segment
from kasus.project import init_project
from kasus.search import search

FRAME_MS = 1000 / 60


def report(name: str, ms: float) -> None:
    print(f"{name:<52} {ms:10.2f} ms   {ms / FRAME_MS:8.2f} frames")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = init_project(folder / "bench.db", "bench")
        start = time.perf_counter()
        run_import(db, [CORPUS], "bench")
        report("import demo corpus (24 notes), once", (time.perf_counter() - start) * 1000)
        note = write_long_note(folder, 20_000)
        start = time.perf_counter()
        run_import(db, [note], "bench")
        report("import one 20,000-word note, once", (time.perf_counter() - start) * 1000)
        text = get_document(db, "lang-01").text
        report("segment 20,000 words (paragraphs + sentences)", median_ms(lambda: segment(text)))
        report("search 'bolig' (all notes)", median_ms(lambda: search(db, "bolig")))
        report("search 'bolig' in lemma mode", median_ms(lambda: search(db, "bolig", lemma=True)))
        sentences = segments_of(db, "lang-01", "sentence")
        spans = iter(sentences[::2])

        def apply_one() -> None:
            seg = next(spans)
            apply_coding(db, "lang-01", seg.start, seg.end, "bolig", "bench")

        report("apply one coding (transaction + audit)", median_ms(apply_one, repeat=200))
        for seg in sentences[1:600:2]:
            apply_coding(db, "lang-01", seg.start, seg.end, "rop", "bench")
        codings = db.table("codings").count
        edited = text.replace("\n\n", "\n\nEt nytt avsnitt skutt inn i teksten.\n\n", 1)
        front_matter = note.read_text(encoding="utf-8").split("---\n", 2)[1]
        note.write_text(f"---\n{front_matter}---\n{edited}", encoding="utf-8")
        start = time.perf_counter()
        result = run_import(db, [note], "bench").results[0]
        report(f"re-import edited note, re-anchor {codings} codings",
               (time.perf_counter() - start) * 1000)
        print(f"  re-anchoring: {result.reanchored}")
        db.close()


if __name__ == "__main__":
    main()
