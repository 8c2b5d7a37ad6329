"""Re-anchor codings when a document's text changes: exact, moved, fuzzy, or kept as orphaned.

A coding is never dropped and never moved silently: each placement says how it was found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

# Below this rapidfuzz score an alignment is more likely a different passage than a reworded one.
FUZZY_THRESHOLD = 80.0
CONTEXT_CHARS = 60
NEAR_SLACK = 200
# Context similarity (0–100) at which a quote found far away is the same passage, moved.
CONTEXT_AGREES = 70.0


@dataclass(frozen=True)
class Span:
    """Where a coding sat in the old text, and what it quoted."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Placement:
    """Where a coding goes in the new text, and how it got there."""

    start: int
    end: int
    quote: str
    outcome: str  # "kept", "moved", "fuzzy" or "orphaned"
    score: float | None = None

    @property
    def status(self) -> str:
        """The coding status the placement stores: anchored, fuzzy or orphaned."""
        return {"kept": "anchored", "moved": "anchored"}.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class Edit:
    """The region that changed between two texts: everything before `prefix` and the last
    `suffix` characters are the same in both."""

    prefix: int
    suffix: int
    shift: int  # len(new) - len(old)

    @classmethod
    def between(cls, old: str, new: str) -> Edit:
        prefix = _common_length(old, new, lambda k: old[:k] == new[:k])
        limit = min(len(old), len(new)) - prefix
        suffix = _common_length(old, new, lambda k: old[len(old) - k:] == new[len(new) - k:],
                                limit)
        return cls(prefix, suffix, len(new) - len(old))


def _common_length(old: str, new: str, same: Callable[[int], bool],
                   limit: int | None = None) -> int:
    # Binary search over slice comparisons: C-speed even on 100,000-character notes.
    lo, hi = 0, min(len(old), len(new)) if limit is None else limit
    while lo < hi:
        middle = (lo + hi + 1) // 2
        if same(middle):
            lo = middle
        else:
            hi = middle - 1
    return lo


def reanchor(old_text: str, new_text: str, span: Span, edit: Edit | None = None) -> Placement:
    """Place one coding of old_text into new_text."""
    edit = edit or Edit.between(old_text, new_text)
    quote = span.quote
    expected = _expected_start(old_text, new_text, span, edit)
    if new_text[expected:expected + len(quote)] == quote:
        outcome = "kept" if expected == span.start else "moved"
        return Placement(expected, expected + len(quote), quote, outcome)
    found = _exact(old_text, new_text, span, expected)
    if found is not None:
        return found
    fuzzy = _fuzzy(new_text, span, expected)
    if fuzzy is not None:
        return fuzzy
    return Placement(span.start, span.end, quote, "orphaned")


def reanchor_all(old_text: str, new_text: str, spans: Iterable[Span]) -> list[Placement]:
    """Place every coding; the result lines up with the input."""
    edit = Edit.between(old_text, new_text)
    return [reanchor(old_text, new_text, span, edit) for span in spans]


def _occurrences(text: str, quote: str) -> list[int]:
    positions, index = [], text.find(quote)
    while index != -1:
        positions.append(index)
        index = text.find(quote, index + 1)
    return positions


def _expected_start(old_text: str, new_text: str, span: Span, edit: Edit) -> int:
    """Where the passage should now begin: exact when the edit lies wholly before or after
    it, else judged by the text just before it."""
    if span.end <= edit.prefix:
        return span.start
    if span.start >= len(old_text) - edit.suffix:
        return span.start + edit.shift
    before = old_text[max(0, span.start - CONTEXT_CHARS):span.start]
    if len(before) >= 20:
        hits = _occurrences(new_text, before)
        if len(hits) == 1:
            return hits[0] + len(before)
    shift = len(new_text) - len(old_text)
    return max(0, min(len(new_text), span.start + shift))


def _context_score(old_text: str, new_text: str, span: Span, start: int) -> float:
    old_before = old_text[max(0, span.start - CONTEXT_CHARS):span.start]
    old_after = old_text[span.end:span.end + CONTEXT_CHARS]
    end = start + len(span.quote)
    new_before = new_text[max(0, start - CONTEXT_CHARS):start]
    new_after = new_text[end:end + CONTEXT_CHARS]
    return (fuzz.ratio(old_before, new_before) + fuzz.ratio(old_after, new_after)) / 2


def _exact(old_text: str, new_text: str, span: Span, expected: int) -> Placement | None:
    hits = _occurrences(new_text, span.quote)
    if not hits:
        return None
    length = len(span.quote)
    nearest = min(hits, key=lambda hit: abs(hit - expected))
    if abs(nearest - expected) <= NEAR_SLACK:
        return Placement(nearest, nearest + length, span.quote, "moved")
    # Not where we expect it: accept the quote elsewhere only if its surroundings moved too
    # (a paragraph moved); otherwise place it but flag it for review with the context score.
    best = max(hits, key=lambda hit: _context_score(old_text, new_text, span, hit))
    score = round(_context_score(old_text, new_text, span, best), 1)
    if len(hits) == 1 and score >= CONTEXT_AGREES:
        return Placement(best, best + length, span.quote, "moved")
    return Placement(best, best + length, span.quote, "fuzzy", score)


def _fuzzy(new_text: str, span: Span, expected: int) -> Placement | None:
    quote = span.quote
    window = max(2000, 4 * len(quote))
    lo = max(0, expected - window)
    hi = min(len(new_text), expected + len(quote) + window)
    candidates = [(lo, new_text[lo:hi])]
    if lo > 0 or hi < len(new_text):
        candidates.append((0, new_text))
    for offset, haystack in candidates:
        if not haystack.strip():
            continue
        alignment = fuzz.partial_ratio_alignment(quote, haystack)
        if alignment is None or alignment.score < FUZZY_THRESHOLD:
            continue
        start, end, score = _best_bounds(new_text, quote, offset + alignment.dest_start,
                                         offset + alignment.dest_end)
        if end > start and score >= FUZZY_THRESHOLD:
            return Placement(start, end, new_text[start:end], "fuzzy", round(score, 1))
    return None


def _token_starts(text: str, lo: int, hi: int) -> list[int]:
    return [i for i in range(max(0, lo), min(len(text), hi) + 1)
            if i < len(text) and not text[i].isspace() and (i == 0 or text[i - 1].isspace())]


def _token_ends(text: str, lo: int, hi: int) -> list[int]:
    return [i for i in range(max(1, lo), min(len(text), hi) + 1)
            if not text[i - 1].isspace() and (i == len(text) or text[i].isspace())]


def _best_bounds(text: str, quote: str, start: int, end: int) -> tuple[int, int, float]:
    """Whole-token bounds near an alignment that best match the quote.

    partial_ratio aligns a window as long as the quote, so a reworded passage that grew or
    shrank is cut mid-way; trying nearby token boundaries recovers the whole passage.
    """
    slack = max(12, len(quote) // 5)
    starts = _token_starts(text, start - slack, start + slack) or [start]
    ends = _token_ends(text, end - slack, end + slack) or [end]
    best = (start, end, 0.0)
    for s in starts:
        for e in ends:
            if e > s:
                score = fuzz.ratio(quote, text[s:e])
                if score > best[2]:
                    best = (s, e, score)
    return best
