"""Commands that start the TUI: demo and open. Textual is imported only here, when needed."""

from __future__ import annotations

from pathlib import Path

import click

from kasus.cli.base import Context, console, main_group, pass_context
from kasus.demo import DEFAULT_DEMO_PROJECT, build_demo
from kasus.store import open_project


def _run_app(project: Path, ctx: Context) -> None:
    open_project(project).close()  # fail here, with a one-line error, not inside the app
    from tui.app import run  # deferred: the CLI must work without loading textual

    run(project, ctx.coder, ask_coder=not ctx.coder_is_set)


@main_group.command()
@click.option("--path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_DEMO_PROJECT, show_default=True, help="Where the demo project lives.")
@click.option("--no-open", is_flag=True, help="Only build the demo project.")
@pass_context
def demo(ctx: Context, path: Path, no_open: bool) -> None:
    """Build the demo project from corpus/ (first time only) and open the TUI on it."""
    if not path.exists():
        with console.status("building the demo project from corpus/ …"):
            report = build_demo(path)
        console.print(f"demo project {path}: {report.count('added')} notes imported")
    if not no_open:
        _run_app(path, ctx)


@main_group.command(name="open")
@pass_context
def open_(ctx: Context) -> None:
    """Open the coding workbench (TUI) on the project."""
    _run_app(ctx.project, ctx)
