"""Where a project may live: on a network file system, or readable by others, it is warned
about at open."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kasus.store import connect, network_filesystem, network_warning
from tests.conftest import CliResult

LOCAL = "/dev/sda1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n"


def mounts(*extra: str) -> str:
    return LOCAL + "".join(f"{line}\n" for line in extra)


@pytest.mark.parametrize(("line", "fs_type"), [
    ("//filer/forskning /mnt/share cifs rw,vers=3.0 0 0", "cifs"),
    ("//filer/forskning /mnt/share smb3 rw 0 0", "smb3"),
    ("filer:/export /mnt/share nfs4 rw,vers=4.2 0 0", "nfs4"),
    ("filer:/export /mnt/share nfs rw 0 0", "nfs"),
    ("anna@server:/data /mnt/share fuse.sshfs rw,user_id=1000 0 0", "fuse.sshfs"),
])
def test_network_shares_are_recognised(line: str, fs_type: str) -> None:
    assert network_filesystem("/mnt/share/studie/kasus.db", mounts(line)) == fs_type
    warning = network_warning("/mnt/share/studie/kasus.db", mounts(line))
    assert warning is not None and fs_type in warning
    for reason in ("WAL", "shared memory on one machine", "kasus merge", "SSH"):
        assert reason in warning


def test_local_disks_and_local_fuse_are_not_warned_about() -> None:
    text = mounts("/dev/sdb1 /mnt/usb vfat rw 0 0",
                  "/dev/fuse /home/anna/crypt fuse.gocryptfs rw 0 0",
                  "tmpfs /tmp tmpfs rw 0 0")
    for path in ("/home/anna/kasus.db", "/mnt/usb/kasus.db", "/home/anna/crypt/kasus.db",
                 "/tmp/kasus.db"):
        assert network_filesystem(path, text) is None, path
        assert network_warning(path, text) is None


def test_the_deepest_mount_decides_and_escaped_spaces_are_read() -> None:
    text = mounts("//filer/felles /mnt/felles cifs rw 0 0",
                  "/dev/sdc1 /mnt/felles/lokal ext4 rw 0 0",
                  r"filer:/x /home/anna/Mine\040prosjekter nfs4 rw 0 0")
    assert network_filesystem("/mnt/felles/kasus.db", text) == "cifs"
    assert network_filesystem("/mnt/felles/lokal/kasus.db", text) is None
    assert network_filesystem("/mnt/fellesskap/kasus.db", text) is None  # a prefix, not inside
    assert network_filesystem("/home/anna/Mine prosjekter/kasus.db", text) == "nfs4"


def test_a_symlink_into_a_share_is_followed(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    link = tmp_path / "here"
    link.symlink_to(share)
    text = mounts(f"//filer/x {share} cifs rw 0 0")
    assert network_filesystem(link / "kasus.db", text) == "cifs"


@pytest.fixture
def on_a_share(project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend the folder holding the project is an SMB share (a fake /proc/self/mounts)."""
    fake = tmp_path / "mounts"
    fake.write_text(mounts(f"//filer/forskning {os.path.realpath(project_path.parent)} "
                           "cifs rw 0 0"), encoding="utf-8")
    monkeypatch.setattr(connect, "MOUNTS_FILE", fake)
    return project_path


def test_the_cli_warns_at_open_and_still_works(on_a_share: Path,
                                               cli: Callable[..., CliResult]) -> None:
    result = cli("--project", str(on_a_share), "stats", "--json")
    assert result.code == 0
    assert result.err.startswith("warning: ") and "(cifs)" in result.err
    assert "kasus merge" in result.err and '"indicators": 85' in result.out


def test_the_cli_says_nothing_on_a_local_disk(project_path: Path,
                                              cli: Callable[..., CliResult],
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    fake = tmp_path / "mounts"
    fake.write_text(LOCAL, encoding="utf-8")
    monkeypatch.setattr(connect, "MOUNTS_FILE", fake)
    result = cli("--project", str(project_path), "stats", "--json")
    assert result.code == 0 and "warning" not in result.err


def test_a_project_others_can_read_is_warned_about(project_path: Path,
                                                   cli: Callable[..., CliResult]) -> None:
    project_path.chmod(0o644)
    result = cli("--project", str(project_path), "stats", "--json")
    assert result.code == 0
    [line] = result.err.strip().splitlines()
    assert "can be read by anyone on this machine (mode 0644)" in line and "chmod o=" in line
    for private in (0o600, 0o660):  # the owner, or a team sharing by group
        project_path.chmod(private)
        assert cli("--project", str(project_path), "stats", "--json").err == ""
