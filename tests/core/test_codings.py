"""Codings: exact quotes, removal kept in history, undo/redo, recode, memo."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from kasus.audit import record
from kasus.coding.codings import apply_coding, list_codings, recode, remove_coding, set_memo
from kasus.coding.history import redo, undo
from kasus.documents import get_document, insert_document
from kasus.errors import KasusError, NotFoundError

TEXT = ("Karmøy har samlet rus og psykisk helse i én ROP-tjeneste.\n\n"
        "Ventetiden på kommunal bolig er kort, ifølge lederen. NAV mener den er lengre.\n\n"
        "Pakkeforløpene har gitt mer papirarbeid, men bedre overganger.")


@pytest.fixture
def doc(db: Database) -> str:
    db.table("sites").insert({"id": "karmoy", "name": "Karmøy", "attributes": "{}"},
                             replace=True)
    insert_document(db, {"id": "k1", "identity": "id:k1", "site_id": "karmoy", "title": "k1",
                         "metadata": "{}"}, TEXT, "k1.md")
    return "k1"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, len(TEXT) - 1), st.integers(1, 80))
def test_quote_is_exactly_the_span(db: Database, doc: str, start: int, length: int) -> None:
    end = min(len(TEXT), start + length)
    if not TEXT[start:end].strip():
        with pytest.raises(KasusError):
            apply_coding(db, doc, start, end, "rop", "tester")
        return
    coding = apply_coding(db, doc, start, end, "rop", "tester")
    assert coding.quote == get_document(db, doc).text[coding.start:coding.end]
    assert (coding.start, coding.end) == (start, end)  # never snapped silently
    remove_coding(db, coding.id, "tester")  # the next example may draw the same span


def test_the_same_coding_twice_is_refused(db: Database, doc: str) -> None:
    first = apply_coding(db, doc, 0, 57, "rop", "tester")
    with pytest.raises(KasusError, match=f"already codes 0–57 of {doc} .coding {first.id}"):
        apply_coding(db, doc, 0, 57, "rop", "tester")
    apply_coding(db, doc, 0, 57, "rop", "other")  # another coder's own coding is not a double
    apply_coding(db, doc, 0, 57, "bolig", "tester")
    remove_coding(db, first.id, "tester")
    apply_coding(db, doc, 0, 57, "rop", "tester")  # a removed coding does not block
    assert len(list_codings(db)) == 3


def test_another_coders_coding_is_changed_only_with_force(db: Database, doc: str) -> None:
    coding = apply_coding(db, doc, 0, 57, "rop", "anna")
    for change in (lambda: remove_coding(db, coding.id, "bjorn"),
                   lambda: set_memo(db, coding.id, "nei", "bjorn"),
                   lambda: recode(db, coding.id, "bolig", "bjorn")):
        with pytest.raises(KasusError, match="is anna's, not bjorn's"):
            change()
    assert list_codings(db)[0].memo == ""
    set_memo(db, coding.id, "sjekk", "bjorn", force=True)
    assert list_codings(db)[0].memo == "sjekk"


def test_undo_never_reaches_across_coders(db: Database, doc: str) -> None:
    coding = apply_coding(db, doc, 0, 57, "rop", "anna")
    recode(db, coding.id, "bolig", "bjorn", force=True)
    with pytest.raises(KasusError, match="bjorn changed it since"):
        undo(db, "anna")
    assert [c.code_id for c in list_codings(db)] == ["bolig"]  # as bjorn left it
    assert undo(db, "anna") is None  # the refused step is dropped, not retried forever
    assert undo(db, "bjorn").action == "coding.recode"
    assert [c.code_id for c in list_codings(db)] == ["rop"]


def test_undo_says_what_it_did_and_refuses_unknown_entities(db: Database, doc: str) -> None:
    coding = apply_coding(db, doc, 0, 57, "rop", "tester")
    step = undo(db, "tester")
    assert step is not None and step.done == f"removed rop 0–57 of {doc}"
    assert redo(db, "tester").done == f"restored rop 0–57 of {doc}"
    record(db, "tester", "summary.edit", "summary", "x", undoable=True)
    with pytest.raises(KasusError, match="no undo for 'summary'"):
        undo(db, "tester")
    assert [c.id for c in list_codings(db)] == [coding.id]


def test_undo_does_not_bring_back_a_coding_under_a_retired_code(db: Database, doc: str) -> None:
    coding = apply_coding(db, doc, 0, 57, "rop", "tester")
    remove_coding(db, coding.id, "tester")
    db.table("codes").update("rop", {"status": "retired"})
    with pytest.raises(KasusError, match="retired"):
        undo(db, "tester")
    assert list_codings(db) == []


def test_sub_codes_are_found_by_parent_not_by_id_prefix(db: Database, doc: str) -> None:
    apply_coding(db, doc, 0, 57, "rop.team", "tester")
    apply_coding(db, doc, 59, 110, "bolig", "tester")
    # A sub-code whose id does not start with its parent's id is still below it.
    db.table("codes").insert({**db.table("codes").get("rop.team"), "id": "fact-team",
                              "parent_id": "rop", "guid": "x-fact", "position": 99})
    apply_coding(db, doc, 120, 150, "fact-team", "tester")
    found = list_codings(db, code_id="rop", with_descendants=True)
    assert sorted(c.code_id for c in found) == ["fact-team", "rop.team"]
    with pytest.raises(KasusError, match="no code 'rpo'"):
        list_codings(db, code_id="rpo")


def test_overlapping_and_nested_codings_coexist(db: Database, doc: str) -> None:
    apply_coding(db, doc, 0, 57, "rop", "tester")
    apply_coding(db, doc, 0, 57, "organisering", "tester")
    apply_coding(db, doc, 30, 57, "rop.team", "tester")
    assert len(list_codings(db, document_id=doc)) == 3
    assert {c.code_id for c in list_codings(db, code_id="rop", with_descendants=True)} == {
        "rop", "rop.team"}


@pytest.mark.parametrize(
    ("start", "end", "code", "error"),
    [(10, 5, "rop", "outside"), (0, 10_000, "rop", "outside"), (0, 5, "nope", "no code"),
     (-1, 5, "rop", "outside")],
)
def test_bad_codings_are_refused(db: Database, doc: str, start: int, end: int, code: str,
                                 error: str) -> None:
    with pytest.raises(KasusError, match=error):
        apply_coding(db, doc, start, end, code, "tester")
    assert list_codings(db) == []


def test_remove_keeps_the_row_and_undo_brings_it_back(db: Database, doc: str) -> None:
    coding = apply_coding(db, doc, 0, 57, "rop", "tester")
    remove_coding(db, coding.id, "tester")
    assert list_codings(db) == []
    assert db.table("codings").count == 1
    undo(db, "tester")
    assert [c.id for c in list_codings(db)] == [coding.id]


def test_undo_and_redo_walk_the_history_in_order(db: Database, doc: str) -> None:
    first = apply_coding(db, doc, 0, 57, "rop", "tester")
    set_memo(db, first.id, "samlokalisert", "tester")
    recode(db, first.id, "rop.team", "tester")
    assert undo(db, "tester").action == "coding.recode"
    assert undo(db, "tester").action == "coding.memo"
    current = list_codings(db)[0]
    assert (current.code_id, current.memo) == ("rop", "")
    assert redo(db, "tester").action == "coding.memo"
    assert list_codings(db)[0].memo == "samlokalisert"
    apply_coding(db, doc, 59, 110, "bolig", "tester")  # a new action ends the redo chain
    assert redo(db, "tester") is None


def test_undo_is_per_coder(db: Database, doc: str) -> None:
    apply_coding(db, doc, 0, 57, "rop", "anna")
    apply_coding(db, doc, 59, 110, "bolig", "bjorn")
    assert undo(db, "anna").action == "coding.apply"
    assert [c.coder for c in list_codings(db)] == ["bjorn"]
    assert undo(db, "anna") is None


def test_retired_code_cannot_be_applied(db: Database, doc: str) -> None:
    db.table("codes").update("rop", {"status": "retired"})
    with pytest.raises(KasusError, match="retired"):
        apply_coding(db, doc, 0, 10, "rop", "tester")


def test_unknown_coding(db: Database) -> None:
    with pytest.raises(NotFoundError):
        set_memo(db, 999, "x", "tester")


def test_offsets_from_an_older_version_are_refused(db: Database, doc: str) -> None:
    from kasus.documents import add_version

    add_version(db, doc, {}, "Nytt innledende avsnitt.\n\n" + TEXT, "k1.md")
    with pytest.raises(KasusError, match="changed since it was opened"):
        apply_coding(db, doc, 0, 57, "rop", "tester", expected_version=1)
    assert apply_coding(db, doc, 0, 23, "rop", "tester", expected_version=2).quote == (
        "Nytt innledende avsnitt")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(0, 0, (0, 57)), (57, 59, None), (57, 65, (59, 65)), (59, 69, (59, 69))],
    ids=["cursor-in-sentence", "only-whitespace", "trimmed", "as-selected"],
)
def test_snap_selection(start: int, end: int, expected: tuple[int, int] | None) -> None:
    from kasus.coding.codings import snap_selection

    sentences = [(0, 57), (59, 112)]
    assert snap_selection(TEXT, start, end, sentences) == expected
