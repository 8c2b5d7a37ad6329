"""The CLI starts at once: a command loads only its own module and what that needs, never
spaCy, simplemma, pydantic or sqlite-utils for `kasus --version` (import checks, not timings)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kasus.cli.base import COMMAND_MODULES, main_group

HEAVY = {"spacy", "simplemma", "sqlite_utils", "pydantic", "numpy", "textual", "openpyxl",
         "matplotlib", "docx", "lxml", "rapidfuzz"}


def modules_loaded_by(*args: str, cwd: Path | None = None) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running `kasus ARGS`."""
    script = ("import json, sys\nfrom kasus.cli import main\ntry:\n    main(sys.argv[1:])\n"
              "except SystemExit:\n    pass\n"
              "print('\\n' + json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                            text=True, cwd=cwd, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_version_loads_nothing_heavy() -> None:
    assert modules_loaded_by("--version") & HEAVY == set()


def test_stats_and_search_load_no_language_model_screen_or_export(project_path: Path) -> None:
    for args in (("stats",), ("search", "bolig"), ("codings",)):
        loaded = modules_loaded_by(*args, "--project", str(project_path))
        assert loaded & {"spacy", "textual", "openpyxl", "matplotlib", "docx", "numpy"} == set(), \
            args


def test_sqlite_utils_loads_without_numpy_and_numpy_still_imports() -> None:
    script = ("import sys, kasus\nimport sqlite_utils.db as db\nprint(db.np is None, "
              "'numpy' in sys.modules)\nimport numpy\nprint(numpy.__name__)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["True", "False", "numpy"]


def test_every_command_is_in_the_table_of_command_modules() -> None:
    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"kasus.cli.{module}")
    defined = {name: command.callback.__module__.rsplit(".", 1)[-1]
               for name, command in main_group.commands.items() if command.callback}
    assert defined == COMMAND_MODULES


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_options_after_the_sub_command_work_for_every_command(name: str) -> None:
    command = main_group.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None
    commands = command.commands.values() if hasattr(command, "commands") else [command]
    for sub in commands:
        options = {opt for param in sub.params for opt in param.opts}
        assert {"--project", "--coder"} <= options, (name, sub.name)


def test_the_workbench_starts_without_the_exporters_or_a_language_model() -> None:
    # The export dialog loads them when an export runs: matplotlib alone took 0.3 s of
    # every start of the workbench.
    script = "import json, sys\nimport tui.app\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    loaded = {name.split(".")[0] for name in json.loads(result.stdout)}
    assert loaded & {"matplotlib", "docx", "openpyxl", "lxml", "spacy", "pydantic"} == set()


def test_the_codebook_file_format_loads_only_to_read_a_codebook_file() -> None:
    # pydantic (~80 ms) checks codebook.yaml; listing and applying codes never reads it.
    script = ("import json, sys\nimport kasus.coding.codings, kasus.codebook.codes\n"
              "print(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert "pydantic" not in {name.split(".")[0] for name in json.loads(result.stdout)}
