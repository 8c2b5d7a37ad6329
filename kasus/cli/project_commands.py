"""Project commands: init, stats, codebook."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text
from rich.tree import Tree
from sqlite_utils import Database

from kasus.cli.base import Context, console, json_option, main_group, pass_context, print_json
from kasus.codebook import codes as codebook_core
from kasus.model import Code
from kasus.project import init_project, project_stats, reload_codebook


@main_group.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path),
              help="Codebook YAML (default: the shipped codebook.yaml).")
@click.option("--indicators", "indicators_path", type=click.Path(path_type=Path),
              help="Indicator CSV (default: the shipped indicators.csv).")
@click.option("--sites", "sites_path", type=click.Path(path_type=Path),
              help="Sites YAML (default: corpus/sites.yaml).")
@pass_context
def init(
    ctx: Context,
    path: Path | None,
    codebook_path: Path | None,
    indicators_path: Path | None,
    sites_path: Path | None,
) -> None:
    """Create a new project file (owner-only) with codebook, indicators and sites.

    \b
    Example:
      kasus init study.db --codebook codebook.yaml
    """
    target = path or ctx.project
    db = init_project(target, ctx.coder, codebook_path, indicators_path, sites_path)
    stats = project_stats(db)
    db.close()
    console.print(
        f"Created {target}: {stats.codes} codes, {stats.indicators} indicators, "
        f"{len(stats.sites)} sites."
    )


@main_group.command()
@json_option
@pass_context
def stats(ctx: Context, as_json: bool) -> None:
    """Sites with documents and words, codes, and codings per coder."""
    result = project_stats(ctx.db())
    if as_json:
        print_json(asdict(result))
        return
    table = Table(title=f"{ctx.project}")
    for column in ("site", "documents", "words", "codings"):
        table.add_column(column, justify="left" if column == "site" else "right")
    for site in result.sites:
        table.add_row(site["name"], str(site["documents"]), f"{site['words']:,}",
                      str(site["codings"]))
    table.add_section()
    table.add_row("total", str(result.documents), f"{result.words:,}", str(result.codings))
    console.print(table)
    coders = ", ".join(f"{name} {count}" for name, count in result.coders.items()) or "none yet"
    console.print(
        f"codes: {result.codes} active, {result.retired_codes} retired · "
        f"indicators: {result.indicators} · codings by coder: {coders}"
    )


def _code_json(code: Code, counts: dict[str, int]) -> dict[str, object]:
    return {**asdict(code), "codings": counts.get(code.id, 0)}


@main_group.command()
@click.argument("code_id", required=False)
@click.option("--load", "load_path", type=click.Path(path_type=Path),
              help="Load a changed codebook file into the project first.")
@json_option
@pass_context
def codebook(ctx: Context, code_id: str | None, load_path: Path | None, as_json: bool) -> None:
    """The codebook tree (goals, themes, codes) with coding counts; or one code in full.

    \b
    Example:
      kasus codebook            # the tree
      kasus codebook rop.team   # definition, include/exclude, examples, indicators
    """
    db = ctx.db()
    if code_id is not None and load_path is None:
        _show_code(db, code_id, as_json)
        return
    if load_path is not None:
        changes = reload_codebook(db, load_path, ctx.coder)
        if not as_json:
            console.print(
                f"Loaded {load_path}: {len(changes.added)} added, {len(changes.updated)} updated, "
                f"{len(changes.reactivated)} reactivated, {len(changes.retired)} retired "
                f"(kept with their codings)."
            )
            for code_id in changes.retired:
                console.print(f"  retired: {code_id}")
    codes = codebook_core.list_codes(db)
    counts = codebook_core.code_counts(db)
    if as_json:
        print_json([_code_json(code, counts) for code in codes])
        return
    console.print(_code_tree(codes, counts))


def _show_code(db: Database, code_id: str, as_json: bool) -> None:
    codebook_core.require_code(db, code_id)
    codes = {code.id: code for code in codebook_core.list_codes(db)}
    code = codes[code_id]
    counts = codebook_core.code_counts(db)
    if as_json:
        print_json(_code_json(code, counts))
        return
    path: list[str] = []
    parent = code.parent_id
    while parent is not None and parent in codes:
        path.insert(0, parent)
        parent = codes[parent].parent_id
    console.print(Text.assemble(("  ", f"on {code.colour}"), " ", (code.id, "bold"),
                                f"  {code.label_nb} ", (f"/ {code.label_en}", "dim"),
                                (" (retired)" if code.status == "retired" else "", "yellow")))
    console.print(f"{code.kind} under {' › '.join(path) or 'the codebook root'} · "
                  f"{counts.get(code.id, 0)} coding(s)")
    for heading, body in (("Definition", code.definition), ("Include", code.include),
                          ("Exclude", code.exclude)):
        console.print(Text.assemble((f"{heading}: ", "bold"), body or "–"))
    for example in code.examples:
        console.print(Text(f"  «{example}»", style="italic"))
    console.print(Text.assemble(("Keywords: ", "bold"), ", ".join(code.keywords) or "–"))
    console.print(Text.assemble(("Indicators: ", "bold"),
                                ", ".join(map(str, code.indicators)) or "none"))


def _code_tree(codes: list[Code], counts: dict[str, int]) -> Tree:
    tree = Tree(Text("codebook", style="bold"))
    nodes: dict[str | None, Tree] = {None: tree}
    for code in codes:
        parent = nodes.get(code.parent_id, tree)
        label = Text.assemble(
            ("  ", f"on {code.colour}"), " ", (code.id, "bold"), f"  {code.label_nb} ",
            (f"/ {code.label_en}", "dim"), "  ", (str(counts.get(code.id, 0)), "cyan"),
            (" (retired)" if code.status == "retired" else "", "dim"),
        )
        nodes[code.id] = parent.add(label)
    return tree
