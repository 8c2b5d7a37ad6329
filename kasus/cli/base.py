"""Shared pieces of the CLI: the group, the project and coder options, output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.text import Text
from sqlite_utils import Database

from kasus import __version__
from kasus.cli.terminal import SafeConsole, escape_json_text
from kasus.config import LOGIN, coder_and_source, config_path
from kasus.store import DEFAULT_PROJECT, network_filesystem, open_project

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
            self._db = open_project(self.project)
            fs_type = network_filesystem(self.project)
            if fs_type:
                console_err.print(Text.assemble(
                    ("warning: ", "yellow"),
                    f"{self.project} is on a network share ({fs_type}); SQLite's WAL mode is "
                    "not safe there. Keep the project on a local disk.",
                ))
        return self._db


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "-p",
    type=click.Path(dir_okay=False, path_type=Path),
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


def add_shared_options(group: click.Group) -> None:
    """Let --project and --coder stand after the sub-command too (`kasus stats --project
    study.db`), as the README and DESIGN.md write them; there they override the ones before."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            add_shared_options(command)
            continue
        names = {name for param in command.params for name in param.opts}
        if "--project" not in names:
            command.params.append(click.Option(
                ["--project", "-p"], type=click.Path(dir_okay=False, path_type=Path),
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
