"""Coder identity: flag, then KASUS_CODER, then the user config file, then the login name."""

from __future__ import annotations

from pathlib import Path

import pytest

from kasus.config import config_path, resolve_coder
from kasus.errors import KasusError


def test_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_path()
    config.parent.mkdir(parents=True)
    config.write_text('coder = "fra-fil"\n', encoding="utf-8")
    assert resolve_coder("flagg") == "flagg"
    assert resolve_coder(None) == "tester"  # KASUS_CODER from the test environment
    monkeypatch.delenv("KASUS_CODER")
    assert resolve_coder(None) == "fra-fil"
    config.unlink()
    assert resolve_coder(None)  # the login name


def test_broken_config_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KASUS_CODER")
    config: Path = config_path()
    config.parent.mkdir(parents=True)
    config.write_text("coder = \n", encoding="utf-8")
    with pytest.raises(KasusError, match=str(config)):
        resolve_coder(None)


def test_unusable_names_are_refused() -> None:
    with pytest.raises(KasusError):
        resolve_coder("anna,bjorn")
