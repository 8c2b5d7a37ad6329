"""Re-anchoring on re-import: kept, moved, fuzzy with a score, or orphaned — never lost."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from kasus.coding.anchoring import Span, reanchor
from kasus.coding.codings import apply_coding, list_codings
from kasus.documents import get_document
from kasus.importing.importer import run_import

HEADER = "---\nid: karmoy-test\nsite: Karmøy\nrole: leder\n---\n"
PARAGRAPHS = [
    "Informanten forteller at rus og psykisk helse ble slått sammen i 2015.",
    "ROP-tjenesten har døgnbemanning, og samarbeidet med DPS beskrives som godt.",
    "Ventetiden på kommunal bolig er kort, men det finnes få boliger med bemanning.",
    "Recovery college er et tilbud for alle innbyggere med rusutfordringer.",
]


def write(path: Path, paragraphs: list[str]) -> None:
    path.write_text(HEADER + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def coded_note(db: Database, tmp_path: Path) -> tuple[Path, dict[str, int]]:
    note = tmp_path / "note.md"
    write(note, PARAGRAPHS)
    run_import(db, [note], "tester")
    text = get_document(db, "karmoy-test").text
    ids = {}
    for index, code in ((1, "rop"), (2, "bolig"), (3, "recovery")):
        start = text.index(PARAGRAPHS[index])
        ids[code] = apply_coding(db, "karmoy-test", start, start + len(PARAGRAPHS[index]), code,
                                 "tester").id
    return note, ids


def codings_by_code(db: Database) -> dict[str, object]:
    return {c.code_id: c for c in list_codings(db, document_id="karmoy-test")}


def test_inserted_paragraph_and_edits_elsewhere_keep_every_coding(db: Database,
                                                                  tmp_path: Path) -> None:
    note, _ = coded_note(db, tmp_path)
    edited = [PARAGRAPHS[0].replace("2015", "januar 2015"),
              "Et nytt avsnitt om lavterskeltilbud kom inn her.", *PARAGRAPHS[1:]]
    write(note, edited)
    result = run_import(db, [note], "tester").results[0]
    assert result.status == "new version"
    assert result.reanchored is not None and result.reanchored.orphaned == 0
    text = get_document(db, "karmoy-test").text
    for coding in list_codings(db, document_id="karmoy-test"):
        assert coding.status == "anchored"
        assert text[coding.start:coding.end] == coding.quote
    quotes = {c.code_id: c.quote for c in list_codings(db)}
    assert quotes == {"rop": PARAGRAPHS[1], "bolig": PARAGRAPHS[2], "recovery": PARAGRAPHS[3]}


def test_deleted_passage_is_kept_as_orphaned(db: Database, tmp_path: Path) -> None:
    note, ids = coded_note(db, tmp_path)
    write(note, [PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[3]])
    report = run_import(db, [note], "tester").results[0].reanchored
    assert report is not None and report.orphaned == 1
    orphan = codings_by_code(db)["bolig"]
    assert orphan.status == "orphaned" and orphan.quote == PARAGRAPHS[2]  # type: ignore[attr-defined]
    assert orphan.id == ids["bolig"]  # type: ignore[attr-defined]


def test_slightly_reworded_passage_is_a_fuzzy_anchor_with_score(db: Database,
                                                               tmp_path: Path) -> None:
    note, _ = coded_note(db, tmp_path)
    reworded = PARAGRAPHS[2].replace("er kort", "er ganske kort")
    write(note, [PARAGRAPHS[0], PARAGRAPHS[1], reworded, PARAGRAPHS[3]])
    run_import(db, [note], "tester")
    fuzzy = codings_by_code(db)["bolig"]
    assert fuzzy.status == "fuzzy"  # type: ignore[attr-defined]
    assert 80 <= fuzzy.anchor_score < 100  # type: ignore[attr-defined]
    assert fuzzy.quote == reworded  # type: ignore[attr-defined]
    audit = db.execute("SELECT count(*) FROM audit_log WHERE action = "
                       "'coding.reanchor.fuzzy'").fetchone()[0]
    assert audit == 1


def test_a_lone_quote_far_away_with_other_surroundings_is_flagged() -> None:
    filler = "Informanten snakket lenge om andre ting i kommunen. " * 40
    old = "Hun nevnte bolig tidlig i intervjuet. " + filler + "Senere kom bolig opp igjen."
    new = old.replace("nevnte bolig tidlig", "nevnte ventetid tidlig")
    placement = reanchor(old, new, Span(11, 16, "bolig"))
    assert placement.outcome == "fuzzy" and placement.score is not None
    assert placement.score < 70


words = st.sampled_from(["bolig", "rus", "NAV", "DPS", "og", "er", "kort", "lang", "tjeneste"])


@settings(max_examples=80)
@given(st.lists(words, min_size=20, max_size=60), st.data())
def test_an_edit_away_from_the_coding_keeps_it_on_its_passage(old_words: list[str],
                                                             data: st.DataObject) -> None:
    old = " ".join(old_words)
    first = data.draw(st.integers(0, len(old_words) - 3))
    start = len(" ".join(old_words[:first])) + (1 if first else 0)
    quote = " ".join(old_words[first:first + 3])
    end = start + len(quote)
    inserted = data.draw(st.text(alphabet="abcæøå ", min_size=1, max_size=40)) + " "
    before = data.draw(st.booleans())
    # Insert the new text before the coded passage or after it, at a word boundary.
    where = data.draw(st.integers(0, start)) if before else data.draw(st.integers(end, len(old)))
    while 0 < where < len(old) and old[where - 1] != " ":
        where -= 1
    if not before and where < end:
        where = len(old)
    new = old[:where] + inserted + old[where:]
    placement = reanchor(old, new, Span(start, end, quote))
    shift = len(inserted) if where <= start else 0
    assert placement.outcome in ("kept", "moved")
    assert (placement.start, placement.end) == (start + shift, end + shift)
    assert new[placement.start:placement.end] == quote
