"""Turn extracted text into the text of record: normalised, PDF layout and hard wraps undone."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

# --- normalise_text -------------------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\f\v\x85]")

# Invisible characters that only disturb searching and offsets. Bidi marks (U+200E, U+200F,
# U+061C) are kept: they place right-to-left names. Bidi embeddings, overrides and isolates
# go: they reorder everything after them up to the paragraph end, so a passage could read
# differently from the text of record that is coded and quoted ("Trojan Source").
_BIDI_FORMATTING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u200b\u200c\u2060\ufeff\u00ad" + _BIDI_FORMATTING
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])
_REPLACEMENTS = {
    "\t": " ",
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space (Norwegian thousands separator)
    "\u2007": " ",  # figure space
    "\u2011": "-",  # non-breaking hyphen: searches for "NAV-kontor" must find it
}
# One regex pass: str.translate with a dict is ten times slower on non-ASCII text.
_ODD_CHARS = re.compile(
    "["
    + "".join(f"\\u{ord(c):04x}" for c in _INVISIBLE + _CONTROLS + "".join(_REPLACEMENTS))
    + "\\ud800-\\udfff]"  # lone surrogates cannot be stored as UTF-8
)

# A zero-width joiner between two pictographs builds one emoji (family, profession);
# anywhere else it is invisible noise.
_PICTOGRAPH = "\u2600-\u27bf\U0001f000-\U0001faff"
_STRAY_ZWJ = re.compile(f"(?<![{_PICTOGRAPH}\ufe0f])\u200d|\u200d(?![{_PICTOGRAPH}])")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise_text(raw: str) -> str:
    """Return the text of record: NFC, `\\n` line ends, no invisible or control characters,
    no trailing spaces, paragraphs separated by exactly one blank line, stripped. Idempotent."""
    text = _LINE_BREAKS.sub("\n", raw)
    if "\u200d" in text:
        text = _STRAY_ZWJ.sub("", text)
    text = _ODD_CHARS.sub(_replacement, text)
    # NFC last among the character changes: removals can bring a base letter and its
    # combining mark together, and NFC must see the final neighbours.
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def normalise_field(raw: str) -> str:
    """A metadata value (title, role, site) as one clean line: the text of record's rules,
    with line breaks and runs of spaces folded into single spaces."""
    return " ".join(normalise_text(raw).split())


def _replacement(match: re.Match[str]) -> str:
    return _REPLACEMENTS.get(match.group(), "")


# --- Markdown -------------------------------------------------------------------------

_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def strip_markdown_headings(text: str) -> str:
    """Drop ATX heading markers (`## Tema` -> `Tema`), leaving fenced code blocks alone."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        opener = _FENCE.match(line)
        if opener:
            marker = opener.group(1)
            fence = marker if fence is None else (None if marker == fence else fence)
        elif fence is None:
            heading = _ATX_HEADING.match(line)
            if heading:
                line = heading.group(1) or ""
        out.append(line)
    return "\n".join(out)


# --- PDF layout -----------------------------------------------------------------------

FOOTNOTE_HEADING = "Fotnoter"

_LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl",
              0xFB05: "st", 0xFB06: "st"}
