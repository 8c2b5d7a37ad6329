"""Review sessions: disagreements listed, decided with a comment, resumable, undoable."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from kasus.coding.codings import apply_coding, list_codings
from kasus.coding.history import redo, undo
from kasus.documents import insert_document, segments_of
from kasus.errors import KasusError
from kasus.review.agreement import compute_agreement
from kasus.review.decisions import (
    decide,
    find_disagreement,
    list_disagreements,
    open_session,
    progress,
)

TEXT = ("Boligene er for få. Ventetiden er lang.\n\n"
        "ROP-teamet følger opp. Brukerrådet møtes ofte.\n\n"
        "NAV er med i ansvarsgruppene.")


@pytest.fixture
def coded(db: Database) -> Database:
    insert_document(db, {"id": "d1", "identity": "id:d1", "site_id": "karmoy", "title": "d1",
                         "metadata": "{}"}, TEXT, "d1.md")
    paragraphs = [(s.start, s.end) for s in segments_of(db, "d1", "paragraph")]
    apply_coding(db, "d1", *paragraphs[0], "bolig", "anna")
    apply_coding(db, "d1", *paragraphs[0], "bolig", "bjorn")      # agreement
    apply_coding(db, "d1", *paragraphs[1], "rop.team", "anna")    # only anna
    apply_coding(db, "d1", *paragraphs[2], "samarbeid", "bjorn")  # only bjorn
    return db


def test_disagreements_are_the_units_one_coder_coded(coded: Database) -> None:
    session = open_session(coded, ("anna", "bjorn"), "paragraph", 0.5, "rita")
    found = list_disagreements(coded, session)
    assert [(d.key, d.applied_by, d.not_applied_by) for d in found] == [
        ("d1:1:rop.team", ("anna",), ("bjorn",)),
        ("d1:2:samarbeid", ("bjorn",), ("anna",)),
    ]
    assert progress(found).decided == 0 and progress(found).total == 2


def test_decisions_make_consensus_codings_and_survive_a_new_session(coded: Database) -> None:
    session = open_session(coded, ("anna", "bjorn"), "paragraph", 0.5, "rita")
    first, second = list_disagreements(coded, session)
    accepted = decide(coded, session, first, "accept", "teamet er ROP-team", "rita")
    decide(coded, session, second, "recode", "det er NAV-samarbeid", "rita",
           new_code_id="samarbeid.avtaler")
    consensus = {(c.code_id, c.quote, c.coder) for c in list_codings(coded)
                 if c.origin == "consensus"}
    assert consensus == {("rop.team", "ROP-teamet følger opp. Brukerrådet møtes ofte.", "rita"),
                         ("samarbeid.avtaler", "NAV er med i ansvarsgruppene.", "rita")}
    again = open_session(coded, ("anna", "bjorn"), "paragraph", 0.5, "rita")
    assert progress(list_disagreements(coded, again)).decided == 2
    assert list_disagreements(coded, again)[0].decision == accepted
    # Consensus codings are the outcome of review, not a coder's judgement.
    report = compute_agreement(coded, ("anna", "bjorn"), "paragraph")
    assert [c.code_id for c in report.codes] == ["bolig", "rop.team", "samarbeid"]


def test_deciding_again_supersedes_and_undo_restores(coded: Database) -> None:
    session = open_session(coded, ("anna", "bjorn"), "paragraph", 0.5, "rita")
    disagreement = find_disagreement(coded, session, "d1:1:rop.team")
    decide(coded, session, disagreement, "accept", "ja", "rita")
    disagreement = find_disagreement(coded, session, "d1:1:rop.team")
    rejected = decide(coded, session, disagreement, "reject", "nei, det er ikke ROP", "rita")
    assert rejected.consensus_coding_id is None
    assert [c for c in list_codings(coded) if c.origin == "consensus"] == []
    step = undo(coded, "rita")
    assert step is not None and step.done == "took back: reject on d1:1:rop.team"
    now = find_disagreement(coded, session, "d1:1:rop.team").decision
    assert now is not None and now.verdict == "accept"
    assert len([c for c in list_codings(coded) if c.origin == "consensus"]) == 1
    redo(coded, "rita")
    now = find_disagreement(coded, session, "d1:1:rop.team").decision
    assert now is not None and now.verdict == "reject"


def test_bad_decisions_are_refused(coded: Database) -> None:
    session = open_session(coded, ("anna", "bjorn"), "paragraph", 0.5, "rita")
    disagreement = list_disagreements(coded, session)[0]
    with pytest.raises(KasusError, match="needs a comment"):
        decide(coded, session, disagreement, "accept", "  ", "rita")
    with pytest.raises(KasusError, match="recode needs the code"):
        decide(coded, session, disagreement, "recode", "annen kode", "rita")
    with pytest.raises(KasusError, match="verdict 'maybe'"):
        decide(coded, session, disagreement, "maybe", "hm", "rita")
    with pytest.raises(KasusError, match="no disagreement 'd1:0:bolig'"):
        find_disagreement(coded, session, "d1:0:bolig")
    with pytest.raises(KasusError, match="'nobody' has no codings"):
        open_session(coded, ("anna", "nobody"), "paragraph", 0.5, "rita")
    assert [c for c in list_codings(coded) if c.origin == "consensus"] == []
