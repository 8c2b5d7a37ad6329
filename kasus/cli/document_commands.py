"""The documents command: every note with its metadata and coding count."""

from __future__ import annotations

import csv
import sys

import click
from rich.table import Table

from kasus.cli.base import Context, console, json_option, main_group, pass_context, print_json
from kasus.documents import list_documents
from kasus.sites import find_site

COLUMNS = ("id", "site", "role", "date", "round", "word_count", "codings", "version")


@main_group.command()
@click.option("--site", help="Only this site (id or name).")
@click.option("--role", help="Only this informant role.")
@click.option("--round", "round_", type=int, help="Only this round (year of the case visit).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@json_option
@pass_context
def documents(ctx: Context, site: str | None, role: str | None, round_: int | None,
              as_csv: bool, as_json: bool) -> None:
    """Every document: id, site, role, date, round, words and codings.

    \b
    Example:
      kasus documents --site Karmøy
      kasus documents --round 2019 --csv > documents.csv
    """
    db = ctx.db()
    rows = list_documents(db, find_site(db, site) if site else None, round_, role)
    if as_json:
        print_json(rows)
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(title=f"{len(rows)} document(s)")
        for column in ("id", "site", "role", "date", "round", "words", "codings"):
            table.add_column(column, justify="right" if column in ("words", "codings") else
                             "left", no_wrap=column in ("id", "date", "round"))
        for row in rows:
            table.add_row(row["id"], row["site"], row["role"] or "–", row["date"] or "–",
                          str(row["round"] or "–"), f"{row['word_count']:,}",
                          str(row["codings"]))
        console.print(table)
