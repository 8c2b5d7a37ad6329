"""spaCy components of our own: a lemmatizer backed by simplemma's Norwegian (bokmål) data."""

from __future__ import annotations

from functools import lru_cache

import simplemma
from spacy.language import Language
from spacy.tokens import Doc


@lru_cache(maxsize=200_000)
def lemma_of(word: str) -> str:
    """The bokmål lemma of one word, lower-cased: 'Boligene' -> 'bolig'.

    spacy-lookups-data has only ~1,600 Norwegian forms and its rule lemmatizer needs a tagger
    we do not have; simplemma covers inflected nouns and verbs from its own tables.
    """
    lowered = word.lower()
    if not any(ch.isalpha() for ch in lowered):
        return lowered
    return str(simplemma.lemmatize(lowered, lang="nb")).lower()


class SimplemmaLemmatizer:
    """Sets token.lemma_ for every token from simplemma, without a tagger or lookups tables."""

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = lemma_of(token.text)
        return doc


@Language.factory("simplemma_lemmatizer")
def create_simplemma_lemmatizer(nlp: Language, name: str) -> SimplemmaLemmatizer:
    return SimplemmaLemmatizer()