_EDGE_LINES = 3  # how many lines at each end of a page may be header or footer
_PAGE_NUMBER = re.compile(
    r"^(?:(?:side|sida|s\.|page|p\.)\s*)?[-\u2013\u2014]?\s*\d{1,3}\s*[-\u2013\u2014]?"
    r"(?:\s*(?:av|of|/|\|)\s*\d{1,3})?$",
    re.IGNORECASE,
)
_ROMAN_PAGE_NUMBER = re.compile(r"^(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})$")  # front matter i-xxxix
_FOOTNOTE_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_MARKER_PUNCTUATION = frozenset(".,;:!?)»”\"'\u2019")
_MARKER_FOLLOWERS = frozenset(".,;:!?)")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+(?=\S)")
# "1. Innledning", "2.3 Metode": a numbered heading, unlike "3 kommuner" or "2019 var".
_SECTION_HEADING = re.compile(r"^\d{1,2}(?:(?:\.\d{1,2})*\.|(?:\.\d{1,2})+)\s+[A-ZÆØÅ]")
_TOC_ENTRY = re.compile(r"(?:\.\s?){4,}\s*\d+$")
_HYPHENATED = re.compile(r"[^\W\d_][»”\"')\]]?-$")  # "kommu-", "«vil»-"
_SENTENCE_END = re.compile(r"[.:?!][»”\"')\]]*\d{0,3}$")
_QUOTES = "«»\"“”'\u2018\u2019"
_FIRST_WORD_CHAR = re.compile(rf"[{_QUOTES}(\[]*(\w)")
_BULLET = re.compile(r"^[•·▪◦‣∙*\u2013-]\s")
# After a line-end hyphen these words show a shared compound ("rus- og psykisk helse").
_KEEP_HYPHEN_BEFORE = frozenset({"og", "eller", "til", "samt", "and", "or"})
_SHORT_LINE = 0.8  # a line shorter than this share of the typical line ends its paragraph
_HEADING_LINE = 0.6  # ...and one this short is a heading even without a full stop
# ...as is one that left room for the next line's first word: a wrap would have taken it.
# Not all of the room: in a PDF, characters are of different widths.
_ROOM_LEFT = 0.9
# A numbered or lettered item: "1 Sikre", "2. Alle", "b) Er".
_LIST_ITEM = re.compile(r"^(?:(\d{1,2})[.)]?|([a-z])[.)])\s+\S")
_LINE_END_SOFT_HYPHEN = re.compile("\u00ad[ \t]*(?=[\r\n\u2028\u2029\f\v\x85]|$)")
_WORD = re.compile(r"[^\W\d_](?:[\w-]*[^\W\d_])?")
_WORD_TAIL = re.compile(r"[^\W\d_][\w-]*$")
_WORD_HEAD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Rebuilt:
    """Text with its page layout undone, and what undoing it changed, for the import report.
    `text` still needs `normalise_text`."""

    text: str
    lines: int = 0
    paragraphs: int = 0
    hyphenations: int = 0
    header_lines: int = 0
    footer_lines: int = 0
    footnotes: int = 0

    def describe(self) -> str:
        """What was repaired, as the import report says it: "612 lines into 71 paragraphs,
        290 hyphenations joined, 14 footer lines dropped"."""
        parts = [f"{self.lines} lines into {_plural(self.paragraphs, 'paragraph')}"]
        if self.hyphenations:
            parts.append(f"{_plural(self.hyphenations, 'hyphenation')} joined")
        if self.header_lines:
            parts.append(f"{_plural(self.header_lines, 'header line')} dropped")
        if self.footer_lines:
            parts.append(f"{_plural(self.footer_lines, 'footer line')} dropped")
        if self.footnotes:
            parts.append(f"{_plural(self.footnotes, 'footnote')} moved to the end")
        return ", ".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def rebuild_pdf_text(pages: Sequence[str]) -> str:
    """Rebuild paragraphs from the per-page text pypdf gives: drop running headers, footers
    and page numbers, undo end-of-line hyphenation, and move footnotes to a closing
    `Fotnoter` section. The result still needs `normalise_text`."""
    return rebuild_pdf_layout(pages).text


def rebuild_pdf_layout(pages: Sequence[str], *, running: Iterable[str] = (),
                       footnotes: bool = True) -> Rebuilt:
    """`rebuild_pdf_text` with a count of each repair. `running` adds lines known to be page
    furniture; `footnotes=False` leaves numbered lines where they are, for text whose page
    bottoms are unknown."""
    page_lines = [_page_lines(page) for page in pages]
    furniture = _running_lines(page_lines) if len(page_lines) >= 3 else set()
    furniture |= {_layout_key(" ".join(line.split())) for line in running}
    joiner = _Joiner(page_lines)
    bodies: list[list[str]] = []
    notes: list[str] = []
    headers = footers = 0
    for lines in page_lines:
        kept, top, bottom = _drop_furniture(lines, furniture)
        headers, footers = headers + top, footers + bottom
        body, page_notes = _split_footnotes(kept, joiner) if footnotes else (kept, [])
        bodies.append(body)
        notes.extend(page_notes)
    paragraphs = _paragraphs(bodies, joiner)
    text = "\n\n".join(paragraphs)
    if notes:
        text += f"\n\n{FOOTNOTE_HEADING}\n\n" + "\n\n".join(notes)
    return Rebuilt(text=text, lines=sum(1 for lines in page_lines for line in lines if line),
                   paragraphs=len(paragraphs), hyphenations=joiner.hyphenations,
                   header_lines=headers, footer_lines=footers, footnotes=len(notes))


