"""The Norwegian pipeline and the segmentation of a document into paragraphs and sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from kasus.model import Segment
from kasus.nlp.lemmas import lemma_of

if TYPE_CHECKING:
    from spacy.language import Language

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
# The same word boundaries as the FTS5 unicode61 tokenizer, so lemmas and index agree.
WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def nlp() -> Language:
    """spacy.blank("nb") + sentencizer + our lemmatizer: nothing downloaded, ever.

    spaCy is imported here, not at module level, so commands that never segment text
    (stats, codings, undo) start without paying for it.
    """
    import spacy

    from kasus.nlp import components  # noqa: F401  (registers simplemma_lemmatizer)

    pipeline = spacy.blank("nb")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("simplemma_lemmatizer")
    return pipeline


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, outer whitespace trimmed."""
    position = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield from _trimmed(text, position, match.start())
        position = match.end()
    yield from _trimmed(text, position, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of one paragraph; a line break always ends a sentence (headers, headings)."""
    pipeline = nlp()
    # Only the sentencizer runs here: lemmas for the index come from lemmatize(), per sentence.
    sentencizer = pipeline.get_pipe("sentencizer")
    for line_start, line_end in _lines(text, start, end):
        doc = sentencizer(pipeline.make_doc(text[line_start:line_end]))
        for sentence in doc.sents:
            yield from _trimmed(text, line_start + sentence.start_char,
                                line_start + sentence.end_char)


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline == -1 else newline
        yield from _trimmed(text, position, line_end)
        position = line_end + 1


def segment(text: str) -> list[Segment]:
    """Paragraph and sentence segments such that text[start:end] is exactly each segment."""
    segments: list[Segment] = []
    sentence_number = 0
    for paragraph_number, (p_start, p_end) in enumerate(paragraph_spans(text)):
        segments.append(Segment("paragraph", paragraph_number, p_start, p_end))
        for s_start, s_end in sentence_spans(text, p_start, p_end):
            segments.append(Segment("sentence", sentence_number, s_start, s_end))
            sentence_number += 1
    return segments


def lemmatize(text: str) -> str:
    """The lemmas of a piece of text, space-separated, for the lemma column of the index."""
    return " ".join(lemma_of(word) for word in WORD.findall(text))


def words(text: str) -> list[str]:
    """The words of a text as the search index sees them."""
    return WORD.findall(text)
