"""Rule-based Norwegian sentence boundaries: quotes, abbreviations, ordinals, years, list items."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

COMPONENT = "norwegian_sentencizer"

# A candidate end: terminal punctuation, the closing quotes and brackets glued to it, then a
# space. Whatever follows the space (an opening « included) belongs to the next sentence.
CANDIDATE = re.compile(r"[.!?…]+[»«”“’‘\"')\]]*(?=\s)")
OPENERS = "«„“‘\"'(["
VOWELS = frozenset("aeiouyæøå")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations that introduce what follows ("f.eks. Oslo", "kl. 14", "jf. kap. 4"): never an end.
LEADING = _words("""
    f.eks bl.a bla m.a m.a.o mao dvs d.v.s evt ev ca jf jfr jmf kfr sml kl nr bnr gnr pkt
    prop kap st meld st.meld st.prp ot.prp innst ref vedr ang iflg pga p.g.a ift i.f.t mht
    m.h.t vha v.h.a ifm iht ifb istf inkl ekskl hhv resp tilsv vsa vs t.o.m f.o.m pr
    dr prof hr fr tlf fig tab vol avd adm.dir fhv s.k såk
""")
# Abbreviations that may also close a sentence ("… bolig mv. Det"): an end before a capital
# only, so "mill. kroner", "mfl. 2018" and "pst. av" stay whole.
TRAILING = _words("""
    osv mv m.v m.m mfl m.fl ofl o.fl etc o.l e.l o.a al pst mill mrd mnd kr stk mva moh årsv
    jan feb mar apr jun jul aug sep sept okt nov des p.t
""")
MONTHS = _words("""
    januar februar mars april mai juni juli august september oktober november desember
    jan feb mar apr jun jul aug sep sept okt nov des
""")
YEAR = re.compile(r"1[89]\d\d|20\d\d")
NUMBER = re.compile(r"\d{1,3}|\d+(?:\.\d+)+")
# "1.", "1.2.", "a.", "IV." opening a sentence number a list item.
LIST_MARKER = re.compile(r"\d+(?:\.\d+)*|[A-Za-z]|[IVXLC]+")


def sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of text[start:end], trimmed; a line break always ends a sentence."""
    for line_start, line_end in _lines(text, start, end):
        yield from _line_sentences(text, line_start, line_end)


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline == -1 else newline
        yield from trimmed(text, position, line_end)
        position = line_end + 1


def trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """text[start:end] without its outer whitespace, unless nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _line_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of one trimmed line: it is cut after each candidate end that ends a sentence."""
    position = start
    for match in CANDIDATE.finditer(text, start, end):
        if _ends_sentence(text, position, match, end):
            yield position, match.end()
            position = _skip_space(text, match.end(), end)
    if position < end:
        yield position, end


def _skip_space(text: str, position: int, end: int) -> int:
    while position < end and text[position].isspace():
        position += 1
    return position


def _ends_sentence(text: str, sentence_start: int, match: re.Match[str], end: int) -> bool:
    following = _following_word(text, match.end(), end)
    # Norwegian sentences start with a capital: «Hva nå?» spurte hun, "1. januar", "mill. kroner".
    if not following or following[0].islower() or following[0] in ".,;:":
        return False
    # ?, !, … and a closing quote or bracket end a sentence; a lone period may be an abbreviation.
    if match.group() != ".":
        return True
    word_start = match.start()
    while word_start > sentence_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:match.start()].lstrip(OPENERS)
    # "1. Bolig", "a. Tiltak": a list item's number opens its sentence and ends nothing.
    if word_start == sentence_start and LIST_MARKER.fullmatch(word):
        return False
    return _word_ends_sentence(word, following)


def _following_word(text: str, position: int, end: int) -> str:
    """The word after a candidate end, past the space and any opening quotes or brackets."""
    position = _skip_space(text, position, end)
    while position < end and text[position] in OPENERS:
        position += 1
    if position == end:
        return ""
    word_end = position
    while word_end < end and text[word_end].isalnum():
        word_end += 1
    # A sign such as "–", "•" or "§" stands for the word it introduces.
    return text[position:max(word_end, position + 1)]


def _word_ends_sentence(word: str, following: str) -> bool:
    """Whether "word." ends a sentence before a following word that is not lowercase."""
    key = word.lower()
    if key in LEADING or (len(word) == 1 and word.isalpha()):  # initials: "Inger L. Hansen"
        return False
    if YEAR.fullmatch(word):
        return True
    if NUMBER.fullmatch(word):  # "3. Det" is a count; "1. Januar" and "1. 2." are ordinals
        return following[0].isupper() and following.lower() not in MONTHS
    if key in TRAILING or "." in key or _vowelless(key):
        return not following[0].isdigit()
    return True


def _vowelless(word: str) -> bool:
    # Unlisted short lowercase abbreviations ("md.", "tlf.", "hhv."): Norwegian words have vowels.
    return len(word) <= 5 and word.isalpha() and word.islower() and not VOWELS & set(word)


class NorwegianSentencizer:
    """Sets token.is_sent_start from the same rules, so doc.sents agrees with segment()."""

    def __call__(self, doc: Doc) -> Doc:
        starts = {start for start, _ in sentence_spans(doc.text, 0, len(doc.text))}
        for index, token in enumerate(doc):
            token.is_sent_start = index == 0 or token.idx in starts
        return doc


def add_sentencizer(pipeline: Language) -> None:
    """Adds the component, registering its factory on first use so this module needs no spaCy."""
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.factory(COMPONENT, func=_create_sentencizer)
    pipeline.add_pipe(COMPONENT)


def _create_sentencizer(nlp: Language, name: str) -> NorwegianSentencizer:
    return NorwegianSentencizer()
