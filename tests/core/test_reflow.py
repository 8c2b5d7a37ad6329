"""Tests for reflowing hard-wrapped plain text, and the PDF page repair it shares."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest

from kasus.importing import text_reader
from kasus.importing.formats import extract, normalise_text
from kasus.importing.normalise import (
    FOOTNOTE_HEADING,
    rebuild_pdf_layout,
    rebuild_pdf_text,
    reflow_hard_wrapped,
    strip_markdown_headings,
)
from kasus.nlp.pipeline import segment

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "reflow"
# Six sections of Fafo-rapport 2019:33 (the third status report: Forord, 1 Innledning, and
# the opening and the Oslo case of 4 Casestudier), one paragraph a line, with the footnotes
# of those pages in a closing "Fotnoter" section: what a perfect repair gives. Unwrapped
# from PDF_TEXT once by joining each hyphenated word as the rest of the report spells it,
# then checked by eye; its list of goals is numbered 1-5 as in the report.
ORIGINAL = FIXTURES / "original.txt"
# ORIGINAL as a PDF saved as text: hard_wrap(ORIGINAL), stored to import by hand.
HARD_WRAPPED = FIXTURES / "hard-wrapped.txt"
# The same sections as pypdf extracted them from the report: its own line ends and hyphens,
# footnotes in the middle of the text, page breaks inside paragraphs, one footer.
PDF_TEXT = FIXTURES / "pdf-text.txt"


# --- the hard-wrapped fixture ---------------------------------------------------------

WIDTH = 80
PAGE_LINES = 45
FIRST_PAGE = 9
VOWELS = frozenset("aeiouyæøåAEIOUYÆØÅéè")
MARKERS = re.compile(r"[^\W\d_]\.?(\d{1,2})(?![\d\w])")
CHAPTER = re.compile(r"^(?:\d{1,2} [A-ZÆØÅ]\w+|Forord)$")


def fafo_footer(page: int) -> list[str]:
    return ["", f"Fafo-rapport 2019:33 {page}"]


def facing_footers(page: int) -> list[str]:
    # The report's facing pages: the series left, the title right, the number outside.
    return ["", f"{page} Fafo-rapport 2019:33" if page % 2 == 0
            else f"Evaluering av opptrappingsplanen for rusfeltet {page}"]


def two_line_footer(page: int) -> list[str]:
    return ["", "Fafo-rapport 2019:33", str(page)]


@dataclass
class Wrapped:
    """A hard-wrapped text and what wrapping did to it, to measure a repair against."""

    text: str
    splits: Counter[tuple[str, str]] = field(default_factory=Counter)  # "kommu-" "nene"
    compound_splits: Counter[tuple[str, str]] = field(default_factory=Counter)  # "NAV-" "kontor"
    pages: int = 0


def hard_wrap(original: str, footer: Callable[[int], list[str]] | None = fafo_footer,
              blank_between: bool = True, width: Callable[[str], float] = len) -> Wrapped:
    """Lay `original` out as a PDF saved as text does: lines of at most WIDTH columns as
    `width` measures them, hyphenated at syllables, PAGE_LINES lines a page with the page's
    footnotes at its bottom above `footer` (or a form feed if None), chapters on a new page."""
    body, _, notes_text = original.partition(f"\n\n{FOOTNOTE_HEADING}\n\n")
    notes = {int(note.split(" ", 1)[0]): note for note in notes_text.strip().split("\n\n")}
    wrapped = Wrapped("")
    pages: list[list[str]] = []
    page: list[str] = []
    page_notes: list[int] = []

    wrapped_notes = {number: wrap_paragraph(note, wrapped, width) for number, note in notes.items()}

    def note_lines(numbers: list[int]) -> list[str]:
        lines = [line for number in numbers for line in wrapped_notes[number]]
        return ["", *lines] if lines else []

    def end_page() -> None:
        nonlocal page, page_notes
        if page:
            pages.append(page + note_lines(page_notes))
        page, page_notes = [], []

    capacity = PAGE_LINES - len(footer(FIRST_PAGE) if footer else [])
    paragraphs = body.strip().split("\n\n")
    for number, paragraph in enumerate(paragraphs):
        if CHAPTER.match(paragraph):
            end_page()
        lines = wrap_paragraph(paragraph, wrapped, width)
        following = paragraphs[number + 1] if number + 1 < len(paragraphs) else ""
        if blank_between and not is_heading(paragraph) and not (
                is_item(paragraph) and is_item(following)):
            lines.append("")
        for line in lines:
            marked = [int(n) for n in MARKERS.findall(line) if int(n) in notes]
            wanted = page_notes + [n for n in marked if n not in page_notes]
            if page and len(page) + 1 + len(note_lines(wanted)) > capacity:
                end_page()
                wanted = marked
            if page or line:
                page.append(line)
            page_notes = wanted
    end_page()
    wrapped.text = join_pages(pages, footer)
    wrapped.pages = len(pages)
    return wrapped


def join_pages(pages: list[list[str]], footer: Callable[[int], list[str]] | None) -> str:
    """The pages as one text: each with its footer, or separated by form feeds."""
    out: list[str] = []
    for index, lines in enumerate(pages):
        while lines and not lines[-1]:
            lines.pop()
        if footer is None:
            out.append("\n".join(lines) + ("\n\f" if index < len(pages) - 1 else "\n"))
        else:
            out.append("\n".join(lines + footer(FIRST_PAGE + index)) + "\n")
    return "".join(out) if footer is None else "\n".join(out)


def is_heading(paragraph: str) -> bool:
    return len(paragraph) < 60 and not paragraph.endswith((".", ":", "?", "!"))


def is_item(paragraph: str) -> bool:
    return paragraph.startswith("• ") or bool(re.match(r"\d \w", paragraph))


def fits(width: Callable[[str], float], line: str, head: str) -> bool:
    return width(f"{line} {head}-") <= WIDTH


def proportional(text: str) -> float:
    """Width of `text` in a proportional font, in average characters: what a PDF's lines
    are as long as, so their lengths in characters vary."""
    return sum(0.55 if c in "iljtfrI.,:;'() " else 1.5 if c in "mwMW" else
               1.25 if c.isupper() else 1.0 for c in text) / 0.97


def wrap_paragraph(paragraph: str, wrapped: Wrapped,
                   width: Callable[[str], float] = len) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in paragraph.split(" "):
        if not line:
            line = word
            continue
        if width(f"{line} {word}") <= WIDTH or line.isdigit():  # "7 https://...", overlong
            line += " " + word
            continue
        split = hyphenate(word, partial(fits, width, line))
        if split:
            head, tail = split
            if head.endswith("-") and "-" in word[: len(head)]:
                wrapped.compound_splits[head, tail] += 1
                lines.append(f"{line} {head}")
            else:
                wrapped.splits[head, tail] += 1
                lines.append(f"{line} {head}-")
            line = tail
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def hyphenate(word: str, fits: Callable[[str], bool]) -> tuple[str, str] | None:
    """Split `word` where its head (with a hyphen) `fits` on the line: at a hyphen it has,
    else before a consonant that a vowel follows ("kommu-nene"), keeping 3 letters or more
    on each side."""
    if "/" in word:
        return None  # web addresses are not hyphenated
    for cut in range(len(word) - 1, 2, -1):
        if word[cut - 1] == "-" and word[cut].isalpha() and fits(word[: cut - 1]):
            return word[:cut], word[cut:]
    letters = re.match(r"[^\W\d_]+", word)
    if not letters or len(letters.group()) < 7 or any(c.isdigit() for c in word):
        return None
    core = letters.group()
    for cut in range(len(core) - 3, 2, -1):
        if (core[cut] not in VOWELS and core[cut + 1] in VOWELS and core[cut - 1].isalpha()
                and fits(word[:cut])):
            return word[:cut], word[cut:]
    return None


# --- measuring a repair ---------------------------------------------------------------


def sentences(text: str) -> Counter[str]:
    return Counter(" ".join(text[s.start : s.end].split())
                   for s in segment(text) if s.kind == "sentence")


def paragraphs(text: str) -> Counter[str]:
    return Counter(" ".join(text[s.start : s.end].split())
                   for s in segment(text) if s.kind == "paragraph")


@dataclass(frozen=True)
class Figures:
    sentences: int
    wrong_sentences: int
    paragraphs: int
    wrong_paragraphs: int
    hyphenations: int
    hyphenations_left: int
    compound_hyphens_lost: int
    footers_left: int
    notes_in_body: int

    @property
    def wrong_share(self) -> float:
        return self.wrong_sentences / self.sentences

    def __str__(self) -> str:
        return (f"{self.wrong_sentences}/{self.sentences} sentences wrong "
                f"({self.wrong_share:.0%}), {self.wrong_paragraphs}/{self.paragraphs} "
                f"paragraphs wrong, {self.hyphenations_left}/{self.hyphenations} line-end "
                f"hyphens left, {self.compound_hyphens_lost} compound hyphens lost, "
                f"{self.footers_left} footers left, {self.notes_in_body} footnotes in the body")


def measure(original: str, wrapped: Wrapped, result: str) -> Figures:
    """How far `result`, the repair of `wrapped`, is from `original`."""
    expected = sentences(original)
    wrong = sum((expected - sentences(result)).values())
    expected_paragraphs = paragraphs(original)
    wrong_paragraphs = sum((expected_paragraphs - paragraphs(result)).values())
    left = sum(min(count, sum(result.count(f"{head}-{gap}{tail}") for gap in ("\n", " ", "")))
               for (head, tail), count in wrapped.splits.items())
    lost = sum(min(count, result.count(f"{head[:-1]}{tail}"))
               for (head, tail), count in wrapped.compound_splits.items())
    body = result.split(f"\n\n{FOOTNOTE_HEADING}\n\n")[0]
    notes = original.partition(f"\n\n{FOOTNOTE_HEADING}\n\n")[2].split("\n\n")
    in_body = sum(1 for note in notes if note[:30] in body)
    footers = len(re.findall(r"Fafo-rapport 2019:33|Evaluering av opptrappingsplanen for "
                             r"rusfeltet \d|^\d+$", result, re.MULTILINE))
    return Figures(
        sentences=sum(expected.values()), wrong_sentences=wrong,
        paragraphs=sum(expected_paragraphs.values()), wrong_paragraphs=wrong_paragraphs,
        hyphenations=sum(wrapped.splits.values()), hyphenations_left=left,
        compound_hyphens_lost=lost, footers_left=footers, notes_in_body=in_body,
    )


@pytest.fixture(scope="module")
def original() -> str:
    return ORIGINAL.read_text(encoding="utf-8")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the fixtures ---------------------------------------------------------------------


def test_stored_fixture_is_the_original_hard_wrapped(original: str) -> None:
    # Regenerate with: HARD_WRAPPED.write_text(hard_wrap(original).text, encoding="utf-8")
    assert HARD_WRAPPED.read_text(encoding="utf-8") == hard_wrap(original).text


def test_fixture_has_what_the_issue_describes(original: str) -> None:
    wrapped = hard_wrap(original)
    assert max(len(line) for line in wrapped.text.split("\n") if "https://" not in line) <= WIDTH
    assert sum(wrapped.splits.values()) >= 80
    assert wrapped.text.count("Fafo-rapport 2019:33") == wrapped.pages >= 10
    assert re.search(r"institusjonstilbud6\s+skal", wrapped.text)  # a marker glued to a word
    # What importing it did before it was reflowed: every line break ended a sentence.
    before = measure(original, wrapped, normalise_text(wrapped.text))
    assert before.wrong_share > 0.75
    assert before.footers_left == wrapped.pages
    assert before.notes_in_body == 4


# --- reflowing ------------------------------------------------------------------------


def test_hard_wrapped_txt_is_reflowed(original: str, tmp_path: Path) -> None:
    wrapped = hard_wrap(original)
    extracted = extract(write(tmp_path, "rapport.txt", wrapped.text))
    figures = measure(original, wrapped, extracted.text)
    assert figures.wrong_sentences == 0, str(figures)
    assert figures.wrong_paragraphs == 0, str(figures)
    assert figures.hyphenations_left == figures.compound_hyphens_lost == 0, str(figures)
    assert figures.footers_left == figures.notes_in_body == 0, str(figures)
    assert extracted.text.endswith(original.partition(FOOTNOTE_HEADING)[2].strip())
    assert extracted.encoding == "utf-8"
    lines = sum(1 for line in wrapped.text.split("\n") if line)
    paragraphs = original.partition(FOOTNOTE_HEADING)[0].strip().count("\n\n") + 1
    assert extracted.repairs == (
        f"reflowed hard-wrapped text: {lines} lines into {paragraphs} paragraphs, "
        f"{sum(wrapped.splits.values()) + sum(wrapped.compound_splits.values())} hyphenations "
        f"joined, {wrapped.pages} footer lines dropped, 4 footnotes moved to the end",
    )


@pytest.mark.parametrize(
    ("footer", "blank_between", "width", "paragraphs_wrong"),
    [
        pytest.param(facing_footers, True, len, 0, id="facing pages"),
        pytest.param(two_line_footer, True, len, 2, id="footer and page number lines"),
        pytest.param(None, True, len, 0, id="form feeds"),
        pytest.param(fafo_footer, True, proportional, 0, id="proportional font"),
        # Without blank lines, a paragraph whose last line is full runs into the next one.
        pytest.param(fafo_footer, False, len, 15, id="no blank lines"),
        pytest.param(fafo_footer, False, proportional, 14, id="proportional, no blank lines"),
    ],
)
def test_page_layouts(original: str, tmp_path: Path, footer: Callable[[int], list[str]] | None,
                      blank_between: bool, width: Callable[[str], float],
                      paragraphs_wrong: int) -> None:
    wrapped = hard_wrap(original, footer, blank_between, width)
    figures = measure(original, wrapped,
                      extract(write(tmp_path, "rapport.txt", wrapped.text)).text)
    assert figures.wrong_share <= 0.01, str(figures)
    assert figures.wrong_paragraphs <= paragraphs_wrong, str(figures)
    assert figures.hyphenations_left == figures.compound_hyphens_lost == 0, str(figures)
    assert figures.footers_left == figures.notes_in_body == 0, str(figures)


def test_text_pypdf_extracted(original: str) -> None:
    # Real PDF text: its pages are not marked, so its footnotes stay where they are.
    raw = PDF_TEXT.read_text(encoding="utf-8")
    extracted = extract(PDF_TEXT)
    before = measure(original, Wrapped(raw), normalise_text(raw))
    after = measure(original, Wrapped(raw), extracted.text)
    assert before.wrong_share > 0.75
    # 5 of the 9: pypdf numbers the list of goals 6-10, the report 1-5.
    assert after.wrong_sentences <= 9, str(after)
    assert not re.search(r"[^\W\d_]-\n", extracted.text)
    assert set(re.findall(r"[^\W\d_]+- [^\W\d_]+", extracted.text)) == {
        "Arbeids- og", "bo- og", "endrings- og", "helse- og", "rus- og", "ungdoms- og"}
    assert "footnotes moved" not in extracted.repairs[0]


# --- what must not be reflowed --------------------------------------------------------


CORPUS_MARKDOWN = sorted((ROOT / "corpus").rglob("*.md"))


@pytest.mark.parametrize("path", CORPUS_MARKDOWN, ids=lambda path: path.stem)
def test_demo_corpus_comes_out_as_before(path: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The same bytes as a .txt: a note that is not hard-wrapped must not change either.
    as_txt = tmp_path / f"{path.stem}.txt"
    as_txt.write_bytes(path.read_bytes())
    now = [extract(path), extract(as_txt)]
    # Before: the readers without reflowing.
    monkeypatch.setattr(text_reader, "reflow_hard_wrapped", lambda text: None)
    before = [extract(path), extract(as_txt)]
    assert now[0] == before[0]
    assert now[0].repairs == ()
    if path.stem.upper() == "README":
        # It describes the notes, is no note, and is hard-wrapped Markdown: as a .txt it is
        # reflowed, as Markdown never.
        assert now[1].repairs != ()
    else:
        assert now[1] == before[1]
        assert now[1].repairs == ()


NOT_WRAPPED = {
    "key: value lines": "\n".join(
        ["Informant: leder for rustjenesten", "Dato: 11. september 2019",
         "Sted: rådhuset, møterom 3", "Intervjuer: KR og IH", "Varighet: omtrent to timer",
         "Opptak: ja, med samtykke", "rolle: leder", "kommune: Karmøy", "runde: 2019",
         "modus: personlig", "tema: bolig og økonomi", "oppfølging: telefon i oktober"]),
    "bullet list": "\n".join(
        f"- tiltak nummer {n} i planen for rus og psykisk helse, med egen finansiering"
        for n in range(12)),
    "list without bullets": "\n".join(
        f"tidlig innsats overfor barn og unge i skolen og i kommune {n}" for n in range(12)),
    "one paragraph a line": "\n".join(
        ("Informanten forteller at kommunen har bygget ut tilbudet. " * (n % 4 + 1)).strip()
        for n in range(12)),
    "short hard-wrapped note": (
        "Informanten forteller at kommunen har bygget ut tilbudet til personer med\n"
        "rusproblemer de siste årene, og at det nå er flere ansatte i rustjenesten. Det\n"
        "er likevel vanskelig å skaffe egnede boliger, og ventetiden er lang. Hun mener\n"
        "at samarbeidet med NAV er blitt bedre."),
    "dialogue": "\n".join(
        f"{who}: {line}" for who, line in [
            ("I", "Hvordan er samarbeidet med spesialisthelsetjenesten nå?"),
            ("R", "Det er bedre enn før, vi har faste møter med DPS hver måned og ringer "
                  "hverandre når det trengs."),
            ("I", "Og boligsituasjonen?"),
            ("R", "Den er vanskelig."),
        ] * 3),
}


@pytest.mark.parametrize("text", NOT_WRAPPED.values(), ids=NOT_WRAPPED.keys())
def test_notes_that_are_not_hard_wrapped(text: str, tmp_path: Path) -> None:
    assert reflow_hard_wrapped(text) is None
    extracted = extract(write(tmp_path, "notat.txt", text))
    assert extracted.text == normalise_text(text)
    assert extracted.repairs == ()


def test_markdown_is_not_reflowed(tmp_path: Path) -> None:
    text = HARD_WRAPPED.read_text(encoding="utf-8")
    extracted = extract(write(tmp_path, "rapport.md", text))
    assert extracted.text == strip_markdown_headings(normalise_text(text))
    assert extracted.repairs == ()


def hard_wrapped_note(lines: int) -> str:
    sentence = ("Informanten forteller at kommunen har bygget ut tilbudet til personer med "
                "rusproblemer, og at samarbeidet med NAV er bedre. ")
    words = (sentence * lines).split()
    out, line = [], ""
    for word in words:
        if len(line) + 1 + len(word) > 72:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(out[:lines])


def test_one_page_keeps_its_notes_at_the_bottom() -> None:
    text = hard_wrapped_note(20) + "\nbedre.1\n\n1 Kilde: intervju med lederen i 2019."
    rebuilt = reflow_hard_wrapped(text)
    assert rebuilt is not None
    assert rebuilt.text.endswith(f"{FOOTNOTE_HEADING}\n\n1 Kilde: intervju med lederen i 2019.")


def test_long_text_without_pages_leaves_numbered_lines() -> None:
    # Without page bottoms a numbered line in the second half is no footnote: moving it
    # would move all the text after it.
    text = (hard_wrapped_note(50) + "\nbedre.1\n\n1 Kilde: intervju med lederen i 2019.\n\n"
            + hard_wrapped_note(30))
    rebuilt = reflow_hard_wrapped(text)
    assert rebuilt is not None and rebuilt.footnotes == 0
    assert FOOTNOTE_HEADING not in rebuilt.text
    assert "\n\n1 Kilde: intervju med lederen i 2019.\n\nInformanten" in rebuilt.text


# --- running headers and footers ------------------------------------------------------


PLACES = ["Oslo", "Sagene", "Trondheim", "Horten", "Karmøy", "Tromsø", "Bodø", "Molde",
          "Hamar"]


def facing_pages(count: int) -> list[str]:
    """Pages with the series atop the left pages, the title atop the right ones."""
    return [f"{'Et tjenesteområde i utvikling' if n % 2 else 'Fafo-rapport 2019:33'}\n"
            f"I {place} har kommunen bygget ut tilbudet til personer med rusproblemer\n"
            f"og deres pårørende, og samarbeidet med {place} DPS er blitt bedre.\n{n}"
            for n, place in enumerate(PLACES[:count], 1)]


@pytest.mark.parametrize("count", range(4, 10))
def test_alternating_running_headers_go_whatever_the_page_count(count: int) -> None:
    rebuilt = rebuild_pdf_layout(facing_pages(count))
    assert "Fafo-rapport" not in rebuilt.text
    assert "Et tjenesteområde" not in rebuilt.text
    assert rebuilt.header_lines == count and rebuilt.footer_lines == count


def test_alternating_running_headers_in_a_pdf(tmp_path: Path) -> None:
    from tests.core.test_formats import make_pdf

    pages = [[(72, 800 - 14 * i, 11, line) for i, line in enumerate(page.split("\n"))]
             for page in facing_pages(5)]
    path = tmp_path / "rapport.pdf"
    path.write_bytes(make_pdf(pages))
    extracted = extract(path)
    assert "Fafo-rapport" not in extracted.text
    assert "Et tjenesteområde" not in extracted.text
    assert extracted.repairs == ("rebuilt PDF layout: 20 lines into 1 paragraph, "
                                 "5 header lines dropped, 5 footer lines dropped",)


def test_a_single_running_line_is_not_furniture() -> None:
    # Three pages: a line on one page alone cannot be told from its first line.
    text = rebuild_pdf_text(facing_pages(3))
    assert "Fafo-rapport" in text
    assert "Et tjenesteområde" not in text


def test_footers_are_page_numbers_that_keep_a_page_length() -> None:
    from kasus.importing.normalise import _footer_lines

    page = ["tekst"] * 40
    footers = [*page, "Fafo-rapport 2019:33 12", *page, "Fafo-rapport 2019:33 13",
               *page, "Fafo-rapport 2019:33 14", *page]
    assert _footer_lines(footers) == {40, 81, 122}
    # Numbered items or table rows grow too, but not with the lines between them.
    rows = ["33 Andel kommuner som svarer", *page[:3], "34 Andel kommuner som svarer",
            *page, "45 Andel kommuner som svarer", *page[:12], "46 Andel kommuner som svarer"]
    assert _footer_lines(rows) == set()
    # Two are chance; three are a layout.
    assert _footer_lines(footers[:82]) == set()


# --- line joins -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("Tjenestene i kommu\u00ad\nnene er bedre.", "Tjenestene i kommunene er bedre."),
        ("De 77 «regjeringen vil»-\npunktene er ulike.",
         "De 77 «regjeringen vil»-punktene er ulike."),
        ("Se BrukerPlan-\ndataene og KoRus-\nsenteret.",
         "Se BrukerPlan-dataene og KoRus-senteret."),
        # The text spells it with a hyphen where no line breaks it.
        ("Oslo-standarden for bolig er ny. Den nye Oslo-\nstandarden er bra.",
         "Oslo-standarden for bolig er ny. Den nye Oslo-standarden er bra."),
        ("Vi har tre mål:\n1 Sikre reell brukerinnflytelse i tjenestene.\n"
         "2 Sikre tidlig innsats i alle kommuner og bydeler.",
         "Vi har tre mål:\n\n1 Sikre reell brukerinnflytelse i tjenestene.\n\n"
         "2 Sikre tidlig innsats i alle kommuner og bydeler."),
        ("Har planen ført til at personer som er i ferd med eller har\n\n"
         "utviklet rusmiddelproblemer, fått et bedre tilbud?",
         "Har planen ført til at personer som er i ferd med eller har utviklet "
         "rusmiddelproblemer, fått et bedre tilbud?"),
    ],
    ids=["soft hyphen", "after a quote", "inner capitals", "spelled so elsewhere",
         "numbered items", "across a stray blank line"],
)
def test_line_joins(page: str, expected: str) -> None:
    assert rebuild_pdf_text([page]) == expected


def test_repairs_are_counted_and_described() -> None:
    rebuilt = rebuild_pdf_layout(["Tjenestene i kommu-\nnene og Sør-\nTrøndelag er bra.1\n"
                                  "1 Kilde: SSB.\n12"])
    assert (rebuilt.hyphenations, rebuilt.footnotes, rebuilt.footer_lines) == (2, 1, 1)
    assert rebuilt.describe() == ("5 lines into 1 paragraph, 2 hyphenations joined, "
                                  "1 footer line dropped, 1 footnote moved to the end")
