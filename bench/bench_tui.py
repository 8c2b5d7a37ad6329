"""TUI speed: first document frame and code-and-repaint on a 20,000-word note with 500 codings.

Run: .venv/bin/python bench/bench_tui.py [--runs 5] [--words 20000] [--codings 500]
Prints medians (headless, 120×40); asserts nothing. Each start-up figure is taken in a fresh
process, as a researcher starts kasus: what one start leaves behind (imported modules, the
collector's state, Textual's caches) would flatter the next.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult
from textual.widgets import Footer, TextArea

from bench.synthetic import long_note
from kasus.codebook.codes import list_codes
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


class FrameClock:
    """When the app hands a frame to its driver (App._display, where every frame of every
    screen passes): the moment a terminal would show it. `showing(screen)` says, as each
    frame goes out, whether it shows what is being waited for."""

    def __init__(self, app: App[None],
                 showing: Callable[[object], bool] = lambda screen: True) -> None:
        self.frames: list[tuple[float, bool]] = []
        display = app._display

        def timed_display(screen: object, renderable: object) -> None:
            if renderable is not None:
                self.frames.append((time.perf_counter(), showing(screen)))
            display(screen, renderable)  # type: ignore[arg-type]

        app._display = timed_display  # type: ignore[method-assign]

    def first_since(self, began: float) -> float:
        """Seconds from `began` to the first frame after it."""
        return next((t - began for t, _ in self.frames if t >= began), float("nan"))

    def first_showing(self, began: float) -> float:
        """Seconds from `began` to the first frame showing what is waited for."""
        return next((t - began for t, shown in self.frames if shown), float("nan"))


def showing_the_note(screen: object) -> bool:
    return isinstance(screen, CodingScreen) and screen.view.document_id == DOCUMENT


async def first_frame(project: Path) -> tuple[float, ...]:
    """From app start to idle with the document open (opened as soon as the workbench is
    idle), from open to idle, and for opening it again once the screen is warm (the usual
    case while coding); then the first two to the document's first frame."""
    start = time.perf_counter()
    app = KasusApp(project, "bench")
    clock = FrameClock(app, showing_the_note)
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
    shown = clock.first_showing(start)
    return done - start, done - opened, again, shown, start + shown - opened


class FloorApp(App[None]):
    """The floor: Textual alone showing the same note in a read-only, soft-wrapped TextArea
    with a footer, nothing of kasus."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.note = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.note, read_only=True, soft_wrap=True)
        yield Footer()


async def floor_frame(text: str) -> tuple[float, float]:
    """Seconds from start to idle, and to the first frame, of the floor app."""
    start = time.perf_counter()
    app = FloorApp(text)
    clock = FrameClock(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        idle = time.perf_counter() - start
    return idle, clock.first_showing(start)


async def reopen_frame(project: Path) -> tuple[float, float]:
    """Seconds from start to idle, and to the note's first frame, when the workbench
    reopens the note open last time: what a researcher sees on starting kasus the next
    morning."""
    remember_document(project, DOCUMENT)
    start = time.perf_counter()
    app = KasusApp(project, "bench", remember=True)
    clock = FrameClock(app, showing_the_note)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while not showing_the_note(app.screen):
            await pilot.pause()
        idle = time.perf_counter() - start
    return idle, clock.first_showing(start)


def paint_view(screen: CodingScreen) -> None:
    """Render every visible row of the document view, as the compositor would."""
    view = screen.view
    for y in range(view.size.height):
        view.render_line(y)


async def code_and_repaint(project: Path, runs: int) -> dict[str, list[float]]:
    """Apply a code through the screen (core write, panels, repaint), timed several ways."""
    app = KasusApp(project, "bench")
    times: dict[str, list[float]] = {"direct": [], "pilot": [], "idle": [], "repaint": [],
                                     "frame": []}
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
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
            # The frame as the app makes it: no pilot, whose pause forces one.
            began = time.perf_counter()
            screen.apply_code(DOCUMENT, view.sentences[12 + 2 * index], "hm4.arbeid")
            await asyncio.sleep(0.25)
            times["frame"].append(clock.first_since(began))
            await pilot.pause()
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


def child_environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}


def in_fresh_process(kind: str, project: Path) -> list[float]:
    """One start-up figure from its own Python process (see the module's docstring)."""
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(project)],
                         check=True, capture_output=True, text=True, env=child_environment())
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


