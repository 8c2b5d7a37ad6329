"""Segmentation and lemmas: offsets are exact, lemmas come from our simplemma component."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kasus.nlp.pipeline import lemmatize, nlp, segment

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


@given(st.text(alphabet=st.sampled_from(list("abc æøå.!?\n ")), max_size=300))
def test_every_segment_is_a_trimmed_non_empty_slice(text: str) -> None:
    for seg in segment(text):
        piece = text[seg.start:seg.end]
        assert piece and piece == piece.strip()


def test_lemmatizer_is_a_pipeline_component() -> None:
    doc = nlp()("Boligene og kommunene")
    assert "simplemma_lemmatizer" in nlp().pipe_names
    assert [token.lemma_ for token in doc] == ["bolig", "og", "kommune"]
    assert lemmatize("boliger, boligen") == "bolig bolig"
