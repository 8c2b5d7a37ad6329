"""Word forms a project has seen, with their lemma readings: lemma search without the dictionary."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from weakref import WeakKeyDictionary

from sqlite_utils import Database

WORD = re.compile(r"\w+")  # the index's word boundaries (kasus.nlp.pipeline.WORD)
LOOKUP_BATCH = 500  # forms per SELECT, well under SQLite's limit on parameters


@dataclass(frozen=True)
class WordForm:
    """A lower-cased form, every lemma it may stand for, and whether it is a headword itself."""

    form: str
    readings: tuple[str, ...]
    headword: bool


def forms_of(*texts: str) -> list[WordForm]:
    """The distinct word forms of some texts with their readings (kasus.nlp.lemmas)."""
    return forms_of_words({word for text in texts for word in WORD.findall(text)})


def forms_of_words(words: Iterable[str]) -> list[WordForm]:
    """forms_of() of texts whose distinct words are already at hand."""
    # Distinct surface words first: a note repeats its words, lowering each once is enough.
    return [_computed(form) for form in sorted({word.lower() for word in words})]


def word_form(form: str) -> WordForm:
    """One lower-cased form with its readings, as forms_of() gives it."""
    return _computed(form)


@lru_cache(maxsize=200_000)  # an import meets the same few thousand forms in every note
def _computed(form: str) -> WordForm:
    # Imported here: simplemma's tables load only where a form is new to the project.
    from kasus.nlp.lemmas import is_headword, readings

    return WordForm(form, readings(form), is_headword(form))


@lru_cache(maxsize=200_000)
def _row(form: WordForm) -> tuple[str, str, int]:
    return form.form, json.dumps(form.readings, ensure_ascii=False), int(form.headword)


@dataclass
class _Written:
    """The forms a project file is known to hold, up to row id last."""

    last: int
    forms: set[str]


# Per open project: an import offers every note's ~1,000 forms, nearly all known already, and
# offering them all to SQLite cost more than the rest of storing the note.
_WRITTEN: WeakKeyDictionary[Database, _Written] = WeakKeyDictionary()


def store_forms(db: Database, forms: Iterable[WordForm]) -> None:
    """Add forms the project has not seen; a known form keeps the readings it was indexed by."""
    forms = list(forms)
    if not forms:
        return
    top = _last_id(db)
    written = _WRITTEN.get(db)
    if written is None or top < written.last:  # first time here, or a rollback took rows
        written = _WRITTEN[db] = _Written(top, {row[0] for row in db.execute(
            "SELECT form FROM word_forms")})
    elif top > written.last:  # another connection added some
        written.forms.update(row[0] for row in db.execute(
            "SELECT form FROM word_forms WHERE id > ?", [written.last]))
        written.last = top
    # Nearly every form of a note is known: find that out in one set operation.
    unseen = set(map(attrgetter("form"), forms)) - written.forms
    new = [form for form in forms if form.form in unseen] if unseen else []
    if new:
        db.conn.executemany("INSERT OR IGNORE INTO word_forms (form, readings, headword) "
                            "VALUES (?, ?, ?)", [_row(form) for form in new])
        written.forms.update(form.form for form in new)
        written.last = _last_id(db)


def _last_id(db: Database) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) FROM word_forms").fetchone()[0])


@dataclass
class Lexicon:
    """Readings of words for one search: from the project's word_forms, simplemma only for
    forms the project has never seen (a query word that is in no note)."""

    db: Database
    known: dict[str, WordForm] = field(default_factory=dict)

    def learn(self, words: Iterable[str]) -> None:
        """Look up many words at once (a page of hits), so each costs no query of its own."""
        wanted = sorted({w.lower() for w in words} - self.known.keys())
        for first in range(0, len(wanted), LOOKUP_BATCH):
            batch = wanted[first:first + LOOKUP_BATCH]
            marks = ", ".join("?" * len(batch))
            for form, readings, headword in self.db.execute(
                    f"SELECT form, readings, headword FROM word_forms WHERE form IN ({marks})",
                    batch):
                self.known[form] = WordForm(form, tuple(json.loads(readings)), bool(headword))

    def form(self, word: str) -> WordForm:
        lowered = word.lower()
        if lowered not in self.known:
            self.learn([lowered])
        if lowered not in self.known:
            self.known[lowered] = _computed(lowered)
        return self.known[lowered]

    def readings(self, word: str) -> tuple[str, ...]:
        """Every lemma a word may stand for (kasus.nlp.lemmas.readings)."""
        return self.form(word).readings

    def query_readings(self, word: str) -> frozenset[str]:
        """The lemmas a query word stands for in lemma mode.

        A headword means itself: 'bruker' is the noun (brukere, brukerne, and 'bruker' wherever
        it is written), not every form of the verb 'bruke'. Any other form means the word and
        all its readings: 'brukerne' -> bruker, 'tenester' -> teneste.
        """
        found = self.form(word)
        if found.headword:
            return frozenset({found.form})
        return frozenset({found.form, *found.readings})
