"""Shared pieces of the CLI: the group, the project and coder options, output helpers."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.text import Text

from kasus import __version__
from kasus.cli.terminal import SafeConsole, escape_json_text
from kasus.config import LOGIN, coder_and_source, config_path
from kasus.paths import DEFAULT_PROJECT

# Piped output goes to scripts, files and other tools: there no table is folded or cut to fit
# 80 columns; ids, paths and names are printed whole.
PIPED_WIDTH = 10_000


def _width(stream: object) -> int | None:
    isatty = getattr(stream, "isatty", None)
    return None if callable(isatty) and isatty() else PIPED_WIDTH


# Markup off: notes, codes and file names hold brackets ("[sic]", "[/]") that rich would
# read as style tags, dropping words or failing. Styles are given as Text instead. Safe
# consoles: no escape sequence or bidi override in a name or a note reaches the terminal.
console = SafeConsole(highlight=False, markup=False, width=_width(sys.stdout))
console_err = SafeConsole(stderr=True, highlight=False, markup=False, width=_width(sys.stderr))
F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass
class Context:
    """What every command needs: where the project is and who is working."""

    project: Path
    coder_option: str | None
    _db: Database | None = None
    _told: bool = False

    @property
    def coder(self) -> str:
        """Who is working; said once on stderr when it is only the login name."""
        name, source = coder_and_source(self.coder_option)
        if source == LOGIN and not self._told:
            self._told = True
            console_err.print(Text.assemble(
                ("note: ", "yellow"), f"working as {name!r}, your login name; set --coder, "
                f"KASUS_CODER or coder = \"…\" in {config_path()}"))
        return name

    @property
    def coder_is_set(self) -> bool:
        """Whether the coder was named (flag, variable or config), not guessed from the login."""
        return coder_and_source(self.coder_option)[1] != LOGIN

    def db(self) -> Database:
        if self._db is None:
            from kasus.store import open_project, open_warnings

            self._db = open_project(self.project)
            for warning in open_warnings(self.project):
                console_err.print(Text.assemble(("warning: ", "yellow"), warning),
                                  soft_wrap=True)
        return self._db


pass_context = click.make_pass_decorator(Context)


# Which module defines each command: a command's module (and what it imports: spaCy,
# sqlite-utils, pydantic, openpyxl …) is loaded only when that command runs, so `kasus
# --version` or `kasus stats` does not pay for the importer or the exports.
# tests/cli/test_startup.py checks this table against the commands the modules define.
COMMAND_MODULES = {
    "demo": "app_commands", "open": "app_commands",
    "backup": "coding_commands", "check": "coding_commands", "code": "coding_commands",
    "codings": "coding_commands", "memo": "coding_commands", "recode": "coding_commands",
    "redo": "coding_commands", "uncode": "coding_commands", "undo": "coding_commands",
    "import": "import_commands", "search": "corpus_commands", "show": "corpus_commands",
    "documents": "document_commands",
    "indicators": "evidence_commands", "link": "evidence_commands",
    "links": "evidence_commands", "unlink": "evidence_commands",
    "export": "export_commands",
    "pseudonymise": "privacy_commands",
    "codebook": "project_commands", "init": "project_commands", "stats": "project_commands",
    "agreement": "review_commands", "merge": "review_commands", "review": "review_commands",
    "goal": "synthesis_commands", "goals": "synthesis_commands",
    "matrix": "synthesis_commands", "summary": "synthesis_commands",
}


class LazyGroup(click.Group):
    """The kasus group: each command's module is imported when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"kasus.cli.{COMMAND_MODULES[cmd_name]}")
        command = self.commands.get(cmd_name)
        if command is not None:
            add_shared_options(command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
# No dir_okay=False on --project: open_project refuses a folder in one line, where click
# would print its usage text.
@click.option(
    "--project",
    "-p",
    type=click.Path(path_type=Path),
    envvar="KASUS_PROJECT",
    default=DEFAULT_PROJECT,
    show_default=True,
    help="Project file (or set KASUS_PROJECT).",
)
@click.option("--coder", envvar="KASUS_CODER", help="Your coder name (or set KASUS_CODER).")
@click.version_option(__version__, prog_name="kasus")
@click.pass_context
def main_group(ctx: click.Context, project: Path, coder: str | None) -> None:
    """kasus: code case-study interview notes against the escalation plan's codebook.

    \b
    Example:
      kasus init study.db
      kasus --project study.db import corpus/
      kasus --project study.db open
    """
    ctx.obj = Context(project=project, coder_option=coder)
    ctx.call_on_close(lambda: ctx.obj._db.close() if ctx.obj._db is not None else None)


def _set_project(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.ensure_object(Context).project = value


def _set_coder(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Context).coder_option = value


def add_shared_options(command: click.Command) -> None:
    """Let --project and --coder stand after the sub-command too (`kasus stats --project
    study.db`), as the README and DESIGN.md write them; there they override the ones before."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_shared_options(sub)
    else:
        names = {name for param in command.params for name in param.opts}
        if "--project" not in names:
            command.params.append(click.Option(
                ["--project", "-p"], type=click.Path(path_type=Path),
                expose_value=False, callback=_set_project,
                help="Project file (or set KASUS_PROJECT)."))
        if "--coder" not in names:
            command.params.append(click.Option(
                ["--coder"], expose_value=False, callback=_set_coder,
                help="Your coder name (or set KASUS_CODER)."))


def json_option(func: F) -> F:
    """--json: print machine-readable output instead of tables."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8 as is (æøå stay readable), terminal controls as \\u escapes."""
    click.echo(escape_json_text(json.dumps(data, ensure_ascii=False, indent=2, default=str)))
