"""The core is reachable without the TUI: importing it never loads textual."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "kasus.store", "kasus.codebook", "kasus.indicators", "kasus.project", "kasus.documents",
    "kasus.codings", "kasus.anchoring", "kasus.search", "kasus.safety", "kasus.cli",
    "kasus.importing.importer", "kasus.nlp.pipeline",
]


def test_core_does_not_import_textual() -> None:
    code = (
        f"import sys; import {', '.join(CORE_MODULES)}; "
        "loaded = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'tui'))];"
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


FORBIDDEN_IN_TUI = ("sqlite_utils", "sqlite3", "spacy", "rapidfuzz")


def test_tui_leaves_storage_and_nlp_to_the_core() -> None:
    import ast
    from pathlib import Path

    offenders = []
    for path in Path(__file__).resolve().parent.parent.joinpath("tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names
                          if name.split(".")[0] in FORBIDDEN_IN_TUI]
    assert offenders == []
