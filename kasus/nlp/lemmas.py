"""Norwegian (bokmål) lemmas from simplemma, cached; shared by the spaCy component and search."""

from __future__ import annotations

from functools import lru_cache

import simplemma


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
