"""An import on every core: worker processes read and prepare files, one writer stores them.

Workers extract, normalise, segment and lemmatise (kasus.importing.importer.read_file); the
writer stores the files in file order, several per transaction with a savepoint per file, so a
bad file still rolls back alone, and commits every 32 files or half a second, so an interrupted
import keeps what it stored and resumes per file. Progress is reported only for committed files.
A script calling the import must guard its entry point (`if __name__ == "__main__":`): workers
start as multiprocessing's forkserver (or spawn) starts them, which imports the main module.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import starmap
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from sqlite_utils import Database

from kasus.documents import SegmentedText, deferred_index
from kasus.errors import KasusError
from kasus.importing.importer import (
    FileResult,
    ReadFile,
    _known_text,
    _reason,
    read_file,
    store_read,
)
from kasus.model import Segment
from kasus.store import transaction
from kasus.word_forms import WordForm, store_forms

WORKERS = 2  # the machines kasus runs on have a few cores, and the writer needs one too
AHEAD = 16  # files queued per worker: busy through the writer's commits, memory still flat
BATCH_FILES = 32
# The workers' lower priority (nice increment): the writer goes first. At 5 the scheduler
# often put a worker beside the writer on its core, which then got 75-85 % of it; at 10 a
# 9 M-word import was 1 s faster (bench/bench_import.py), and 19 no faster still in paired
# runs, while at 19 workers would get 1.5 % of a core that other programs keep busy.
NICER = 10
BATCH_SECONDS = 0.5
# Starting workers (a fresh interpreter, then simplemma's tables in each) costs about as much
# as preparing a megabyte of notes: smaller imports run in this process.
MIN_FILES = 8
MIN_BYTES = 1 << 20


def workers_for(files: list[tuple[Path, str]]) -> int:
    """Worker processes worth starting for these files: 0 means read them in this process."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if cores < 2 or len(files) < MIN_FILES:
        return 0
    size = 0
    for path, _ in files:
        try:
            size += path.stat().st_size
        except OSError:
            continue  # read_file reports it
        if size >= MIN_BYTES:
            return min(WORKERS, cores)
    return 0


@dataclass(frozen=True)
class _Job:
    """What every file of one import shares, handed to each worker once."""

    site: str | None
    role: str | None
    defaults: dict[str, str] | None
    known: frozenset[str]  # content hashes the project holds: those texts need no preparing


@dataclass
class _WorkerState:
    job: _Job | None = None
    csv_cache: dict[Path, dict[str, dict[str, str]]] = field(default_factory=dict)
    sent: set[str] = field(default_factory=set)  # word forms already sent to the writer


_STATE = _WorkerState()


@dataclass(frozen=True)
class _Packed:
    """A prepared file in plain tuples: pickling a dataclass per segment and per word form
    cost as much as preparing the note. Of its word forms only those its worker had not sent
    before travel: the first note (in file order) holding a form is the first its worker
    read, so each form reaches the writer with the first note that has it. The writer stores
    a note's forms even when the note fails (_store_one), where one process rolls them back
    with the note: only then do the two differ (in word_forms' ids, not in what is found)."""

    read: ReadFile  # with the bare text as prepared
    segments: tuple[tuple[str, int, int, int], ...]
    lemmas: tuple[str, ...]
    new_forms: tuple[tuple[str, tuple[str, ...], bool], ...]
    words: int | None


def _work(connection: Connection, job: _Job) -> None:
    """A worker's life: read the files it is sent, in order, until told to stop."""
    # Ctrl-C reaches the whole process group: the writer alone handles it, and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The writer is the import's narrow part and the workers only need to stay ahead of it:
    # when the cores are contended, it goes first.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(NICER)
    _STATE.job = job
    while True:
        try:
            task = connection.recv()
            if task is None:
                return
            try:
                result: object = _read_in_worker(*task)
            except Exception as error:  # a bug, not a bad file: the writer raises it
                result = error
            connection.send(result)
        except (EOFError, OSError):  # the writer is gone or closed our pipe
            return


