"""Synthesis commands: the framework matrix, cell summaries, and goal-attainment judgements."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from kasus.cli.base import Context, console, json_option, main_group, pass_context, print_json
from kasus.errors import KasusError
from kasus.evidence.links import STANCES
from kasus.store import transaction
from kasus.synthesis.columns import ColumnChoice, save_choice, saved_choice
from kasus.synthesis.grounds import Ground, cite
from kasus.synthesis.grounds import uncite as uncite_ground
from kasus.synthesis.judgements import (
    LEVELS,
    JudgementVersion,
    SubJudgement,
    judgement_history,
    restore_judgement,
    save_judgement,
)
from kasus.synthesis.matrix import TO_SUMMARISE, CellDetail, Matrix, build_matrix, cell_detail
from kasus.synthesis.overview import GoalRow, goal_row, goal_table
from kasus.synthesis.summaries import (
    STATUSES,
    SummaryVersion,
    restore_summary,
    save_summary,
    summary_history,
)

FIRST_LINE_WIDTH = 28


def read_text_file(path: Path) -> str:
    """A text given as a file (UTF-8), refused in one line when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KasusError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KasusError(f"{path}: cannot read it as UTF-8 text ({error})") from None


def _choice(codes: tuple[str, ...], goal: str | None) -> ColumnChoice | None:
    if codes and goal is not None:
        raise click.UsageError("give --codes or --goal, not both")
    if codes:
        split = tuple(c.strip() for text in codes for c in text.split(",") if c.strip())
        return ColumnChoice("codes", codes=split)
    return ColumnChoice("goal", goal=goal) if goal is not None else None


@main_group.command()
@click.option("--codes", multiple=True, help="Columns: these codes (comma-separated or "
                                             "repeated), each counting its sub-codes.")
@click.option("--goal", help="Columns: one goal (0 = opptrapping, 1–5) and the codes under it.")
@click.option("--save", is_flag=True, help="Keep these columns as the project's matrix.")
@json_option
@pass_context
def matrix(ctx: Context, codes: tuple[str, ...], goal: str | None, save: bool,
           as_json: bool) -> None:
    """The framework matrix: sites as rows, codes or whole goals as columns; each cell its
    passages and the first line of its summary, or "to summarise".

    \b
    Example:
      kasus matrix
      kasus matrix --codes rop,bolig,hm4.arbeid --save
      kasus matrix --goal 4 --json
    """
    db = ctx.db()
    choice = _choice(codes, goal)
    if save:
        save_choice(db, choice or saved_choice(db), ctx.coder)
    found = build_matrix(db, choice)
    if as_json:
        print_json(_matrix_json(found))
    else:
        _print_matrix(found)


def _matrix_json(found: Matrix) -> dict[str, Any]:
    return {"sites": [asdict(site) for site in found.sites],
            "columns": [asdict(col) for col in found.columns],
            "cells": [asdict(cell) for cell in found.cells.values()]}


