"""Corpus commands: show a document, search the notes."""

from __future__ import annotations

from dataclasses import asdict

import click
from rich.table import Table
from rich.text import Text

from kasus.cli.base import (
    Context,
    console,
    json_option,
    main_group,
    pass_context,
    print_json,
)
from kasus.coding.codings import list_codings
from kasus.documents import document_metadata, get_document, segments_of
from kasus.model import Coding
from kasus.search import search_page


@main_group.command()
@click.argument("document_id")
@json_option
@pass_context
def show(ctx: Context, document_id: str, as_json: bool) -> None:
    """A document: metadata, text, segments and codings."""
    db = ctx.db()
    document = get_document(db, document_id)
    codings = list_codings(db, document_id=document_id)
    orphans = [c for c in codings if c.status == "orphaned"]
    if as_json:
        segments = segments_of(db, document_id)
        print_json({
            **asdict(document),
            "metadata": document_metadata(db, document_id),
            "segments": [{"kind": s.kind, "start": s.start, "end": s.end} for s in segments],
            "codings": [asdict(c) for c in codings],
        })
        return
    console.print(Text.assemble((document.title, "bold"),
                                f"  ({document.id}, version {document.version})"))
    console.print(f"site {document.site_id} · role {document.role or '–'} · "
                  f"date {document.date or '–'} · interviewer {document.interviewer or '–'} · "
                  f"{document.word_count} words · {len(codings)} codings")
    console.print(_highlighted(document.text, codings))
    for orphan in orphans:
        console.print(Text.assemble((f"orphaned coding {orphan.id}", "yellow"),
                                    f" ({orphan.code_id}): «{orphan.quote[:80]}»"))


def _highlighted(text: str, codings: list[Coding]) -> Text:
    rendered = Text(text)
    for coding in codings:
        if coding.status != "orphaned":
            rendered.stylize("underline", coding.start, coding.end)
    return rendered


@main_group.command()
@click.argument("query")
@click.option("--lemma", is_flag=True,
              help="Match inflected forms, bokmål and nynorsk (bolig finds boliger, "
                   "bruker brukerne, teneste tenestene).")
@click.option("--site", help="Only this site (id or name).")
@click.option("--role", help="Only this informant role.")
@click.option("--code", help="Only sentences inside codings of this code (or its sub-codes).")
@click.option("--round", "round_", type=int, help="Only notes of this round (visit year).")
@click.option("--limit", default=200, show_default=True, help="At most this many hits.")
@click.option("--offset", default=0, show_default=True,
              help="Skip this many hits first (the next page: --offset 200).")
@json_option
@pass_context
def search(ctx: Context, query: str, lemma: bool, site: str | None, role: str | None,
           code: str | None, round_: int | None, limit: int, offset: int,
           as_json: bool) -> None:
    """Search sentences: words, "a phrase", prefix*, *infix*; case-insensitive, æøå distinct.

    \b
    *infix* finds the word inside compounds too (utleieboliger, personalbolig).
    Example:
      kasus search bolig --lemma --site Karmøy
      kasus search '"housing first"'
      kasus search '*bolig*'
    """
    page = search_page(ctx.db(), query, lemma=lemma, site=site, role=role, code=code,
                       limit=limit, round_=round_, offset=offset)
    hits = page.hits
    if as_json:
        print_json([asdict(hit) for hit in hits])
        return
    total = f"{page.total:,}" if page.exact else f"at most {page.total:,}"
    shown = f"hits {offset + 1}–{offset + len(hits)} of {total}" if hits else (
        f"no hits past {offset:,} of {total}" if page.total else "no hits")
    table = Table(title=f"{shown} for {query!r}" + (" (lemma)" if lemma else ""))
    for column in ("site", "document", "at", "sentence"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        sentence = Text(hit.snippet)
        for start, end in hit.matches:
            sentence.stylize("bold reverse", start - hit.start, end - hit.start)
        table.add_row(hit.site, hit.document_id, str(hit.start), sentence)
    console.print(table)
