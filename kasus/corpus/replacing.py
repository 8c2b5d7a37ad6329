"""Finding what to replace in a text, replacing it, and mapping offsets through the change."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from kasus.corpus.identifiers import find_identifiers
from kasus.corpus.keyfile import Key


@dataclass(frozen=True)
class Replacement:
    """One name or identifier in the old text and the placeholder that takes its place."""

    start: int
    end: int
    original: str
    placeholder: str

    @property
    def shift(self) -> int:
        return len(self.placeholder) - (self.end - self.start)


def _trie_pattern(forms: list[str]) -> str:
    """One pattern for every form, as a character trie: the regex engine follows the shared
    prefixes instead of trying thousands of alternatives at each capital letter, and at
    each branch the longer form is tried first."""
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(trie)


def _branches(node: dict[str, Any]) -> str:
    # Words of a name may be split by any whitespace, a line break included.
    branches = [(r"\s+" if char == " " else re.escape(char)) + _branches(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


class Pseudonymiser:
    """Replaces the key's names (whole words, as written or in capitals, with a possessive -s
    left standing: "Karis" → "[PERSON-1]s") and every identifier the patterns find."""

    def __init__(self, key: Key) -> None:
        self.key = key
        self._placeholders: dict[str, str] = {}
        for entity in key.entities:
            for form in entity.forms:
                # Case-aware: "Berg" the surname is not "berg" the mountain, but a heading in
                # capitals still names her.
                self._placeholders.setdefault(form, entity.placeholder)
                self._placeholders.setdefault(form.upper(), entity.placeholder)
        forms = list(self._placeholders)
        self._names = (re.compile(r"(?<!\w)" + _trie_pattern(forms) + r"(?=s?(?!\w))")
                       if forms else None)

    def replacements(self, text: str) -> list[Replacement]:
        """What to replace, in order and never overlapping; unseen identifiers get their
        placeholder in the key (save it before storing the text)."""
        found: list[Replacement] = []
        if self._names is not None:
            for match in self._names.finditer(text):
                surface = " ".join(match.group().split())
                found.append(Replacement(match.start(), match.end(), match.group(),
                                         self._placeholders[surface]))
        for hit in find_identifiers(text):
            found.append(Replacement(hit.start, hit.end, text[hit.start:hit.end],
                                     self.key.identifier(hit.kind, hit.value)))
        chosen: list[Replacement] = []
        for item in sorted(found, key=lambda r: (r.start, r.start - r.end)):
            if not chosen or item.start >= chosen[-1].end:
                chosen.append(item)
        return chosen

    def text(self, text: str) -> str:
        """The text with everything replaced."""
        return apply(text, self.replacements(text))


def apply(text: str, replacements: list[Replacement]) -> str:
    """The text with the (ordered, non-overlapping) replacements made."""
    parts, at = [], 0
    for item in replacements:
        parts += [text[at:item.start], item.placeholder]
        at = item.end
    parts.append(text[at:])
    return "".join(parts)


class OffsetMap:
    """Old offsets to new ones, exactly: a span that takes in part of a replacement takes in
    all of its placeholder, so a coding grows or shrinks with what it holds."""

    def __init__(self, replacements: list[Replacement]) -> None:
        self._items = replacements
        self._ends = [r.end for r in replacements]
        self._shifts = [0]
        for item in replacements:
            self._shifts.append(self._shifts[-1] + item.shift)

    def _locate(self, offset: int) -> tuple[int, int, Replacement | None]:
        before = bisect_right(self._ends, offset)  # replacements wholly before the offset
        shift = self._shifts[before]
        inside = self._items[before] if before < len(self._items) else None
        return before, shift, inside if inside and inside.start < offset else None

    def start(self, offset: int) -> int:
        _, shift, inside = self._locate(offset)
        return inside.start + shift if inside else offset + shift

    def end(self, offset: int) -> int:
        _, shift, inside = self._locate(offset)
        return inside.start + shift + len(inside.placeholder) if inside else offset + shift