def _read_in_worker(path: Path, name: str) -> _Packed | ReadFile | FileResult:
    job = _STATE.job
    assert job is not None, "worker started without its job"
    read = read_file(path, name, job.site, job.role, _STATE.csv_cache, job.defaults, None,
                     job.known.__contains__)
    if not isinstance(read, ReadFile) or not isinstance(read.prepared, SegmentedText):
        return read
    prepared = read.prepared
    new = [form for form in prepared.forms or () if form.form not in _STATE.sent]
    _STATE.sent.update(form.form for form in new)
    return _Packed(replace(read, prepared=prepared.text),
                   tuple((s.kind, s.ordinal, s.start, s.end) for s in prepared.segments),
                   prepared.sentence_lemmas,
                   tuple((form.form, form.readings, form.headword) for form in new),
                   prepared.words)


# Segment from a plain tuple without a Python-level call (Segment._make is one): the writer,
# the import's narrow part, rebuilds ~190 a note.
_as_segment = partial(tuple.__new__, Segment)


def _unpack(packed: _Packed) -> ReadFile:
    """A prepared file rebuilt in the writer; map and starmap run their loops in C."""
    prepared = SegmentedText(
        str(packed.read.prepared), tuple(map(_as_segment, packed.segments)), packed.lemmas,
        tuple(starmap(WordForm, packed.new_forms)), packed.words)
    read = packed.read
    return ReadFile(read.path, read.name, read.metadata, prepared, read.repairs)


@contextlib.contextmanager
def _stderr_with_a_file() -> Iterator[None]:
    """multiprocessing hands sys.stderr's file descriptor to the helper processes it starts;
    under the TUI sys.stderr is Textual's capture, whose fileno() is -1, and starting fails."""
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        yield
        return
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        yield


class _Readers:
    """Files read by the workers, handed out in file order; when a worker dies the rest are
    read in this process, so a crash costs speed, never a file.

    One pipe per worker, and a thread per pipe that only moves bytes (reading a pipe releases
    the GIL): a worker never waits for the writer to take its result, and the writer unpickles
    results itself. concurrent.futures' threads unpickled them holding the GIL while the
    writer waited for it after every SQLite call (a third of its time). File i goes to worker
    i mod n, which answers in order, so file i's result is the next one from that worker.
    """

    def __init__(self, db: Database, files: list[tuple[Path, str]], job: _Job,
                 workers: int) -> None:
        self.db, self.job = db, job
        self.todo = iter(files)
        self.queue: deque[tuple[Path, str, int | None]] = deque()
        self.csv_cache: dict[Path, dict[str, dict[str, str]]] = {}
        self.sent = 0
        context = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
        if context.get_start_method() == "forkserver":
            # The server imports what workers need once; they fork from it with it loaded.
            # Not fork itself: the TUI imports from a thread, and forking a threaded process
            # may copy a lock another thread holds.
            context.set_forkserver_preload(["kasus.importing.parallel", "kasus.nlp.warm"])
        self.pipes: list[Connection] = []
        self.processes: list[BaseProcess] = []
        self.inboxes: list[queue.SimpleQueue[bytes | None]] = []
        self.movers: list[threading.Thread] = []
        with _stderr_with_a_file():
            self._start(context, workers, job)

    def _start(self, context: multiprocessing.context.BaseContext, workers: int,
               job: _Job) -> None:
        for _ in range(workers):
            ours, theirs = context.Pipe()
            # daemon: whatever ends this process ends its workers too.
            process = context.Process(  # type: ignore[attr-defined]
                target=_work, args=(theirs, job), daemon=True)
            process.start()
            theirs.close()
            inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
            mover = threading.Thread(target=_move, args=(ours, inbox), daemon=True,
                                     name="kasus import results")
            mover.start()
            self.pipes.append(ours)
            self.processes.append(process)
            self.inboxes.append(inbox)
            self.movers.append(mover)

    def _fill(self) -> None:
        while len(self.queue) < len(self.pipes) * AHEAD or (not self.pipes and not self.queue):
            file = next(self.todo, None)
            if file is None:
                return
            worker = None
            if self.pipes:
                worker = self.sent % len(self.pipes)
                try:
                    self.pipes[worker].send(file)
                    self.sent += 1
                except OSError:
                    self._broken()
                    worker = None
            self.queue.append((*file, worker))

    def _broken(self) -> None:
        """A worker died: the files queued for any worker are read here instead."""
        self.close()
        self.queue = deque((path, name, None) for path, name, _ in self.queue)

    def next(self, wait: bool) -> ReadFile | FileResult | None:
        """The next file in order; None at the end, or when it is not ready and wait is off."""
        self._fill()
        if not self.queue:
            return None
        path, name, worker = self.queue[0]
        read: object = None
        if worker is not None:
            inbox = self.inboxes[worker]
            if not wait and inbox.empty():
                return None
            data = inbox.get()
            if data is None:
                self._broken()
            else:
                read = pickle.loads(data)
        self.queue.popleft()
        if isinstance(read, Exception):
            raise read
        if read is None:
            read = read_file(path, name, self.job.site, self.job.role, self.csv_cache,
                             self.job.defaults, None, lambda digest: _known_text(self.db, digest))
        if isinstance(read, _Packed):
            return _unpack(read)
        assert isinstance(read, ReadFile | FileResult), read
        return read

    def close(self) -> None:
        # A worker reads the end after the files it has queued (a few, short); one that does
        # not stop is ended. Its pipe then closes, and the thread moving its results ends too.
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(None)
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
        for mover in self.movers:
            mover.join(timeout=5)
        for pipe in self.pipes:
            pipe.close()
        self.pipes, self.processes, self.inboxes, self.movers = [], [], [], []


