"""Norwegian lemmas from simplemma, cached: one bokmål lemma per word, or all its readings."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import ModuleType

LANGUAGES = ("nb", "nn")
# Definite noun endings. simplemma keeps one lemma per form and often picks a weak verb for the
# ones they share with its past tense (samarbeidet -> samarbeide, forløpet -> forløpe). '-en' is
# left out: it would read adjectives such as 'liten' as nouns ('lit').
DEFINITE_ENDINGS = ("ene", "ane", "et", "a")
MIN_STEM = 3  # shorter stems are mostly accidents: 'ene' is not a form of 'e'
MIN_COMPOUND_PREFIX = 2  # 'nyansatte', 'rusbrukere'
MIN_HEAD = 4  # the known last part of a compound; 'løp' in 'pakkeforløp' is found via 'forløp'


def _simplemma() -> ModuleType:
    # Imported on first use: commands that never lemmatise (most of them) start faster.
    import simplemma

    return simplemma


@lru_cache(maxsize=200_000)
def lemma_of(word: str) -> str:
    """The bokmål lemma of one word, lower-cased: 'Boligene' -> 'bolig'.

    spacy-lookups-data has only ~1,600 Norwegian forms and its rule lemmatizer needs a tagger
    we do not have; simplemma covers inflected nouns and verbs from its own tables.
    """
    lowered = word.lower()
    if not any(ch.isalpha() for ch in lowered):
        return lowered
    return str(_simplemma().lemmatize(lowered, lang="nb")).lower()


@lru_cache(maxsize=200_000)
def readings(word: str) -> tuple[str, ...]:
    """Every lemma a word may stand for, the bokmål lemma first: 'bruker' -> bruke, bruker.

    simplemma stores one lemma per form, so an ambiguous form loses its other readings: the
    noun 'bruker' (a user) is read as the verb 'bruke', 'samarbeidet' as 'samarbeide'. We add
    the nynorsk lemma, the form itself when it is a headword, the noun behind a definite ending,
    and for unknown words the genitive without its -s and the lemmas of a compound's last part.
    """
    lowered = word.lower()
    found = [lemma_of(lowered)]
    if not any(ch.isalpha() for ch in lowered):
        return tuple(found)
    if _simplemma().is_known(lowered, lang="nn"):
        found.append(str(_simplemma().lemmatize(lowered, lang="nn")).lower())
    if is_headword(lowered):
        found.append(lowered)
    found.extend(_definite_noun(lowered))
    if not _known(lowered):
        found.extend(_unknown_word(lowered))
    return tuple(dict.fromkeys(found))


def warm_up() -> None:
    """Load every table readings() and is_headword() use, now rather than on first use."""
    for lang in LANGUAGES:
        _simplemma().is_known("bolig", lang=lang)
        _headwords(lang)


def is_headword(word: str) -> bool:
    """Whether a lower-cased word is a lemma in its own right in simplemma's bokmål or nynorsk
    tables: 'bruker' is (brukere, brukeren point to it), 'boliger' is not."""
    return any(word in _headwords(lang) for lang in LANGUAGES)


def _known(word: str) -> bool:
    return any(_simplemma().is_known(word, lang=lang) for lang in LANGUAGES)


def _definite_noun(word: str) -> list[str]:
    """The noun a definite form belongs to, when the tables show the stem is a noun."""
    return [word[:-len(ending)] for ending in DEFINITE_ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM
            and _is_noun(word[:-len(ending)])]


def _is_noun(stem: str) -> bool:
    """Some definite form of stem is listed with stem as its lemma (forløpene -> forløp)."""
    return any(_table(lang).get(stem + ending) == stem
               for lang in LANGUAGES for ending in (*DEFINITE_ENDINGS, "en"))


def _unknown_word(word: str) -> list[str]:
    """Readings of a word neither table lists: a genitive (ansattes, lederens) or a compound
    whose last part is known (pakkeforløpet -> forløpet -> pakkeforløp)."""
    if word.endswith("s") and _known(word[:-1]):
        return list(readings(word[:-1]))
    # The longest known last part wins: a short one ('ets') is more often an accident.
    for start in range(MIN_COMPOUND_PREFIX, len(word) - MIN_HEAD + 1):
        for head in (word[start:], word[start:-1] if word.endswith("s") else ""):
            if len(head) >= MIN_HEAD and _known(head):
                return [word[:start] + lemma for lemma in readings(head)]
    return []


def _table(lang: str) -> Mapping[str, str]:
    """simplemma's form -> lemma table, the one its lemmatize() loads and caches."""
    from simplemma.strategies import DEFAULT_DICTIONARY_FACTORY

    return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)


@lru_cache(maxsize=len(LANGUAGES))
def _headwords(lang: str) -> frozenset[str]:
    table = _table(lang)
    # The table wraps a bytes -> bytes dict; reading its values directly takes 30 ms for bokmål
    # instead of 350 ms decoding every entry through the Mapping interface.
    raw = getattr(table, "_dict", None)
    if isinstance(raw, dict):
        return frozenset(value.decode() for value in set(raw.values()))
    return frozenset(table.values())
