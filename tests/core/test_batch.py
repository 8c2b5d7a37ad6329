"""Coding from a file: every row checked first, one transaction, bad rows named by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from kasus.coding.batch import apply_batch
from kasus.coding.codings import list_codings
from kasus.coding.history import redo, undo
from kasus.documents import insert_document
from kasus.errors import KasusError

TEXT = ("Karmøy har samlet rus og psykisk helse i én ROP-tjeneste.\n\n"
        "Ventetiden på kommunal bolig er kort. Ventetiden på kommunal bolig er kort.")


@pytest.fixture
def doc(db: Database) -> str:
    insert_document(db, {"id": "k1", "identity": "id:k1", "site_id": "karmoy", "title": "k1",
                         "metadata": "{}"}, TEXT, "k1.md")
    return "k1"


def jsonl(tmp_path: Path, rows: list[dict[str, object]], name: str = "b.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_quotes_spans_coders_and_memos_are_stored_once(db: Database, doc: str,
                                                       tmp_path: Path) -> None:
    path = jsonl(tmp_path, [
        {"document": doc, "quote": "samlet rus og psykisk helse", "code": "rop",
         "memo": "samlokalisert"},
        {"document": doc, "start": 0, "end": 6, "code": "organisering", "coder": "anna"},
        {"document": doc, "quote": "Ventetiden på kommunal bolig er kort.", "occurrence": 2,
         "code": "bolig"},
    ])
    report = apply_batch(db, path, "tester")
    assert len(report.added) == 3 and report.coders == ["anna", "tester"]
    stored = {(c.code_id, c.quote, c.coder, c.memo, c.start) for c in list_codings(db)}
    second = TEXT.rindex("Ventetiden")
    assert stored == {("rop", "samlet rus og psykisk helse", "tester", "samlokalisert", 11),
                      ("organisering", "Karmøy", "anna", "", 0),
                      ("bolig", "Ventetiden på kommunal bolig er kort.", "tester", "", second)}
    again = apply_batch(db, path, "tester")
    assert again.added == [] and again.already_there == 3
    assert len(list_codings(db)) == 3


def test_one_bad_row_refuses_the_whole_file_and_names_its_line(db: Database, doc: str,
                                                                tmp_path: Path) -> None:
    path = jsonl(tmp_path, [
        {"document": doc, "quote": "samlet rus", "code": "rop"},
        {"document": doc, "quote": "finnes ikke i teksten", "code": "rop"},
        {"document": "nope", "quote": "x", "code": "rop"},
        {"document": doc, "quote": "Karmøy", "code": "rpo"},
        {"document": doc, "start": 5, "end": 999, "code": "rop"},
        {"document": doc, "quote": "Ventetiden på kommunal bolig er kort.", "code": "bolig"},
    ])
    with pytest.raises(KasusError) as caught:
        apply_batch(db, path, "tester")
    assert str(caught.value).startswith(f"{path}:2: quote «finnes ikke i teksten» not found")
    assert "(and 4 more bad row(s)); nothing was stored" in str(caught.value)
    assert list_codings(db) == []
    report = apply_batch(db, path, "tester", skip_bad=True)
    assert len(report.added) == 1
    assert [line.split(": ", 1)[0] for line in report.bad] == [f"{path}:{n}" for n in (2, 3, 4,
                                                                                       5, 6)]
    assert "no document 'nope'" in report.bad[1] and "no code 'rpo'" in report.bad[2]
    assert "outside the text" in report.bad[3] and "occurs 2 times" in report.bad[4]


def test_csv_batches_and_broken_files(db: Database, doc: str, tmp_path: Path) -> None:
    csv_file = tmp_path / "b.csv"
    csv_file.write_text("document,quote,code,memo\r\nk1,Karmøy,organisering,«stedet»\r\n",
                        encoding="utf-8-sig")
    assert len(apply_batch(db, csv_file, "tester").added) == 1
    bad_header = tmp_path / "h.csv"
    bad_header.write_text("doc,quote,kode\nk1,x,rop\n", encoding="utf-8")
    with pytest.raises(KasusError, match=r"h.csv:1: header needs document and code"):
        apply_batch(db, bad_header, "tester")
    broken = tmp_path / "x.jsonl"
    broken.write_text('{"document": "k1", "quote": "Karmøy", "code": "rop"}\n{oops\n')
    with pytest.raises(KasusError, match=r"x.jsonl:2: not a JSON object"):
        apply_batch(db, broken, "tester")
    latin = tmp_path / "l.jsonl"
    latin.write_bytes('{"document": "k1", "quote": "Karmøy", "code": "rop"}'.encode("latin-1"))
    with pytest.raises(KasusError, match="not UTF-8"):
        apply_batch(db, latin, "tester")


def test_a_batch_is_undone_and_redone_as_one_step(db: Database, doc: str,
                                                  tmp_path: Path) -> None:
    path = jsonl(tmp_path, [{"document": doc, "quote": "Karmøy", "code": "rop"},
                            {"document": doc, "quote": "samlet", "code": "bolig"}])
    apply_batch(db, path, "tester")
    step = undo(db, "tester")
    assert step is not None and step.done.startswith("removed the 2 codings of b.jsonl")
    assert list_codings(db) == []
    redo(db, "tester")
    assert len(list_codings(db)) == 2