def _move(pipe: Connection, inbox: queue.SimpleQueue[bytes | None]) -> None:
    """Take a worker's results off its pipe as they come; None once the worker is gone."""
    try:
        while True:
            inbox.put(pipe.recv_bytes())
    except (EOFError, OSError):
        inbox.put(None)


def import_in_workers(db: Database, files: list[tuple[Path, str]], actor: str,
                      site: str | None, role: str | None, new_sites: bool,
                      defaults: dict[str, str] | None, workers: int) -> Iterator[FileResult]:
    """Import files read by worker processes, yielding each result once it is committed."""
    known = frozenset(row[0] for row in db.execute("SELECT content_hash FROM documents"))
    readers = _Readers(db, files, _Job(site, role, defaults, known), workers)
    try:
        while (read := readers.next(wait=True)) is not None:
            results: list[FileResult] = []
            # The write lock is taken only once a file is ready, and the batch ends when the
            # workers fall behind, so other writers wait no longer than one batch.
            with transaction(db), deferred_index(db) as index:
                deadline = time.monotonic() + BATCH_SECONDS
                while read is not None:
                    results.append(_store_one(db, read, actor, new_sites, index))
                    if len(results) >= BATCH_FILES or time.monotonic() >= deadline:
                        break
                    read = readers.next(wait=False)
            yield from results
    finally:
        readers.close()


def _store_one(db: Database, read: ReadFile | FileResult, actor: str, new_sites: bool,
               index: list[tuple[int, str, str]]) -> FileResult:
    if isinstance(read, FileResult):
        return read
    if isinstance(read.prepared, SegmentedText) and read.prepared.forms:
        # Before the file's savepoint: a worker sends a form once, with the first of its
        # notes that has it, and a note that fails must not take the form with it. Stored
        # here, they are not offered again with the note's segments.
        store_forms(db, read.prepared.forms)
        read = replace(read, prepared=replace(read.prepared, forms=()))
    indexed = len(index)
    try:
        with transaction(db):  # inside the batch: a savepoint, so a bad file rolls back alone
            return store_read(db, read, actor, new_sites)
    except KasusError as error:
        del index[indexed:]  # its index rows go with its savepoint
        return FileResult(str(read.path), "failed", reason=_reason(error, read.path))
