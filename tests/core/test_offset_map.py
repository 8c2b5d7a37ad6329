"""Offsets through a pseudonymisation, property-based: a span keeps exactly the text it held,
with its replacements made, and one cutting into a replacement takes in its placeholder."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kasus.corpus.replacing import OffsetMap, Replacement, apply


@st.composite
def texts_with_replacements(draw: st.DrawFn) -> tuple[str, list[Replacement]]:
    text = draw(st.text(alphabet="ab \n", min_size=1, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    replacements = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if end > start:
            placeholder = draw(st.sampled_from(["[P-1]", "[STED-22]", "X"]))
            replacements.append(Replacement(start, end, text[start:end], placeholder))
    return text, replacements


@given(texts_with_replacements(), st.data())
def test_a_span_keeps_its_text_with_the_replacements_made(
        case: tuple[str, list[Replacement]], data: st.DataObject) -> None:
    text, replacements = case
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    new_text = apply(text, replacements)
    offsets = OffsetMap(replacements)
    new_start, new_end = offsets.start(start), offsets.end(end)
    assert 0 <= new_start < new_end <= len(new_text)
    # The span widened to whole replacements where it cut into one ...
    for item in replacements:
        if item.start < start < item.end:
            start = item.start
        if item.start < end < item.end:
            end = item.end
    # ... holds the same text, with the replacements inside it made.
    inside = [Replacement(r.start - start, r.end - start, r.original, r.placeholder)
              for r in replacements if start <= r.start and r.end <= end]
    assert new_text[new_start:new_end] == apply(text[start:end], inside)
