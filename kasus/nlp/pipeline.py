"""The Norwegian pipeline and the segmentation of a document into paragraphs and sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from kasus.model import Segment
from kasus.nlp import sentences
from kasus.nlp.lemmas import readings

if TYPE_CHECKING:
    from spacy.language import Language

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
# The same word boundaries as the FTS5 unicode61 tokenizer, so lemmas and index agree.
WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def nlp() -> Language:
    """spacy.blank("nb") + our sentencizer and lemmatizer: nothing downloaded, ever.

    spaCy is imported here, not at module level: segment() and lemmatize() apply the same rules
    without a Doc, so no command pays for spaCy unless it asks for the pipeline itself.
    """
    import spacy

    from kasus.nlp import components  # noqa: F401  (registers simplemma_lemmatizer)

    pipeline = spacy.blank("nb")
    sentences.add_sentencizer(pipeline)
    pipeline.add_pipe("simplemma_lemmatizer")
    return pipeline


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, outer whitespace trimmed."""
    position = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield from sentences.trimmed(text, position, match.start())
        position = match.end()
    yield from sentences.trimmed(text, position, len(text))


def sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of one paragraph; a line break always ends a sentence (headers, headings).

    The rules in kasus.nlp.sentences run on the text itself, without a spaCy Doc: they are the
    ones the pipeline's sentencizer applies, at a fraction of the cost.
    """
    return sentences.sentence_spans(text, start, end)


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
    """The lemmas of a piece of text, space-separated, for the lemma column of the index.

    A word with several readings contributes all of them ('bruker' -> 'bruke bruker'), so lemma
    search finds the noun as well as the verb; positions in the column are therefore not word
    positions, and kasus.search checks lemma phrases against the sentence itself.
    """
    return lemmas_of_words(WORD.findall(text))


def lemmas_of_words(found: list[str]) -> str:
    """lemmatize() of a text whose words (WORD.findall) are already at hand."""
    return " ".join(map(_READINGS_TEXT.__getitem__, found))


class _ReadingsText(dict[str, str]):
    """A word -> its readings joined by spaces, computed on first sight: an import looks up
    every word of every sentence, and one dict lookup per word is the cheapest way."""

    LIMIT = 500_000  # distinct words kept before starting afresh: memory stays bounded

    def __missing__(self, word: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        joined = self[word] = " ".join(readings(word))
        return joined


_READINGS_TEXT = _ReadingsText()


def words(text: str) -> list[str]:
    """The words of a text as the search index sees them."""
    return WORD.findall(text)
