"""Rank codebook codes for a typed query: the code picker's ordering, with no UI in it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from kasus.model import Code, Indicator

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
_WORD = re.compile(r"[^\W_]+|§\d*")
# The id is a code's short name and a keyword describes it less directly than its label.
ID_WEIGHT = 1.02
KEYWORD_WEIGHT = 0.95
# Fuzzy matches stay below any prefix match, so typing a word's start always wins.
FUZZY_WEIGHT = 0.85
MIN_SCORE = 60.0


def fold(text: str) -> str:
    """Lowercase and fold æ/ø/å so 'parorende' finds 'Pårørende'."""
    return text.translate(_FOLD).lower()


def words_of(text: str) -> list[str]:
    """The folded words of a text: ids split at dots and dashes, labels at spaces and marks."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=4096)
def _targets(code: Code) -> tuple[tuple[str, float], ...]:
    """Every word a query word may match, with the weight of the field it came from."""
    weighted = [(code.id, ID_WEIGHT), (code.label_nb, 1.0), (code.label_en, 1.0)]
    weighted += [(keyword, KEYWORD_WEIGHT) for keyword in code.keywords]
    best: dict[str, float] = {}
    for text, weight in weighted:
        for word in words_of(text):
            best[word] = max(weight, best.get(word, 0.0))
    return tuple(best.items())


def _word_score(query_word: str, target: str) -> float:
    if target == query_word:
        return 100.0
    if target.startswith(query_word):
        # A prefix covering more of the word is a better match: "bolig" beats "boligsosial".
        return 90.0 + 9.0 * len(query_word) / len(target)
    return FUZZY_WEIGHT * fuzz.ratio(query_word, target)


def _best(query_word: str, targets: Iterable[tuple[str, float]]) -> float:
    return max((weight * _word_score(query_word, word) for word, weight in targets), default=0.0)


def score_code(code: Code, query: str) -> float:
    """How well a code matches a query: the best match per query word, averaged."""
    query_words = words_of(query)
    if not query_words:
        return 0.0
    targets = _targets(code)
    return sum(_best(word, targets) for word in query_words) / len(query_words)


def rank_codes(codes: list[Code], query: str, limit: int = 20) -> list[Code]:
    """Active codes best first for the query; an empty query keeps codebook order."""
    active = [code for code in codes if code.status != "retired"]
    if not words_of(query):
        return active[:limit]
    scored = [(score_code(code, query), index, code) for index, code in enumerate(active)]
    # Ties keep codebook order, so a theme comes before its own sub-codes.
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [code for score, _, code in scored if score >= MIN_SCORE][:limit]


def _indicator_targets(indicator: Indicator) -> tuple[tuple[str, float], ...]:
    best: dict[str, float] = {str(indicator.id): ID_WEIGHT}
    for text, weight in ((indicator.name_nb, 1.0), (indicator.source, KEYWORD_WEIGHT),
                         (indicator.area, KEYWORD_WEIGHT), (indicator.type, KEYWORD_WEIGHT)):
        for word in words_of(text):
            best[word] = max(weight, best.get(word, 0.0))
    return tuple(best.items())


def rank_indicators(indicators: list[Indicator], query: str, first: Iterable[int] = (),
                    limit: int = 100) -> list[Indicator]:
    """Indicators best first for the query (id, name, source, area, type); with no query, the
    ones in `first` (those the code links to) lead, then the rest by id."""
    leading = list(first)
    if not words_of(query):
        order = {indicator_id: n for n, indicator_id in enumerate(leading)}
        return sorted(indicators, key=lambda i: (order.get(i.id, len(order)), i.id))[:limit]
    query_words = words_of(query)
    scored = []
    for indicator in indicators:
        targets = _indicator_targets(indicator)
        score = sum(_best(word, targets) for word in query_words) / len(query_words)
        if score >= MIN_SCORE:
            scored.append((-score, indicator.id not in leading, indicator.id, indicator))
    return [item[-1] for item in sorted(scored, key=lambda item: item[:3])][:limit]
