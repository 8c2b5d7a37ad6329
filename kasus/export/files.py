"""Writing an export file: owner-only, never over an existing file unless asked, never half."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from kasus.errors import KasusError


def check_target(out: Path, force: bool) -> None:
    """Refuse, before any work is done, an output path that cannot or may not be written."""
    if out.exists() and not force:
        raise KasusError(f"{out}: already exists", "pass --force to overwrite it")
    if out.is_dir():
        raise KasusError(f"{out}: is a folder", "give a file name")
    if not out.parent.is_dir():
        raise KasusError(f"{out.parent}: folder does not exist", "create it first")


def write_output(out: Path, force: bool, write: Callable[[Path], None]) -> Path:
    """Run write into a hidden partial file beside out, then put it in place (0600)."""
    check_target(out, force)
    partial = out.with_name(f".{out.name}.partial")
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        write(partial)
        os.chmod(partial, 0o600)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def write_text(path: Path, text: str) -> None:
    """A text export in UTF-8 (a writer for write_output)."""
    path.write_text(text, encoding="utf-8")
