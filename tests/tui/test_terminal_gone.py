"""When its terminal goes away the workbench ends, even started by a parent (make, as `make
demo` does) that keeps the hangup from it: Textual alone then polls a closed terminal for ever,
half a core, with the project still open."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kasus.coding.codings import list_codings
from kasus.store import open_project
from tests.tui.conftest import CODER, KARMOY
from tui.app import TERMINAL_CHECK_SECONDS, KasusApp
from tui.screens.coding import CodingScreen

pytestmark = pytest.mark.anyio


async def test_the_workbench_ends_when_its_terminal_closes_keeping_what_was_coded(
        notes_project: Path, make_app: Callable[..., KasusApp]) -> None:
    app = make_app(notes_project)
    master, follower = pty.openpty()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        screen.open_document(KARMOY)
        screen.apply_code(KARMOY, screen.view.sentences[3], "bolig")
        with open(follower, closefd=True) as terminal:
            app.watch_terminal(terminal)  # as on_mount does with the real one
            await pilot.pause(TERMINAL_CHECK_SECONDS + 0.3)
            assert app.is_running  # the terminal is there: nothing happens
            os.close(master)
            await pilot.pause(TERMINAL_CHECK_SECONDS + 0.3)
    assert app.return_code == 1
    db = open_project(notes_project)
    try:
        assert [c.code_id for c in list_codings(db, document_id=KARMOY, coder=CODER)] == ["bolig"]
    finally:
        db.close()


def read_until(master: int, wanted: bytes, seconds: float) -> bytes:
    """What the process wrote to its terminal, up to `wanted` (the pty must be drained, or
    the process blocks writing to it)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    return seen


def test_a_real_workbench_process_ends_when_its_terminal_closes(notes_project: Path,
                                                                tmp_path: Path) -> None:
    master, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "KASUS_CODER": CODER, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "TERM": "xterm-256color"}

    def shield_from_hangup() -> None:  # what make does for the recipe it runs
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    process = subprocess.Popen(
        [sys.executable, "-m", "kasus", "--project", str(notes_project), "open"],
        stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True,
        preexec_fn=shield_from_hangup)
    os.close(follower)
    try:
        assert b"coder " + CODER.encode() in read_until(master, b"coder " + CODER.encode(), 30)
        os.close(master)
        process.wait(timeout=15)  # ended: with the hangup kept from it, by its own check
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
