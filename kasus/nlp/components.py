"""spaCy components of our own: a lemmatizer backed by simplemma's Norwegian (bokmål) data."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kasus.nlp.lemmas import lemma_of


class SimplemmaLemmatizer:
    """Sets token.lemma_ for every token from simplemma, without a tagger or lookups tables."""

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = lemma_of(token.text)
        return doc


@Language.factory("simplemma_lemmatizer")
def create_simplemma_lemmatizer(nlp: Language, name: str) -> SimplemmaLemmatizer:
    return SimplemmaLemmatizer()
