"""Turn extracted text into the text of record: normalised, with PDF layout undone."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

# --- normalise_text -------------------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\f\v\x85]")

# Invisible characters that only disturb searching and offsets. Bidi marks are kept:
# they change how right-to-left names display.
_INVISIBLE = "\u200b\u200c\u2060\ufeff\u00ad"
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
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_SENTENCE_END = re.compile(r"[.:?!][»”\"')\]]*\d{0,3}$")
_QUOTES = "«»\"“”'\u2018\u2019"
_FIRST_WORD_CHAR = re.compile(rf"[{_QUOTES}(\[]*(\w)")
_BULLET = re.compile(r"^[•·▪◦‣∙*\u2013-]\s")
# After a line-end hyphen these words show a shared compound ("rus- og psykisk helse").
_KEEP_HYPHEN_BEFORE = frozenset({"og", "eller", "til", "samt", "and", "or"})
_SHORT_LINE = 0.8  # a line shorter than this share of the typical line ends its paragraph
_HEADING_LINE = 0.6  # ...and one this short is a heading even without a full stop


def rebuild_pdf_text(pages: Sequence[str]) -> str:
    """Rebuild paragraphs from the per-page text pypdf gives: drop running headers, footers
    and page numbers, undo end-of-line hyphenation, and move footnotes to a closing
    `Fotnoter` section. The result still needs `normalise_text`."""
    page_lines = [_page_lines(page) for page in pages]
    furniture = _running_lines(page_lines) if len(page_lines) >= 3 else set()
    bodies: list[list[str]] = []
    notes: list[str] = []
    for lines in page_lines:
        body, page_notes = _split_footnotes(_drop_furniture(lines, furniture))
        bodies.append(body)
        notes.extend(page_notes)
    text = "\n\n".join(_paragraphs(bodies))
    if notes:
        text += f"\n\n{FOOTNOTE_HEADING}\n\n" + "\n\n".join(notes)
    return text


def _page_lines(page: str) -> list[str]:
    text = _LINE_BREAKS.sub("\n", page.translate(_LIGATURES))
    return [" ".join(line.split()) for line in text.split("\n")]


def _edge_indices(lines: Sequence[str], depth: int = _EDGE_LINES) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line]
    return sorted(set(filled[:depth] + filled[-depth:]))


def _layout_key(line: str) -> str:
    # Page numbers and dates change from page to page; the rest of a running line does not.
    return re.sub(r"\d+", "#", line.casefold())


def _running_lines(page_lines: Sequence[Sequence[str]]) -> set[str]:
    """Keys of lines that sit at a page edge on at least half of the pages."""
    seen: Counter[str] = Counter()
    for lines in page_lines:
        seen.update({_layout_key(lines[i]) for i in _edge_indices(lines)})
    needed = math.ceil(len(page_lines) / 2)
    return {key for key, count in seen.items() if count >= needed}


def _drop_furniture(lines: list[str], furniture: set[str]) -> list[str]:
    drop = {i for i in _edge_indices(lines) if _layout_key(lines[i]) in furniture}
    # A bare number deeper into the page is more likely a table cell than a page number.
    drop |= {i for i in _edge_indices(lines, 2) if _is_page_number(lines[i])}
    return [line for i, line in enumerate(lines) if i not in drop]


def _is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line) or _ROMAN_PAGE_NUMBER.match(line))


def _split_footnotes(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split a page into body and footnotes: a footnote block starts at a numbered line in
    the lower half of the page whose number the body above carries as a marker."""
    filled = [i for i, line in enumerate(lines) if line]
    for i in filled[len(filled) // 2:]:
        start = _FOOTNOTE_START.match(lines[i])
        if not start:
            continue
        number = int(start.group(1))
        body = lines[:i]
        if _is_referenced(number, "\n".join(body)):
            return body, _collect_notes(lines[i:], number)
    return lines, []


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


def _collect_notes(lines: Sequence[str], first: int) -> list[str]:
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
    return [_join_lines(note) for note in notes]


def _join_lines(lines: Sequence[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        text = _join(text, line)
    return text


def _typical_length(lines: Iterable[str]) -> int:
    """Length of a full line: the median of the longer half, since headings, last lines of
    paragraphs and hyphenated stubs make many lines short."""
    lengths = sorted(len(line) for line in lines if line)
    upper = lengths[len(lengths) // 2 :]
    return upper[len(upper) // 2] if upper else 0


def _paragraphs(bodies: Sequence[Sequence[str]]) -> list[str]:
    """Join lines into paragraphs, across page breaks too."""
    overall = _typical_length(line for body in bodies for line in body)
    paragraphs: list[str] = []
    current = previous = ""
    previous_typical = overall
    for body in bodies:
        typical = _typical_length(body) if sum(1 for line in body if line) >= 4 else overall
        for line in body:
            if not line:
                paragraphs.append(current)
                current = ""
            elif current and not _ends_paragraph(previous, line, previous_typical):
                current = _join(current, line)
            else:
                paragraphs.append(current)
                current = line
            previous, previous_typical = line, typical
    paragraphs.append(current)
    return [paragraph for paragraph in paragraphs if paragraph]


def _ends_paragraph(line: str, following: str, typical: int) -> bool:
    if _BULLET.match(following) or _TOC_ENTRY.search(line):
        return True
    if _SECTION_HEADING.match(following) and _SENTENCE_END.search(line):
        return True
    if _HYPHENATED.search(line) or not _starts_upper(following):
        return False
    if _SENTENCE_END.search(line):
        return len(line) < _SHORT_LINE * typical
    return len(line) < _HEADING_LINE * typical and not line.endswith((",", ";", "\u2013"))


def _starts_upper(line: str) -> bool:
    """Whether a line opens like a sentence or a numbered heading ("2.1 Metode")."""
    number = _NUMBERED_HEADING.match(line)
    if number:
        line = line[number.end() :]
    first = _FIRST_WORD_CHAR.match(line)
    return bool(first and first.group(1).isupper())


def _join(text: str, line: str) -> str:
    """Append the next line to a paragraph, undoing hyphenation at the line break."""
    if not _HYPHENATED.search(text):
        return f"{text} {line}"
    first_word = re.match(r"[^\W\d_]+", line)
    if first_word and first_word.group().casefold() in _KEEP_HYPHEN_BEFORE:
        return f"{text} {line}"
    if not line[0].islower() or _is_acronym_stem(text):
        return text + line  # "Nord-" + "Norge", "NAV-" + "kontoret": a real hyphen
    return text[:-1] + line


def _is_acronym_stem(text: str) -> bool:
    stem = text[:-1].rsplit(" ", 1)[-1]
    return len(stem) >= 2 and (stem.isupper() or any(c.isdigit() for c in stem))