def _page_lines(page: str) -> list[str]:
    # A soft hyphen at a line end is where the typesetter broke the word.
    page = _LINE_END_SOFT_HYPHEN.sub("-", page.translate(_LIGATURES))
    text = _LINE_BREAKS.sub("\n", page)
    return [" ".join(line.split()) for line in text.split("\n")]


def _edge_indices(lines: Sequence[str], depth: int = _EDGE_LINES) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line]
    return sorted(set(filled[:depth] + filled[-depth:]))


def _layout_key(line: str) -> str:
    # Page numbers and dates change from page to page; the rest of a running line does not.
    return re.sub(r"\d+", "#", line.casefold())


def _running_lines(page_lines: Sequence[Sequence[str]]) -> set[str]:
    """Keys of lines that sit at a page edge on at least half of the pages, or on at least
    half of the odd or of the even pages: facing pages often carry different running heads
    ("Fafo-rapport 2019:33" left, the chapter right), and with an odd page count one of them
    is on fewer than half of all pages."""
    seen: Counter[str] = Counter()
    sides: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    for number, lines in enumerate(page_lines):
        keys = {_layout_key(lines[i]) for i in _edge_indices(lines)}
        seen.update(keys)
        sides[number % 2].update(keys)
    needed = math.ceil(len(page_lines) / 2)
    running = {key for key, count in seen.items() if count >= needed}
    for side, counts in enumerate(sides):
        # Twice at least: one page alone cannot tell a running head from the first line.
        side_needed = max(2, math.ceil(len(page_lines[side::2]) / 2))
        running |= {key for key, count in counts.items() if count >= side_needed}
    return running


def _drop_furniture(lines: list[str], furniture: set[str]) -> tuple[list[str], int, int]:
    """The page without its running lines and page numbers, and how many were dropped at
    the top and at the bottom."""
    drop = {i for i in _edge_indices(lines) if _layout_key(lines[i]) in furniture}
    # A bare number deeper into the page is more likely a table cell than a page number.
    drop |= {i for i in _edge_indices(lines, 2) if _is_page_number(lines[i])}
    middle = len(lines) / 2
    top = sum(1 for i in drop if i < middle)
    kept = [line for i, line in enumerate(lines) if i not in drop]
    # The blank line between the text and a dropped header or footer is layout, not the
    # end of a paragraph: the paragraph may go on across the page break.
    filled = [i for i, line in enumerate(kept) if line]
    if filled:
        kept = kept[filled[0] if top else 0 : filled[-1] + 1 if len(drop) - top else None]
    return kept, top, len(drop) - top


def _is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line) or _ROMAN_PAGE_NUMBER.match(line))


