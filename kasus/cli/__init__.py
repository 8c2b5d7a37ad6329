"""The kasus command line: thin commands over the core; rich tables, or --json for scripts."""

from __future__ import annotations

import sys

import click
from rich.text import Text

from kasus.cli.base import console_err, main_group
from kasus.cli.terminal import terminal_line
from kasus.errors import KasusError

__all__ = ["main", "main_group"]


def main(argv: list[str] | None = None) -> None:
    """Entry point: user-caused errors print one line on stderr, never a traceback."""
    try:
        main_group.main(args=argv, standalone_mode=False, prog_name="kasus")
    except click.exceptions.Abort:
        console_err.print("aborted")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except KasusError as error:
        # terminal_line: a file name holding a newline must not split the one-line error.
        console_err.print(Text.assemble(("error: ", "bold red"), terminal_line(str(error))),
                          soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        console_err.print("interrupted; nothing half-written was kept")
        sys.exit(130)
