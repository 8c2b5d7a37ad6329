"""Where kasus finds its shipped data (codebook, indicators, demo corpus) and the demo project."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_PROJECT = "kasus.db"  # the project when neither --project nor KASUS_PROJECT names one
CHECKOUT = Path(__file__).resolve().parent.parent
INSTALLED = Path(sys.prefix) / "share" / "kasus"


def data_root() -> Path:
    """The repository when running from a checkout, else <prefix>/share/kasus of the install."""
    return CHECKOUT if (CHECKOUT / "codebook.yaml").exists() else INSTALLED


def demo_project() -> Path:
    """demo/ in a writable checkout; otherwise the user's data folder (XDG), never the
    installation itself."""
    if data_root() == CHECKOUT and os.access(CHECKOUT, os.W_OK):
        return CHECKOUT / "demo" / "kasus-demo.db"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "kasus" / "demo" / "kasus-demo.db"
