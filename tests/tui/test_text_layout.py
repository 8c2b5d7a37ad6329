"""The document view's layout helpers: display copy, offsets and coding runs."""

from __future__ import annotations

import pytest

from tui.widgets.text_layout import (
    LineTable,
    Mark,
    blend,
    display_copy,
    marks_by_row,
    mix,
    row_runs,
    span_at,
)


def test_display_copy_breaks_long_paragraphs_at_sentence_ends_only() -> None:
    sentence = "Dette er en setning om bolig. "
    text = (sentence * 200).rstrip() + "\n\nKort avsnitt."
    sentences, start = [], 0
    for _ in range(200):
        end = start + len(sentence) - 1
        sentences.append((start, end))
        start = end + 1
    copy = display_copy(text, sentences, limit=300)
    assert len(copy) == len(text)
    assert copy.count("\n") > 2
    changed = [i for i, (a, b) in enumerate(zip(text, copy, strict=True)) if a != b]
    assert all(text[i] == " " and copy[i] == "\n" and text[i - 1] == "." for i in changed)
    assert all(len(line) <= 300 + len(sentence) for line in copy.split("\n"))


def test_short_paragraphs_are_left_alone() -> None:
    text = "En. To.\n\nTre."
    assert display_copy(text, [(0, 3), (4, 7), (9, 13)]) == text


@pytest.mark.parametrize("offset", [0, 1, 5, 6, 7, 12, 13])
def test_line_table_round_trips(offset: int) -> None:
    table = LineTable("abcde\n\nfghij\n")
    assert table.offset(table.location(offset)) == offset


def test_line_table_locations() -> None:
    table = LineTable("abcde\n\nfghij")
    assert table.location(7) == (2, 0)
    assert table.row_span(0) == (0, 5)
    assert table.row_span(2) == (7, 12)


def test_overlapping_marks_make_a_shared_run() -> None:
    table = LineTable("0123456789\nabcdefghij")
    marks = marks_by_row(table, [Mark(2, 6, "#ff0000"), Mark(4, 15, "#0000ff")])
    runs = {row: row_runs(table, row, row_marks) for row, row_marks in marks.items()}
    assert [(r.start, r.end, r.colours) for r in runs[0]] == [
        (2, 4, ("#ff0000",)), (4, 6, ("#ff0000", "#0000ff")), (6, 10, ("#0000ff",))]
    assert [(r.start, r.end) for r in runs[1]] == [(0, 4)]


def test_colours_blend_and_mix() -> None:
    assert blend(["#ff0000", "#0000ff"]) == "#800080"
    assert mix("#ffffff", "#000000", 0.5) == "#808080"


def test_span_at_prefers_the_span_holding_the_offset() -> None:
    spans = [(0, 5), (6, 10)]
    assert span_at(spans, 5) == (0, 5)
    assert span_at(spans, 6) == (6, 10)
    assert span_at(spans, 11) is None


def test_every_code_keeps_its_hue_in_256_colours_on_both_themes() -> None:
    import yaml

    from kasus.paths import CHECKOUT
    from tui.widgets.text_layout import highlight, in_256_colours, is_grey, mix

    codes = yaml.safe_load((CHECKOUT / "codebook.yaml").read_text(encoding="utf-8"))["codes"]
    for base in ("#1e1e1e", "#e0e0e0", "#ffffff"):
        for code in codes:
            colour = code["colour"]
            if is_grey(in_256_colours(colour)):  # grey already at full strength
                continue
            assert not is_grey(in_256_colours(highlight(colour, base, 0.55))), (
                code["id"], base)
    # The plain mix would have shown some codes as grey on the light background.
    greyed = [code["id"] for code in codes
              if is_grey(in_256_colours(mix(code["colour"], "#e0e0e0", 0.55)))
              and not is_grey(in_256_colours(code["colour"]))]
    assert greyed
