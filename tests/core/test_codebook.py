"""The codebook: the shipped file is valid and rich; bad files are refused with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from kasus.codebook.codes import list_codes
from kasus.codebook.file import load_codebook
from kasus.coding.codings import apply_coding
from kasus.errors import CodebookError
from kasus.evidence.indicators import load_indicators
from kasus.project import DEFAULT_CODEBOOK, DEFAULT_INDICATORS, reload_codebook

INDICATOR_IDS = [indicator.id for indicator in load_indicators(DEFAULT_INDICATORS)]

SMALL = """\
version: 1
name: test
codes:
  - id: hm1
    kind: goal
    label_nb: Hovedmål 1
    label_en: Goal 1
    colour: "#4e79a7"
    indicators: [24]
  - id: hm1.individ
    parent: hm1
    label_nb: Individnivå
    label_en: Individual level
    colour: "#6a8fc0"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_codebook_covers_goals_and_themes() -> None:
    codebook = load_codebook(DEFAULT_CODEBOOK, indicator_ids=INDICATOR_IDS)
    ids = {code.id for code in codebook.codes}
    assert len(codebook.codes) >= 40
    assert {"hm1", "hm2", "hm3", "hm4", "hm5", "bolig", "rop", "pakkeforlop",
            "recovery"} <= ids
    for code in codebook.codes:
        assert code.label_nb and code.label_en and code.definition, code.id
        assert code.keywords, code.id
    assert any(code.indicators for code in codebook.codes if code.id == "bolig")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (SMALL + "  - id: hm1\n    label_nb: x\n    label_en: x\n    colour: '#000000'\n",
         15, "duplicate code id 'hm1'"),
        (SMALL.replace("label_en: Goal 1", "label_en: Goal: 1: [oops"), 7, "YAML syntax error"),
        (SMALL.replace("parent: hm1", "parent: hm9"), 11, "unknown parent 'hm9'"),
        (SMALL.replace("[24]", "[24, 17]"), 9, "unknown indicator 17"),
        (SMALL.replace('"#6a8fc0"', '"blue"'), 14, "colour 'blue' is not #rrggbb"),
        (SMALL.replace("    label_en: Individual level\n", ""), 10, "missing field 'label_en'"),
        (SMALL.replace("  - id: hm1\n    kind: goal\n    label_nb: Hovedmål 1\n"
                       "    label_en: Goal 1\n    colour: \"#4e79a7\"\n    indicators: [24]\n",
                       "") + "  - id: hm1\n    kind: goal\n    label_nb: H\n    label_en: G\n"
                             "    colour: '#4e79a7'\n",
         5, "code 'hm1.individ' comes before its parent 'hm1' (line 9)"),
    ],
    ids=["duplicate-id", "yaml-syntax", "unknown-parent", "unknown-indicator", "bad-colour",
         "missing-field", "child-before-parent"],
)
def test_bad_codebook_names_file_and_line(tmp_path: Path, text: str, line: int,
                                          fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CodebookError) as caught:
        load_codebook(path, indicator_ids=INDICATOR_IDS)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert fragment in message
    assert "\n" not in message


def test_changed_codebook_adds_updates_and_retires_without_losing_codings(
    tmp_path: Path, db: Database
) -> None:
    document = _document(db)
    kept = apply_coding(db, document, 0, 10, "hm1.individ", "tester")
    first = write(tmp_path, SMALL)
    reload_codebook(db, first, "tester")
    changed = SMALL.replace("label_en: Goal 1", "label_en: Goal one").replace(
        "  - id: hm1.individ\n    parent: hm1\n    label_nb: Individnivå\n"
        "    label_en: Individual level\n    colour: \"#6a8fc0\"\n",
        "  - id: hm1.nytt\n    parent: hm1\n    label_nb: Nytt\n    label_en: New\n"
        "    colour: \"#123456\"\n",
    )
    changes = reload_codebook(db, write(tmp_path, changed), "tester")
    assert changes.added == ["hm1.nytt"]
    assert "hm1" in changes.updated
    assert "hm1.individ" in changes.retired
    codes = {code.id: code for code in list_codes(db)}
    assert codes["hm1"].label_en == "Goal one"
    assert codes["hm1.individ"].status == "retired"
    assert db["codings"].count_where("id = ? AND removed_at IS NULL", [kept.id]) == 1


def _document(db: Database) -> str:
    from kasus.documents import insert_document

    db["sites"].insert({"id": "karmoy", "name": "Karmøy", "attributes": "{}"}, replace=True)
    row = {"id": "doc1", "identity": "id:doc1", "site_id": "karmoy", "title": "t",
           "metadata": "{}"}
    insert_document(db, row, "Boligene i kommunene er for få.", "doc1.txt")
    return "doc1"


def test_digits_keep_their_codes_and_free_ones_take_the_most_used() -> None:
    from kasus.codebook.codes import arrange_quick_codes, pin_quick_code

    active = {"rop", "bolig", "hm1", "hm2"}
    first = arrange_quick_codes([], ["rop", "bolig"], active, slots=4)
    assert first == ["rop", "bolig", "", ""]
    later = arrange_quick_codes(first, ["hm1", "bolig", "rop", "hm2"], active, slots=4)
    assert later == ["rop", "bolig", "hm1", "hm2"]  # the order of use moved; the digits did not
    assert arrange_quick_codes(later, [], active - {"bolig"}, slots=4) == ["rop", "", "hm1", "hm2"]
    assert pin_quick_code(later, 1, "hm2") == ["hm2", "bolig", "hm1", "rop"]  # a swap
    assert pin_quick_code(later, 2, "retired-or-new") == ["rop", "retired-or-new", "hm1", "hm2"]


def test_themes_count_for_goals_and_context_indicators_are_not_measures(db: Database,
                                                                       tmp_path: Path) -> None:
    from kasus.evidence.goals import goal_codes
    from kasus.evidence.indicators import linked_codes

    codes = {code.id: code for code in list_codes(db)}
    assert codes["bolig"].goals == ("hm4",)
    assert 56 in codes["pakkeforlop"].context_indicators
    assert 56 not in codes["pakkeforlop"].indicators
    assert "pakkeforlop" not in linked_codes(db, 56)
    assert {"bolig", "bolig.oppfolging", "hm4.arbeid"} <= set(goal_codes(db, 4))
    assert codes["hm3.ettervern"].parent_id == "hm4"  # ettervern is goal-4 work
    bad = SMALL.replace('    colour: "#6a8fc0"\n',
                        '    colour: "#6a8fc0"\n    goals: [hm1.individ]\n')
    with pytest.raises(CodebookError, match=r"counts for 'hm1\.individ', which is not a goal"):
        load_codebook(write(tmp_path, bad), indicator_ids=INDICATOR_IDS)