def _short(text: str, width: int = FIRST_LINE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cell_text(found: Matrix, site_id: str, column_id: str) -> Text:
    cell = found.cell(site_id, column_id)
    text = Text(str(cell.passages) if cell.passages else "–", style="bold")
    if cell.status == TO_SUMMARISE:
        text.append(f"\n{TO_SUMMARISE}", style="yellow")
    elif cell.first_line:
        text.append(f"\n{_short(cell.first_line)}")
        text.append(f" ({cell.status} v{cell.version})", style="dim")
    return text


def _print_matrix(found: Matrix) -> None:
    table = Table(title="Framework matrix: passages and summaries per site", show_lines=True)
    table.add_column("site", no_wrap=True)
    for col in found.columns:
        table.add_column(col.id, overflow="fold")
    for site in found.sites:
        table.add_row(site.name, *(_cell_text(found, site.id, col.id) for col in found.columns))
    console.print(table)
    console.print(Text("; ".join(f"{col.id}: {col.label_nb}" for col in found.columns),
                       style="dim"))


@main_group.command()
@click.argument("site")
@click.argument("code")
@click.option("--set", "text", help="Save this text as the cell's new summary version.")
@click.option("--file", "text_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the text of this file (UTF-8) as the new version.")
@click.option("--status", type=click.Choice(STATUSES), help="Mark the summary draft or reviewed.")
@click.option("--history", "show_history", is_flag=True, help="Every version of the summary.")
@click.option("--restore", type=int, metavar="V", help="Bring back version V as a new version.")
@json_option
@pass_context
def summary(ctx: Context, site: str, code: str, text: str | None, text_file: Path | None,
            status: str | None, show_history: bool, restore: int | None,
            as_json: bool) -> None:
    """A matrix cell's summary (site × code): show it with its passages, write a new version,
    mark it reviewed, list its history or restore an earlier version.

    \b
    Example:
      kasus summary Karmøy rop --set "ROP-teamet er godt forankret …"
      kasus summary Karmøy rop --status reviewed
      kasus summary Karmøy rop --history
      kasus summary Karmøy rop --restore 1
    """
    if text is not None and text_file is not None:
        raise click.UsageError("give --set TEXT or --file F, not both")
    if restore is not None and (text is not None or text_file is not None):
        raise click.UsageError("--restore V brings back a saved text: give no --set or --file")
    db = ctx.db()
    if text_file is not None:
        text = read_text_file(text_file)
    if show_history:
        _print_history(summary_history(db, site, code), as_json)
        return
    if restore is not None:
        saved = restore_summary(db, site, code, restore, ctx.coder, status or "draft")
    elif text is not None or status is not None:
        saved = save_summary(db, site, code, ctx.coder, text, status)
    else:
        _print_cell(cell_detail(db, site, code), as_json)
        return
    if as_json:
        print_json(asdict(saved))
    else:
        console.print(f"summary of {saved.site_id}/{saved.column_id}: version {saved.version} "
                      f"({saved.status}, {saved.author})")


def _print_history(versions: list[SummaryVersion], as_json: bool) -> None:
    if as_json:
        print_json([asdict(v) for v in versions])
        return
    if not versions:
        console.print(Text("no summary yet", style="dim"))
        return
    table = Table(title="Summary history")
    for name in ("version", "status", "author", "saved", "text"):
        table.add_column(name, overflow="fold")
    for v in versions:
        restored = f" (restores {v.restored_from})" if v.restored_from else ""
        table.add_row(f"{v.version}{restored}", v.status, v.author, v.created_at, v.text)
    console.print(table)


def _print_cell(detail: CellDetail, as_json: bool) -> None:
    if as_json:
        print_json({**asdict(detail), "status": detail.status})
        return
    console.print(Text(f"{detail.site.name} × {detail.column.label_nb} ({detail.column.id})",
                       style="bold"))
    if detail.summary:
        console.print(Text(f"summary version {detail.summary.version}, {detail.summary.status}, "
                           f"{detail.summary.author}", style="dim"))
        console.print(detail.summary.text)
    else:
        console.print(Text(detail.status or "no passages and no summary", style="yellow"))
    table = Table(title=f"{len(detail.passages)} passage(s)")
    for name in ("coding", "document", "role", "code", "span", "coder", "quote"):
        table.add_column(name, overflow="fold")
    for p in detail.passages:
        flag = "" if p.status == "anchored" else f" ({p.status})"
        table.add_row(str(p.coding_id), p.document_id, p.role, p.code_id, f"{p.start}–{p.end}",
                      p.coder, " ".join(p.quote.split()) + flag)
    console.print(table)
    for fact in detail.indicators:
        console.print(f"indicator {fact.id} {fact.name}: {fact.verdict} {fact.years} · "
                      f"latest {fact.latest}")


@main_group.command()
@json_option
@pass_context
def goals(ctx: Context, as_json: bool) -> None:
    """The goal-attainment table: the overall escalation and goals 1–5, each with its level,
    status, grounds and warnings.

    \b
    Example:
      kasus goals
      kasus goals --json
    """
    rows = goal_table(ctx.db())
    if as_json:
        print_json([_row_json(row) for row in rows])
        return
    table = Table(title="Mål | Måloppnåelse", show_lines=True)
    for name in ("#", "mål", "level", "måloppnåelse", "status", "grounds", "warnings"):
        table.add_column(name, overflow="fold")
    for row in rows:
        j = row.judgement
        grounds = f"{len(row.grounds)}" + (f" ({len(row.flagged)} flagged)" if row.flagged
                                           else "")
        table.add_row(row.number, row.label, j.level if j else "–", j.text if j else "",
                      f"{j.status} v{j.version}" if j else "", grounds,
                      Text("\n".join(row.warnings), style="yellow"))
    console.print(table)


def _row_json(row: GoalRow) -> dict[str, Any]:
    return {**asdict(row), "grounds": [_ground_json(g) for g in row.grounds]}


def _ground_json(ground: Ground) -> dict[str, Any]:
    return {**asdict(ground), "label": ground.label, "flagged": bool(ground.flags)}


def _parse_sub(text: str) -> SubJudgement:
    label, _, rest = text.partition("=")
    level, _, note = rest.partition("=")
    if not label.strip() or not level.strip():
        raise KasusError(f"sub-judgement {text!r} is not LABEL=LEVEL[=TEXT]",
                         'e.g. --sub "individnivå=relativt høy"')
    return SubJudgement(label.strip(), level.strip(), note.strip())


@main_group.command()
@click.argument("goal")
@click.option("--level", help="The level: " + " / ".join(LEVELS) + ".")
@click.option("--text", help="The judgement text.")
@click.option("--file", "text_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The judgement text from a file (UTF-8).")
@click.option("--sub", "subs", multiple=True, metavar="LABEL=LEVEL[=TEXT]",
              help="A sub-judgement (repeatable; replaces the earlier ones).")
@click.option("--status", type=click.Choice(STATUSES), help="Mark it draft or reviewed.")
@click.option("--cite", "cites", multiple=True,
              metavar="indicator:ID|coding:ID|link:ID|cell:SITE/CODE",
              help="Cite a ground (repeatable).")
@click.option("--note", default="", help="With --cite: why the ground bears on the goal.")
@click.option("--uncite", type=int, metavar="GROUND", help="Take ground GROUND off.")
@click.option("--history", "show_history", is_flag=True, help="Every version of the judgement.")
@click.option("--restore", type=int, metavar="V", help="Bring back version V as a new version.")
@json_option
@pass_context
def goal(ctx: Context, goal: str, level: str | None, text: str | None, text_file: Path | None,
         subs: tuple[str, ...], status: str | None, cites: tuple[str, ...], note: str,
         uncite: int | None, show_history: bool, restore: int | None, as_json: bool) -> None:
    """One row of the goal-attainment table (0 = opptrapping, 1–5 the goals): show it with its
    grounds and the evidence tally, judge it, cite grounds, list or restore versions.

    \b
    Example:
      kasus goal 4 --level lav --text "Måloppnåelsen vurderes å være lav."
      kasus goal 1 --sub "individnivå=relativt høy" --sub "tjeneste- og systemnivå=lav"
      kasus goal 4 --cite indicator:77 --cite coding:123 --cite cell:Karmøy/rop
      kasus goal 4 --history
    """
    if text is not None and text_file is not None:
        raise click.UsageError("give --text T or --file F, not both")
    if restore is not None and (level or text is not None or text_file is not None or subs):
        raise click.UsageError("--restore V brings back a saved judgement: give no --level, "
                               "--text, --file or --sub")
    db = ctx.db()
    if text_file is not None:
        text = read_text_file(text_file)
    if show_history:
        _print_judgements(judgement_history(db, goal), as_json)
        return
    done: dict[str, Any] = {}
    # One transaction: a bad ground among several leaves the judgement as it was.
    with transaction(db):
        if restore is not None:
            done["judgement"] = restore_judgement(db, goal, restore, ctx.coder,
                                                  status or "draft")
        elif level is not None or text is not None or subs or status is not None:
            parts = [_parse_sub(s) for s in subs] if subs else None
            done["judgement"] = save_judgement(db, goal, ctx.coder, level, text, parts, status)
        done["cited"] = [cite(db, goal, ref, ctx.coder, note) for ref in cites]
        if uncite is not None:
            done["uncited"] = uncite_ground(db, goal, uncite, ctx.coder)
    if len(done) == 1 and not done["cited"]:
        _print_row(goal_row(db, goal), as_json)
        return
    _print_done(done, as_json)



def _print_done(done: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json({key: ([_ground_json(g) for g in value] if key == "cited" else
                          _ground_json(value) if key == "uncited" else asdict(value))
                    for key, value in done.items()})
        return
    judged: JudgementVersion | None = done.get("judgement")
    if judged is not None:
        console.print(f"goal {judged.goal_id}: version {judged.version}, {judged.level} "
                      f"({judged.status}, {judged.author})")
    for ground in done["cited"]:
        console.print(f"ground {ground.id}: cites {ground.label}")
    if "uncited" in done:
        console.print(f"ground {done['uncited'].id} ({done['uncited'].label}) taken off")


def _print_judgements(versions: list[JudgementVersion], as_json: bool) -> None:
    if as_json:
        print_json([asdict(v) for v in versions])
        return
    if not versions:
        console.print(Text("no judgement yet", style="dim"))
        return
    table = Table(title="Judgement history")
    for name in ("version", "level", "status", "author", "saved", "text"):
        table.add_column(name, overflow="fold")
    for v in versions:
        restored = f" (restores {v.restored_from})" if v.restored_from else ""
        parts = "".join(f"\n{p.label}: {p.level}" for p in v.parts)
        table.add_row(f"{v.version}{restored}", v.level, v.status, v.author, v.created_at,
                      v.text + parts)
    console.print(table)


def _print_row(row: GoalRow, as_json: bool) -> None:
    if as_json:
        print_json(_row_json(row))
        return
    console.print(Text(f"{row.number}. {row.label}", style="bold"))
    j = row.judgement
    if j:
        console.print(Text.assemble((j.level, "bold"), f" · {j.status} · version {j.version} "
                                    f"({j.author})"))
        console.print(j.text)
        for part in j.parts:
            console.print(f"  {part.label}: {part.level}" + (f" – {part.text}" if part.text
                                                              else ""))
    for warning in row.warnings:
        console.print(Text.assemble(("warning: ", "yellow"), warning))
    _print_grounds(row.grounds)
    _print_tally(row)


def _ground_line(ground: Ground) -> str:
    if ground.indicator is not None:
        fact = ground.indicator
        return f"{fact.name}: {fact.verdict} {fact.years}, latest {fact.latest}"
    if ground.kind == "cell":
        return ground.summary_line or "(no summary)"
    if ground.kind == "indicator":
        return str(ground.cited.get("name", ""))
    return f"«{' '.join(ground.quote.split())}» ({ground.place})"


def _print_grounds(grounds: list[Ground]) -> None:
    table = Table(title=f"{len(grounds)} ground(s)")
    for name in ("id", "ground", "what", "flags"):
        table.add_column(name, overflow="fold")
    for ground in grounds:
        table.add_row(str(ground.id), ground.label, _ground_line(ground),
                      Text("\n".join(ground.flags), style="bold red"))
    console.print(table)


def _print_tally(row: GoalRow) -> None:
    table = Table(title="Evidence by site (codings; linked passages by stance)")
    for name in ("site", "codings", *STANCES):
        table.add_column(name, justify="left" if name == "site" else "right")
    for site in row.tally.sites:
        table.add_row(site.site_id, str(site.codings), *(str(site.stances[s]) for s in STANCES))
    table.add_row("all", str(sum(s.codings for s in row.tally.sites)),
                  *(str(row.tally.stances[s]) for s in STANCES), style="bold")
    console.print(table)

