"""Who is coding: --coder, KASUS_CODER, the user config file, or the login name."""

from __future__ import annotations

import getpass
import os
import tomllib
from pathlib import Path

from kasus.errors import KasusError


def config_path() -> Path:
    """The user's kasus config file (XDG), e.g. ~/.config/kasus/config.toml."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kasus" / "config.toml"


def resolve_coder(explicit: str | None = None) -> str:
    """The coder name every coding and audit entry carries, from the nearest source."""
    for candidate in (explicit, os.environ.get("KASUS_CODER"), _configured_coder()):
        if candidate and candidate.strip():
            return validate_coder(candidate.strip())
    try:
        return validate_coder(getpass.getuser())
    except (KeyError, OSError):
        return "unknown"


def validate_coder(name: str) -> str:
    """Coder names are short labels shown in tables and used to pair coders for agreement."""
    if len(name) > 40 or any(ch in name for ch in ",\n\t"):
        raise KasusError(f"coder name {name!r} is not usable", "use up to 40 chars, no commas")
    return name


def _configured_coder() -> str | None:
    path = config_path()
    if not path.exists():
        return None
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("coder")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise KasusError(f"{path}: cannot read config ({error})", "fix or remove it") from None
    return value if isinstance(value, str) else None