# Process start to the first frame of the note reopened, as `make demo` starts: this
# program imports only what the workbench does.
WHOLE_PROCESS = """
import asyncio, sys, time
from pathlib import Path
from tui.app import KasusApp
from tui.screens.coding import CodingScreen

async def main(project, document):
    app = KasusApp(Path(project), "bench", remember=True)
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, CodingScreen)
                   and app.screen.view.document_id == document):
            await pilot.pause()
        await pilot.pause()
        print(time.monotonic())

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""

# The same for Textual alone showing the note (read with sqlite3).
WHOLE_PROCESS_FLOOR = """
import asyncio, sqlite3, sys, time
from textual.app import App
from textual.widgets import Footer, TextArea

class FloorApp(App):
    def compose(self):
        db = sqlite3.connect(sys.argv[1])
        yield TextArea(db.execute("SELECT text FROM documents").fetchone()[0],
                       read_only=True, soft_wrap=True)
        yield Footer()

async def main():
    async with FloorApp().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print(time.monotonic())

asyncio.run(main())
"""


def whole_process(program: str, project: Path) -> float:
    """Seconds from starting Python to the frame `program` reports (time.monotonic is one
    clock for every process on Linux)."""
    remember_document(project, DOCUMENT)
    began = time.monotonic()
    out = subprocess.run([sys.executable, "-c", program, str(project), DOCUMENT], check=True,
                         capture_output=True, text=True, env=child_environment())
    return float(out.stdout.strip().splitlines()[-1]) - began


def child(kind: str, project: Path) -> None:
    """The body of one fresh process: prints its figure(s) as JSON."""
    if kind == "floor":
        db = open_project(project)
        text = db.execute("SELECT text FROM documents").fetchone()[0]
        db.close()
        result: list[float] = list(asyncio.run(floor_frame(text)))
    elif kind == "first":
        result = list(asyncio.run(first_frame(project)))
    else:
        result = list(asyncio.run(reopen_frame(project)))
    print(json.dumps(result))


def both(label: str, idle: list[float], frame: list[float],
         floors: tuple[float, float] | None = None) -> None:
    ratio = (f"  {statistics.median(idle) / floors[0]:.1f}× / "
             f"{statistics.median(frame) / floors[1]:.1f}×" if floors else "")
    print(f"{label:40s} {median_ms(idle)}   {median_ms(frame)}{ratio}")


async def measure(project: Path, runs: int) -> None:
    floors = [in_fresh_process("floor", project) for _ in range(runs)]
    frames = [in_fresh_process("first", project) for _ in range(runs)]
    reopened = [in_fresh_process("reopen", project) for _ in range(runs)]
    processes = [whole_process(WHOLE_PROCESS, project) for _ in range(runs)]
    process_floors = [whole_process(WHOLE_PROCESS_FLOOR, project) for _ in range(runs)]
    times = await code_and_repaint(project, runs)
    floor = (statistics.median(f[0] for f in floors), statistics.median(f[1] for f in floors))
    print(f"{'start-up, each in a fresh process':40s} {'to idle (pilot)':25s} "
          f"{'to its first frame':25s} ÷ floor")
    both("floor: Textual alone, same note", [f[0] for f in floors], [f[1] for f in floors])
    both("first document frame after app start", [f[0] for f in frames],
         [f[3] for f in frames], floor)
    both("  of which open document → frame", [f[1] for f in frames], [f[4] for f in frames])
    both("start reopening the last note → frame", [f[0] for f in reopened],
         [f[1] for f in reopened], floor)
    print(f"open it again (warm screen) → idle      {median_ms([f[2] for f in frames])}")
    print(f"whole process: Python start → the reopened note's frame {median_ms(processes)}")
    print(f"  floor: Python start → Textual alone with the note  {median_ms(process_floors)}"
          f"  ({statistics.median(processes) / statistics.median(process_floors):.1f}×)")
    print(f"apply a code + repaint the view       {median_ms(times['direct'])}")
    print(f"  apply → its frame handed to the terminal {median_ms(times['frame'])}")
    print(f"  the same through the pilot (idle)   {median_ms(times['pilot'])}")
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
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PROJECT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
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
