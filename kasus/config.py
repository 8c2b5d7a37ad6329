"""Who is coding: --coder, KASUS_CODER, the user config file, or the login name."""

from __future__ import annotations

import getpass
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from kasus.errors import KasusError


def config_path() -> Path:
    """The user's kasus config file (XDG), e.g. ~/.config/kasus/config.toml."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kasus" / "config.toml"


LOGIN = "login name"
CODER_LINE = re.compile(r"^\s*coder\s*=")


def resolve_coder(explicit: str | None = None) -> str:
    """The coder name every coding and audit entry carries, from the nearest source."""
    return coder_and_source(explicit)[0]


def coder_and_source(explicit: str | None = None) -> tuple[str, str]:
    """The coder name and where it came from: --coder, KASUS_CODER, the config file, or (when
    none is set) the login name, which the user should be told about."""
    sources = ((explicit, "--coder"), (os.environ.get("KASUS_CODER"), "KASUS_CODER"),
               (_configured_coder(), str(config_path())))
    for candidate, source in sources:
        if candidate and candidate.strip():
            return validate_coder(candidate.strip()), source
    try:
        return validate_coder(getpass.getuser()), LOGIN
    except (KeyError, OSError):
        return "unknown", LOGIN


def save_coder(name: str) -> Path:
    """Keep the coder name in the user's config file (owner-only), other settings kept."""
    name = validate_coder(name.strip())
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    lines = [line for line in lines if not CODER_LINE.match(line)]
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    lines.insert(0, f'coder = "{escaped}"')
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


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


def state_path() -> Path:
    """Where the workbench remembers view state (theme, last note per project): XDG state."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "kasus" / "state.json"


def load_state() -> dict[str, Any]:
    """The remembered view state; an unreadable file is ignored (it only holds conveniences)."""
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(**changes: Any) -> None:
    """Merge changes into the remembered view state (owner-only file, written whole)."""
    state = {**load_state(), **changes}
    path = state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_name(path.name + ".partial")
        fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, ensure_ascii=False)
        os.replace(partial, path)
    except OSError:
        pass  # a read-only home loses the convenience, never the user's work


def remember_document(project: Path, document_id: str) -> None:
    """The note last open in a project, to reopen it next time."""
    last = load_state().get("last_document", {})
    save_state(last_document={**(last if isinstance(last, dict) else {}),
                              str(project.resolve()): document_id})


def last_document(project: Path) -> str | None:
    last = load_state().get("last_document", {})
    value = last.get(str(project.resolve())) if isinstance(last, dict) else None
    return value if isinstance(value, str) else None


def quick_pins(project: Path, coder: str) -> list[str]:
    """The codes a coder's digit keys showed last in a project (kept across sessions)."""
    pins = load_state().get("quick_codes", {}).get(f"{project.resolve()}|{coder}", [])
    return [p if isinstance(p, str) else "" for p in pins] if isinstance(pins, list) else []


def save_quick_pins(project: Path, coder: str, quick: list[str]) -> None:
    stored = load_state().get("quick_codes", {})
    stored = stored if isinstance(stored, dict) else {}
    save_state(quick_codes={**stored, f"{project.resolve()}|{coder}": quick})
