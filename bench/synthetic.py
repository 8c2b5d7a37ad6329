"""A synthetic long note built from the demo corpus' own sentences, for benchmarks."""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

from kasus.demo import CORPUS
from kasus.importing.formats import extract
from kasus.nlp.pipeline import segment


@lru_cache(maxsize=1)  # read once per run: a large benchmark corpus draws thousands of notes
def corpus_sentences() -> list[str]:
    """Every sentence of the demo notes, in a fixed order."""
    sentences = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix in {".md", ".docx", ".odt"}:
            text = extract(path).text
            sentences += [text[s.start:s.end] for s in segment(text) if s.kind == "sentence"]
    return sentences


def long_note(words: int, seed: int = 7) -> str:
    """About `words` words in paragraphs of 3–8 sentences, deterministic for a seed."""
    rng = random.Random(seed)
    pool = corpus_sentences()
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 8)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def write_long_note(folder: Path, words: int, doc_id: str = "lang-01") -> Path:
    """A Markdown note with front matter, ready for import."""
    path = folder / f"{doc_id}.md"
    header = f"---\nid: {doc_id}\nsite: Karmøy\nrole: leder\ndate: 2019-10-14\n---\n"
    path.write_text(header + long_note(words), encoding="utf-8")
    return path