def _split_footnotes(lines: list[str], joiner: _Joiner) -> tuple[list[str], list[str]]:
    """Split a page into body and footnotes: a footnote block starts at a numbered line in
    the lower half of the page whose number the body above carries as a marker. The lowest
    such line starts it, with the notes numbered just before it above it: a numbered list
    above the notes may repeat a note's number ("2 Sikre at ..." above "2 I planen ...")."""
    filled = [i for i, line in enumerate(lines) if line]
    starts: dict[int, int] = {}  # line index -> note number
    for i in filled[len(filled) // 2:]:
        start = _FOOTNOTE_START.match(lines[i])
        if start and _is_referenced(int(start.group(1)), "\n".join(lines[:i])):
            starts[i] = int(start.group(1))
    if not starts:
        return lines, []
    first = max(starts)
    for i in sorted(starts, reverse=True):
        if i < first and starts[i] == starts[first] - 1:
            first = i
    body = lines[:first]
    while body and not body[-1]:
        body.pop()  # the gap above the notes: the paragraph may go on overleaf
    return body, _collect_notes(lines[first:], starts[first], joiner)


def _is_referenced(number: int, body: str) -> bool:
    """Whether the body carries the note's superscript marker. pypdf puts it straight after
    the word ("kommunene2") or after the punctuation, with or without a space ("enhet. 2");
    a number after a digit or a capital ("2.2", "ASN.1") is not a marker."""
    for match in re.finditer(rf"(?<!\d){number}(?!\d)", body):
        after = body[match.end() : match.end() + 2].ljust(2)
        if not (after[0].isspace() or (after[0] in _MARKER_FOLLOWERS and after[1].isspace())):
            continue  # "w3.org", "CO2-utslipp"
        before = body[max(0, match.start() - 3) : match.start()].rjust(3)
        if before[-1] == " ":
            before = " " + before[:-1]
            if before[-1] not in _MARKER_PUNCTUATION:
                continue
        if before[-1] in _MARKER_PUNCTUATION:
            before = before[:-1]
        if before[-1].isalpha() and before[-1].islower():
            return True
    return False


def _collect_notes(lines: Sequence[str], first: int, joiner: _Joiner) -> list[str]:
    notes: list[list[str]] = []
    expected = first
    for line in lines:
        if not line:
            continue
        start = _FOOTNOTE_START.match(line)
        if not notes or (start and int(start.group(1)) == expected):
            notes.append([line])
            expected += 1
        else:
            notes[-1].append(line)
    return [joiner.join_lines(note) for note in notes]


def _typical_length(lines: Iterable[str]) -> int:
    """Length of a full line: the median of the longer half, since headings, last lines of
    paragraphs and hyphenated stubs make many lines short."""
    lengths = sorted(len(line) for line in lines if line)
    upper = lengths[len(lengths) // 2 :]
    return upper[len(upper) // 2] if upper else 0


def _paragraphs(bodies: Sequence[Sequence[str]], joiner: _Joiner) -> list[str]:
    """Join lines into paragraphs, across page breaks too."""
    overall = _typical_length(line for body in bodies for line in body)
    paragraphs: list[str] = []
    current = previous = ""
    previous_typical = overall
    gap = False
    for body in bodies:
        typical = _typical_length(body) if sum(1 for line in body if line) >= 4 else overall
        for line in body:
            if not line:
                gap = True
                continue
            if gap:
                # A blank line ends a paragraph, unless a sentence goes on across it: PDF
                # text has stray gaps, "(75,5 mill." / "" / "kroner)".
                ends = not _continues_across_gap(previous, line)
            else:
                ends = _ends_paragraph(previous, line, previous_typical, current)
            if current and not ends:
                current = joiner.join(current, line)
            else:
                paragraphs.append(current)
                current = line
            previous, previous_typical, gap = line, typical, False
    paragraphs.append(current)
    return [paragraph for paragraph in paragraphs if paragraph]


def _continues_across_gap(line: str, following: str) -> bool:
    if _SENTENCE_END.search(line) or _BULLET.match(following) or _LIST_ITEM.match(following):
        return False
    first = _FIRST_WORD_CHAR.match(following)
    return bool(first and first.group(1).islower())


def _ends_paragraph(line: str, following: str, typical: int, current: str = "") -> bool:
    if _BULLET.match(following) or _TOC_ENTRY.search(line):
        return True
    if _SENTENCE_END.search(line) and (_SECTION_HEADING.match(following)
                                       or _next_item(line, current, following)):
        return True
    if _HYPHENATED.search(line) or not _starts_upper(following):
        return False
    room = len(line) + 1 + len(following.split(" ", 1)[0]) <= _ROOM_LEFT * typical
    if _SENTENCE_END.search(line):
        return room or len(line) < _SHORT_LINE * typical
    if line.endswith((",", ";", "\u2013")):
        return False
    return room or len(line) < _HEADING_LINE * typical


def _next_item(line: str, current: str, following: str) -> bool:
    """Whether `following` opens the next list item: "2 Sikre" after "1 Sikre", "b) Er"
    after "a) Hvordan", or the first one after a colon."""
    this, after = _LIST_ITEM.match(current), _LIST_ITEM.match(following)
    if after and line.endswith(":"):
        return after.group(1) == "1" or after.group(2) == "a"
    if not (this and after):
        return False
    if this.group(1) and after.group(1):
        return int(after.group(1)) == int(this.group(1)) + 1
    if this.group(2) and after.group(2):
        return ord(after.group(2)) == ord(this.group(2)) + 1
    return False


def _starts_upper(line: str) -> bool:
    """Whether a line opens like a sentence or a numbered heading ("2.1 Metode")."""
    number = _NUMBERED_HEADING.match(line)
    if number:
        line = line[number.end() :]
    first = _FIRST_WORD_CHAR.match(line)
    return bool(first and first.group(1).isupper())


class _Joiner:
    """Joins lines, undoing hyphenation at line ends; counts the words it rejoins."""

    def __init__(self, page_lines: Iterable[Iterable[str]]) -> None:
        words: set[str] = set()
        for lines in page_lines:
            for line in lines:
                # A line's last word may be a hyphenated stub ("kommu-"): not a word.
                body = line.rpartition(" ")[0] if _HYPHENATED.search(line) else line
                words.update(word.casefold() for word in _WORD.findall(body))
        self._words = frozenset(words)
        self.hyphenations = 0

    def join_lines(self, lines: Sequence[str]) -> str:
        text = lines[0]
        for line in lines[1:]:
            text = self.join(text, line)
        return text

    def join(self, text: str, line: str) -> str:
        """Append the next line to a paragraph, undoing hyphenation at the line break."""
        if not _HYPHENATED.search(text):
            return f"{text} {line}"
        first_word = _WORD_HEAD.match(line)
        if first_word and first_word.group().casefold() in _KEEP_HYPHEN_BEFORE:
            return f"{text} {line}"
        self.hyphenations += 1
        if (not line[0].islower() or _is_acronym_stem(text) or not text[-2].isalpha()
                or self._hyphenated_elsewhere(text, first_word.group() if first_word else "")):
            # A real hyphen: "Nord-" + "Norge", "NAV-" + "kontoret", "«vil»-" + "punktene".
            return text + line
        return text[:-1] + line

    def _hyphenated_elsewhere(self, text: str, head: str) -> bool:
        # "Oslo-" + "standarder": the document spells it with a hyphen where no line breaks
        # it, and never without one.
        tail = _WORD_TAIL.search(text[:-1])
        if tail is None or not head:
            return False
        stem = tail.group().casefold()
        head = head.casefold()
        return f"{stem}-{head}" in self._words and f"{stem}{head}" not in self._words


def _is_acronym_stem(text: str) -> bool:
    found = re.search(r"\w+$", text[:-1])
    stem = found.group() if found else ""
    # "NAV-", "CO2-", and names with inner capitals: "BrukerPlan-", "KoRus-".
    return len(stem) >= 2 and (stem.isupper() or any(c.isdigit() for c in stem)
                               or any(c.isupper() for c in stem[1:]))


# --- hard-wrapped plain text ----------------------------------------------------------

_WRAPPED_MIN_LINES = 10  # fewer lines are a short note, whatever their lengths
_WRAPPED_MIN_WIDTH = 35  # narrower "full" lines are a list or "Key: value" lines
_OVERLONG = 1.25  # a hard-wrapped text has a right margin: lines this much longer than
_OVERLONG_SHARE = 0.05  # ...the typical full line are this rare at most,
_BROKEN_SHARE = 0.3  # ...at least this share of its lines are full and break mid-sentence,
_INNER_END_SHARE = 0.1  # ...and this share hold a sentence end: prose, not a list
_INNER_SENTENCE_END = re.compile(rf"[.?!][{_QUOTES})\]]* +[{_QUOTES}(]*[A-ZÆØÅ0-9]")
_FOOTNOTE_PAGE_LINES = 60  # a text this short may be one page, its notes at the bottom
_FOOTER_MAX_LENGTH = 80
_PAGE_MIN_LINES = 20  # a page of a report holds more lines than this,
_PAGE_LENGTH_SPREAD = 0.4  # ...and most pages are within this share of the usual length


def reflow_hard_wrapped(text: str) -> Rebuilt | None:
    """Rebuild plain text that is hard-wrapped, as text pasted or saved from a PDF is, with
    the PDF repair: pages at form feeds or at footers carrying a page number. None when the
    text does not look hard-wrapped; then it must stay exactly as it is."""
    lines = [" ".join(line.split()) for line in _LINE_BREAKS.sub("\n", text).split("\n")]
    if not _looks_hard_wrapped(lines):
        return None
    pages, footers = _text_pages(text)
    filled = sum(1 for line in lines if line)
    # Footnotes are found at page bottoms; one long "page" has no bottom to look at.
    return rebuild_pdf_layout(pages, running=footers,
                              footnotes=len(pages) > 1 or filled <= _FOOTNOTE_PAGE_LINES)


def _looks_hard_wrapped(lines: Sequence[str]) -> bool:
    """Whether most lines are of similar length and break off inside a sentence, as lines
    wrapped at a fixed width do, and sentences end inside lines, as in prose; notes with one
    paragraph per line, lists and "Key: value" lines are not."""
    filled = [line for line in lines if line]
    if len(filled) < _WRAPPED_MIN_LINES:
        return False
    width = _typical_length(filled)
    if width < _WRAPPED_MIN_WIDTH:
        return False
    if sum(1 for line in filled if len(line) > _OVERLONG * width) > _OVERLONG_SHARE * len(filled):
        return False
    broken = sum(1 for line, following in pairwise(lines)
                 if line and following and _breaks_mid_sentence(line, following, width))
    inner_ends = sum(1 for line in filled if _INNER_SENTENCE_END.search(line))
    return (broken >= _BROKEN_SHARE * len(filled)
            and inner_ends >= _INNER_END_SHARE * len(filled))


def _breaks_mid_sentence(line: str, following: str, width: int) -> bool:
    if len(line) < _SHORT_LINE * width or _BULLET.match(following):
        return False
    if _HYPHENATED.search(line):
        return True
    first = _FIRST_WORD_CHAR.match(following)
    return bool(first and first.group(1).islower()) and not _SENTENCE_END.search(line)


def _text_pages(text: str) -> tuple[list[str], list[str]]:
    """Split text into pages at form feeds, else after footers; also return the footers."""
    if "\f" in text:
        # The blank lines around a form feed are the page break, not a paragraph's end.
        fed = [page.strip("\r\n\t ") for page in text.split("\f") if page.strip()]
        if len(fed) > 1:
            return fed, []
    lines = _LINE_BREAKS.sub("\n", text).split("\n")
    footers = _footer_lines(lines)
    if not footers:
        return [text], []
    pages: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        pages[-1].append(line)
        if i in footers and not _only_furniture(pages[-1], footers, i):
            pages.append([])
    for page, following in pairwise(pages):
        # A page number on the line after a footer belongs to the page that footer ends,
        # and so do the blank lines after it: they are the page break, not a paragraph's end.
        filled = [i for i, line in enumerate(following) if line.strip()]
        if filled and filled[0] < 2 and _is_page_number(" ".join(following[filled[0]].split())):
            page.extend(following[: filled[0] + 1])
            del following[: filled[0] + 1]
        while following and not following[0].strip():
            page.append(following.pop(0))
    return (["\n".join(page) for page in pages if any(line.strip() for line in page)],
            [lines[i] for i in sorted(footers)])


def _only_furniture(page: Sequence[str], footers: set[int], end: int) -> bool:
    # A header and a footer both repeat: a "page" between the footer of one page and the
    # header of the next would hold nothing else, so do not end one there.
    start = end - len(page) + 1
    return all(not line.strip() or i in footers or _is_page_number(" ".join(line.split()))
               for i, line in enumerate(page, start))


def _footer_lines(lines: Sequence[str]) -> set[int]:
    """Indices of running lines with a page number: short lines that recur every page or
    every other page, alike but for a number that grows with the distance between them
    ("Fafo-rapport 2019:33 12", "- 13 -"). Numbered list items and table rows grow too,
    but do not keep a page's distance."""
    where: dict[str, list[int]] = {}
    for i, raw in enumerate(lines):
        line = " ".join(raw.split())
        if (line and len(line) <= _FOOTER_MAX_LENGTH and any(c.isdigit() for c in line)
                and not line.endswith((".", ",", ";", ":", "!", "?"))):
            where.setdefault(_layout_key(line), []).append(i)
    candidates: list[list[tuple[int, int]]] = []
    for indices in where.values():
        numbers = [[int(n) for n in re.findall(r"\d+", lines[i])] for i in indices]
        for position in (-1, 0):  # a page number comes last or first: "Side 3 av 40"
            found = [(i, number[position]) for i, number in zip(indices, numbers, strict=True)]
            if len(found) >= 2 and _page_sequence(found):
                candidates.append(found)
                break
    # Facing pages may carry different footers: together they number every page. The most
    # frequent line sets the page length; the others must keep it.
    chosen: list[tuple[int, int]] = []
    for found in sorted(candidates, key=len, reverse=True):
        together = sorted(chosen + found)
        if _page_sequence(together, regular=len(together) >= 3):
            chosen = together
    return {i for i, _ in chosen} if len(chosen) >= 3 else set()


def _page_sequence(found: Sequence[tuple[int, int]], regular: bool = False) -> bool:
    """Whether (line index, number) pairs number pages: the number grows, lines apart; with
    `regular`, most pages are about as long as the usual one."""
    steps = [(b - a, q - p) for (a, p), (b, q) in pairwise(found)]
    if not steps or any(pages <= 0 for _, pages in steps):
        return False
    if not regular:
        return True
    lengths = sorted(lines / pages for lines, pages in steps)
    usual = lengths[len(lengths) // 2]
    alike = sum(1 for length in lengths if abs(length - usual) <= _PAGE_LENGTH_SPREAD * usual)
    return usual >= _PAGE_MIN_LINES and alike >= 0.75 * len(lengths)
