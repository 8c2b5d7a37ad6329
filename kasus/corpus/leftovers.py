"""Likely names left after pseudonymising: capitalised words that nothing else explains."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlite_utils import Database

from kasus.paths import data_root

# Services, agencies and programmes the notes name all the time: capitalised, not people.
KNOWN_SERVICES = frozenset(word.casefold() for word in (
    "NAV", "DPS", "KoRus", "TSB", "BrukerPlan", "Helsedirektoratet", "Husbanken", "KS",
    "Fylkesmannen", "Statsforvalteren", "Kriminalomsorgen", "Barnevernet", "Bufetat",
    "Helse", "Sør-Øst", "Midt-Norge", "Vest", "Nord", "Fonna", "SAMDATA", "KDI",
    "Opptrappingsplanen", "Housing", "First", "Recovery", "FACT", "ACT", "ROP", "LAR", "IPS",
    "Norge", "Kirkens", "Bymisjon", "Frelsesarmeen", "Blå", "Kors", "Fontenehuset",
    "Ungdata", "Folkehelseinstituttet", "Rusmiddeletaten", "Velferdsetaten",
))
TOKEN = re.compile(r"(?<![\w\[-])[A-ZÆØÅ]\w+(?:-\w+)*(?!\w)")
# What may stand between a sentence end (or a line start) and its first word.
OPENERS = " \t«»\"'“”‘’([-–—*#>•"


@dataclass(frozen=True)
class Leftover:
    """A capitalised word that may be a name nobody listed, and where it is first seen."""

    word: str
    count: int
    document_id: str
    line: int


@dataclass
class LeftoverScan:
    """Collects likely names over several documents."""

    known: frozenset[str]
    _seen: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def scan(self, document_id: str, text: str) -> None:
        for match in TOKEN.finditer(text):
            word = match.group()
            # Acronyms (ROP, MO-senteret's MO) and codes with digits are not names.
            if word.isupper() or any(c.isdigit() for c in word):
                continue
            if _at_sentence_start(text, match.start()) or _explained(word, self.known):
                continue
            line = text.count("\n", 0, match.start()) + 1
            self._seen.setdefault(word, []).append((document_id, line))

    def found(self) -> list[Leftover]:
        """Most frequent first."""
        return sorted((Leftover(word, len(places), *places[0])
                       for word, places in self._seen.items()),
                      key=lambda item: (-item.count, item.word))


def _at_sentence_start(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in OPENERS:
        index -= 1
    return index < 0 or text[index] in ".!?:;\n…"


def _explained(word: str, known: frozenset[str]) -> bool:
    # A compound is judged by its head (MO-senteret, NAV-kontoret, BrukerPlan-tallene), a
    # possessive by its noun (NAVs, Frelsesarmeens).
    if word.casefold() in known or _known_head(word.split("-")[0], known):
        return True
    return "-" not in word and len(word) > 2 and word.endswith("s") and _known_head(
        word[:-1], known)


def _known_head(head: str, known: frozenset[str]) -> bool:
    return head.isupper() or head.casefold() in known


def known_words(db: Database) -> frozenset[str]:
    """Words that are not names left: sites and their counties and regions (in the project
    and in corpus/sites.yaml), the codebook's labels and keywords, and known services."""
    words: set[str] = set(KNOWN_SERVICES)
    texts = [value for row in db.execute("SELECT name, county, region FROM sites")
             for value in row if value]
    texts += _shipped_sites(data_root() / "corpus" / "sites.yaml")
    for label_nb, label_en, keywords in db.execute(
            "SELECT label_nb, label_en, keywords FROM codes"):
        texts += [label_nb, label_en, *_json_list(keywords)]
    for text in texts:
        words.update(w.casefold() for w in re.findall(r"\w+(?:-\w+)*", str(text)))
        words.update(w.casefold() for w in re.findall(r"\w+", str(text)))
    return frozenset(words)


def _json_list(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _shipped_sites(path: Path) -> list[str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    entries = data.get("sites", []) if isinstance(data, dict) else []
    return [str(entry.get(key)) for entry in entries if isinstance(entry, dict)
            for key in ("name", "county", "region") if entry.get(key)]
