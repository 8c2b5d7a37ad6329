"""TUI speed: first document frame and code-and-repaint on a 20,000-word note with 500 codings.

Run: .venv/bin/python bench/bench_tui.py [--runs 5] [--words 20000] [--codings 500]
Prints medians (headless, 120×40); asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult
from textual.widgets import Footer, TextArea

from bench.synthetic import long_note
from kasus.codebook import list_codes
from kasus.coding.codings import apply_coding
from kasus.config import remember_document
from kasus.demo import CORPUS
from kasus.documents import segments_of
from kasus.importing.importer import run_import
from kasus.project import init_project
from kasus.store import open_project
from tui.app import KasusApp
from tui.screens.coding import CodingScreen

DOCUMENT = "bench-01"
SIZE = (120, 40)


def build_project(folder: Path, words: int, codings: int) -> Path:
    """A project with one synthetic note imported through the core, and random codings."""
    project = folder / "bench.db"
    notes = folder / "notes"
    notes.mkdir()
    front = f"---\nid: {DOCUMENT}\nsite: Karmøy\nrole: leder\ndate: 2019-10-03\n---\n"
    (notes / f"{DOCUMENT}.md").write_text(front + long_note(words), encoding="utf-8")
    db = init_project(project, "bench", sites_path=CORPUS / "sites.yaml")
    try:
        run_import(db, [notes], "bench")
        sentences = segments_of(db, DOCUMENT, "sentence")
        codes = [c.id for c in list_codes(db, include_retired=False)]
        rng = random.Random(11)
        for _ in range(codings):
            first = rng.randrange(len(sentences) - 3)
            last = first + rng.randint(0, 2)
            apply_coding(db, DOCUMENT, sentences[first].start, sentences[last].end,
                         rng.choice(codes), "bench")
    finally:
        db.close()
    return project


async def first_frame(project: Path) -> tuple[float, float, float]:
    """Seconds from app start to the document's first frame, from open to frame, and for
    opening it again once the screen is warm (the usual case while coding)."""
    start = time.perf_counter()
    app = KasusApp(project, "bench")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        opened = time.perf_counter()
        screen.open_document(DOCUMENT)
        await pilot.pause()
        done = time.perf_counter()
        assert screen.view.document_id == DOCUMENT
        screen.open_document(DOCUMENT)
        await pilot.pause()
        again = time.perf_counter() - done
    return done - start, done - opened, again


class FloorApp(App[None]):
    """The floor: Textual alone showing the same note in a read-only, soft-wrapped TextArea
    with a footer, nothing of kasus."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.note = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.note, read_only=True, soft_wrap=True)
        yield Footer()


async def floor_frame(text: str) -> float:
    """Seconds from start to the first idle frame of the floor app."""
    start = time.perf_counter()
    async with FloorApp(text).run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


async def reopen_frame(project: Path) -> float:
    """Seconds from start to idle when the workbench reopens the note open last time: what a
    researcher sees on starting kasus the next morning."""
    remember_document(project, DOCUMENT)
    start = time.perf_counter()
    app = KasusApp(project, "bench", remember=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        while not (isinstance(screen, CodingScreen) and screen.view.document_id == DOCUMENT):
            await pilot.pause()
        return time.perf_counter() - start


def paint_view(screen: CodingScreen) -> None:
    """Render every visible row of the document view, as the compositor would."""
    view = screen.view
    for y in range(view.size.height):
        view.render_line(y)


async def code_and_repaint(project: Path, runs: int) -> dict[str, list[float]]:
    """Apply a code through the screen (core write, panels, repaint), timed three ways."""
    app = KasusApp(project, "bench")
    times: dict[str, list[float]] = {"direct": [], "pilot": [], "idle": [], "repaint": []}
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        screen.open_document(DOCUMENT)
        await pilot.pause()
        view = screen.view
        for index in range(runs):
            began = time.perf_counter()
            screen.apply_code(DOCUMENT, view.sentences[10 + 2 * index], "rop")
            paint_view(screen)
            times["direct"].append(time.perf_counter() - began)
            await pilot.pause()
            began = time.perf_counter()
            screen.apply_code(DOCUMENT, view.sentences[11 + 2 * index], "bolig")
            await pilot.pause()
            times["pilot"].append(time.perf_counter() - began)
            began = time.perf_counter()
            await pilot.pause()
            times["idle"].append(time.perf_counter() - began)
            began = time.perf_counter()
            view.set_codings(view.codings, view.colours)
            paint_view(screen)
            times["repaint"].append(time.perf_counter() - began)
    return times


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms  (min {min(values) * 1000:.1f})"


async def measure(project: Path, runs: int) -> None:
    db = open_project(project)
    text = db.execute("SELECT text FROM documents").fetchone()[0]
    db.close()
    floors = [await floor_frame(text) for _ in range(runs)]
    frames = [await first_frame(project) for _ in range(runs)]
    reopened = [await reopen_frame(project) for _ in range(runs)]
    times = await code_and_repaint(project, runs)
    floor = statistics.median(floors)
    print(f"floor: Textual alone, same note       {median_ms(floors)}")
    print(f"first document frame after app start  {median_ms([f[0] for f in frames])}"
          f"  ({statistics.median([f[0] for f in frames]) / floor:.1f}× the floor)")
    print(f"  of which open document → frame      {median_ms([f[1] for f in frames])}")
    print(f"start reopening the last note → frame {median_ms(reopened)}"
          f"  ({statistics.median(reopened) / floor:.1f}× the floor)")
    print(f"open it again (warm screen) → frame   {median_ms([f[2] for f in frames])}")
    print(f"apply a code + repaint the view       {median_ms(times['direct'])}")
    print(f"  the same through the pilot (frame)  {median_ms(times['pilot'])}")
    print(f"  pilot round trip with nothing to do {median_ms(times['idle'])}")
    print(f"  repaint alone (codings changed)     {median_ms(times['repaint'])}")


def timed(label: str, step: Callable[[], Awaitable[None]] | Callable[[], object]) -> object:
    began = time.perf_counter()
    result = step()
    print(f"{label} {time.perf_counter() - began:.1f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--codings", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = timed("building the bench project:",
                        lambda: build_project(Path(tmp), args.words, args.codings))
        assert isinstance(project, Path)
        db = open_project(project)
        text_length = len(db.execute("SELECT text FROM documents").fetchone()[0])
        db.close()
        print(f"note: {args.words} words ({text_length} chars), {args.codings} codings, "
              f"{SIZE[0]}×{SIZE[1]}, median of {args.runs}")
        asyncio.run(measure(project, args.runs))


if __name__ == "__main__":
    main()
