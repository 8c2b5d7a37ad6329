"""The workbench warns at start when the project sits on a network share, and opens no
network socket."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.app import Notify

from kasus.store import connect
from tests.tui.conftest import CODER, KARMOY
from tui.app import KasusApp
from tui.screens.coding import CodingScreen

pytestmark = pytest.mark.anyio


def fake_mounts(tmp_path: Path, folder: Path, fs_type: str) -> Path:
    fake = tmp_path / "mounts"
    fake.write_text(f"/dev/sda1 / ext4 rw 0 0\nserver:/x {os.path.realpath(folder)} {fs_type} "
                    "rw 0 0\n", encoding="utf-8")
    return fake


@pytest.mark.parametrize(("fs_type", "warned"), [("nfs4", True), ("ext4", False)])
async def test_the_workbench_warns_at_start_on_a_share_only(
        notes_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        fs_type: str, warned: bool) -> None:
    monkeypatch.setattr(connect, "MOUNTS_FILE", fake_mounts(tmp_path, notes_project.parent,
                                                            fs_type))
    seen: list[object] = []
    app = KasusApp(notes_project, CODER, theme="textual-dark")
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        warnings = [m.notification for m in seen
                    if isinstance(m, Notify) and m.notification.severity == "warning"]
    assert len(warnings) == (1 if warned else 0)
    if warned:
        assert "(nfs4)" in warnings[0].message and "kasus merge" in warnings[0].message
        assert "shared memory on one machine" in warnings[0].message


async def test_the_workbench_opens_no_network_socket(notes_project: Path) -> None:
    from tests.network_guard import network_attempts

    with network_attempts() as attempts:
        app = KasusApp(notes_project, CODER, theme="textual-dark")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f", *"karmoy", "enter", "enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CodingScreen) and screen.view.document_id == KARMOY
    assert attempts == []
