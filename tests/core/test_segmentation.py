"""Segmentation and lemmas: offsets are exact, lemmas come from our simplemma component."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kasus.demo import CORPUS
from kasus.importing.formats import extract
from kasus.nlp.pipeline import lemmatize, nlp, segment
from kasus.nlp.sentences import COMPONENT, OPENERS

TEXT = ("Kommune: Karmøy\nInformant: leder\n\n"
        "Boligene i kommunene er for få. Det sier f.eks. lederen! Ventetiden er lang.\n\n"
        "Ny avsnitt uten punktum")


def test_segments_slice_exactly() -> None:
    segments = segment(TEXT)
    paragraphs = [TEXT[s.start:s.end] for s in segments if s.kind == "paragraph"]
    sentences = [TEXT[s.start:s.end] for s in segments if s.kind == "sentence"]
    assert paragraphs[0] == "Kommune: Karmøy\nInformant: leder"
    assert len(paragraphs) == 3
    assert sentences[:3] == ["Kommune: Karmøy", "Informant: leder",
                             "Boligene i kommunene er for få."]
    assert sentences[-1] == "Ny avsnitt uten punktum"


TRICKY = ("Det startet i 2018. «Vi sluttet å krangle», sier hun. Se f.eks. Prop. 15 S "
          "(2015–2016), jf. kap. 4.\n1. Bolig er viktig. Tilskuddet er 2,4 mill. kroner! "
          "«Hva nå?» spurte hun.")
ALPHABET = list("abc æøå.!?\n AÅ1«»()–")


def sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in segment(text) if s.kind == "sentence"]


@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=300))
def test_every_segment_is_a_trimmed_non_empty_slice(text: str) -> None:
    for seg in segment(text):
        piece = text[seg.start:seg.end]
        assert piece and piece == piece.strip()


@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=300))
def test_sentences_cover_the_text_but_whitespace(text: str) -> None:
    position = 0
    for seg in (s for s in segment(text) if s.kind == "sentence"):
        assert text[position:seg.start].strip() == ""
        position = seg.end
    assert text[position:].strip() == ""


def test_opening_quote_starts_the_sentence_it_opens() -> None:
    assert sentences(TRICKY) == [
        "Det startet i 2018.", "«Vi sluttet å krangle», sier hun.",
        "Se f.eks. Prop. 15 S (2015–2016), jf. kap. 4.", "1. Bolig er viktig.",
        "Tilskuddet er 2,4 mill. kroner!", "«Hva nå?» spurte hun.",
    ]


def test_no_demo_sentence_ends_with_an_opening_quote_or_bracket() -> None:
    notes = [p for p in sorted(CORPUS.rglob("*")) if p.suffix in {".md", ".docx", ".odt"}]
    assert notes
    for path in notes:
        ends = [s for s in sentences(extract(path).text) if s[-1] in OPENERS]
        assert ends == [], path


def test_pipeline_sentencizer_agrees_with_segment() -> None:
    assert COMPONENT in nlp().pipe_names
    assert [sent.text.strip() for sent in nlp()(TRICKY).sents] == sentences(TRICKY)


def test_lemmatizer_is_a_pipeline_component() -> None:
    doc = nlp()("Boligene og kommunene")
    assert "simplemma_lemmatizer" in nlp().pipe_names
    assert [token.lemma_ for token in doc] == ["bolig", "og", "kommune"]
    assert lemmatize("boliger, boligen") == "bolig bolig"
