"""The layering: the core runs without the TUI, the TUI leaves storage and NLP to the core,
and only the CLI prints."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE_MODULES = [
    "kasus.store", "kasus.codebook.codes", "kasus.codebook.file", "kasus.evidence.indicators",
    "kasus.project", "kasus.documents", "kasus.coding.codings", "kasus.coding.anchoring",
    "kasus.search", "kasus.safety", "kasus.cli", "kasus.importing.importer",
    "kasus.nlp.pipeline", "kasus.coding.history", "kasus.review.agreement",
    "kasus.review.merge", "kasus.review.report", "kasus.evidence.links",
    "kasus.evidence.goals", "kasus.export.run",
]


def imported_modules(path: Path) -> list[str]:
    """Top-level names of every module a source file imports."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return [name.split(".")[0] for name in names]


def offenders(folder: Path, forbidden: set[str], skip: str | None = None) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(folder.rglob("*.py"))
        if skip is None or skip not in path.relative_to(folder).parts
        for name in imported_modules(path)
        if name in forbidden
    ]


def test_core_does_not_import_textual() -> None:
    code = (
        f"import sys; import {', '.join(CORE_MODULES)}; "
        "loaded = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'tui'))];"
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_tui_leaves_storage_and_nlp_to_the_core() -> None:
    assert offenders(ROOT / "tui", {"sqlite_utils", "sqlite3", "spacy", "rapidfuzz"}) == []


def test_only_the_cli_prints_or_parses_commands() -> None:
    assert offenders(ROOT / "kasus", {"click", "rich", "textual"}, skip="cli") == []
