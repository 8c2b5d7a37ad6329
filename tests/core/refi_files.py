"""REFI-QDA files as other tools write them, built in tests from what the spec and the
qda-landscape notes (§3.5) describe: qc/QualCoder paths, NVivo's empty .txt beside a .docx,
MAXQDA's nested codebook and mixed sources, ATLAS.ti's cut-short quotes, an empty project."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx

NS = 'xmlns="urn:QDA-XML:project:1.0"'
USER = "0b9ad3a4-1c2d-4e5f-8a9b-000000000001"
CODE_BOLIG = "c0de0000-0000-4000-8000-000000000001"
CODE_BOLIG_SOSIAL = "c0de0000-0000-4000-8000-000000000002"
CASE = "ca5e0000-0000-4000-8000-000000000001"
SOURCE = "50c00000-0000-4000-8000-000000000001"

NOTE_TEXT = ("Kommunen har fått flere boliger til personer med rusproblemer.\r\n"
             "Boligsosialt arbeid er styrket med egne ansatte.\r\n"
             "Ventetiden på kommunal bolig er fortsatt lang.")


def qdpx(path: Path, project: str, files: dict[str, bytes] | None = None,
         qde_name: str = "project.qde") -> Path:
    """A .qdpx zip with one project XML and the given members (name -> bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, project.encode("utf-8"))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def qualcoder_style(folder: Path) -> Path:
    """QualCoder/qc: plainTextPath without internal://, a 'Sources' folder, 'Project.qde',
    the .txt written with a BOM and CRLF, a code without colour, an empty <Sets/>."""
    quote = "Boligsosialt arbeid er styrket"
    start, end = _span(NOTE_TEXT, quote)  # counted over the file as written: CRLF is two
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project {NS} name="qc prosjekt" origin="QualCoder 3.5">
  <Users><User guid="{USER}" name="kari"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE_BOLIG}" name="Bolig" isCodable="true" color="#F00">
      <Description>Alt om bolig</Description>
      <Code guid="{CODE_BOLIG_SOSIAL}" name="Boligsosialt arbeid" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Cases><Case guid="{CASE}" name="Karmøy"><SourceRef targetGUID="{SOURCE}"/></Case></Cases>
  <Sources>
    <TextSource guid="{SOURCE}" name="karmoy-intervju" plainTextPath="{SOURCE}.txt">
      <PlainTextSelection guid="5e1e0000-0000-4000-8000-000000000001" startPosition="{start}"
          endPosition="{end}" creatingUser="{USER}" creationDateTime="2020-03-01T10:00:00Z">
        <Coding guid="c0d10000-0000-4000-8000-000000000001" creatingUser="{USER}">
          <CodeRef targetGUID="{CODE_BOLIG_SOSIAL}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Sets/>
</Project>"""
    files = {f"Sources/{SOURCE}.txt": "\ufeff".encode() + NOTE_TEXT.encode("utf-8")}
    return qdpx(folder / "qualcoder.qdpx", project, files, qde_name="Project.qde")


def nvivo_style(folder: Path) -> tuple[Path, list[str]]:
    """NVivo: a one-byte .txt, the text in the .docx named by richTextPath; positions over
    the paragraphs one per line. Returns the file and the quotes it codes."""
    paragraphs = ["Intervju med NAV-leder i Tromsø.",
                  "NAV samarbeider tett med rustjenesten om bolig og arbeid.",
                  "Ettervernet er fortsatt svakt etter utskriving fra døgnbehandling."]
    plain = "\n".join(paragraphs)
    quotes = ["NAV samarbeider tett med rustjenesten", "Ettervernet er fortsatt svakt"]
    selections = ""
    for number, quote in enumerate(quotes, 1):
        start, end = _span(plain, quote)
        selections += f"""
      <PlainTextSelection guid="5e1e0000-0000-4000-8000-00000000010{number}"
          startPosition="{start}" endPosition="{end}" creatingUser="{USER}">
        <Coding guid="c0d10000-0000-4000-8000-00000000010{number}" creatingUser="{USER}">
          <CodeRef targetGUID="{CODE_BOLIG}"/>
        </Coding>
      </PlainTextSelection>"""
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project {NS} name="NVivo-prosjekt" origin="NVivo 14">
  <Users><User guid="{USER}" name="Ola Nordmann"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE_BOLIG}" name="Samarbeid NAV" isCodable="true" color="#00AA00"/>
  </Codes></CodeBook>
  <Cases><Case guid="{CASE}" name="Tromsø"><SourceRef targetGUID="{SOURCE}"/></Case></Cases>
  <Sources>
    <TextSource guid="{SOURCE}" name="Tromsø NAV" plainTextPath="internal://{SOURCE}.txt"
        richTextPath="internal://{SOURCE}.docx">{selections}
    </TextSource>
  </Sources>
</Project>"""
    files = {f"sources/{SOURCE}.txt": b" ", f"sources/{SOURCE}.docx": docx_bytes(paragraphs)}
    return qdpx(folder / "nvivo.qdpx", project, files), quotes


def maxqda_style(folder: Path, depth: int = 5) -> Path:
    """MAXQDA: codes nested `depth` deep with descriptions and colours, text in
    PlainTextContent with CRLF, a PDF with a text representation and a region selection,
    an audio source, a set and a graph (the last three kasus cannot take)."""
    codes = ""
    for level in range(depth, 0, -1):
        inner = codes
        codes = (f'<Code guid="c0de0000-0000-4000-8000-0000000002{level:02d}" '
                 f'name="Nivå {level}" isCodable="{"true" if level > 1 else "false"}" '
                 f'color="#1{level}2{level}3{level}"><Description>Beskrivelse på nivå {level} '
                 f'&amp; mer</Description>{inner}</Code>')
    deepest = f"c0de0000-0000-4000-8000-0000000002{depth:02d}"
    text = "Første linje om pakkeforløp.\r\nAndre linje om ROP-lidelser og samhandling."
    start, end = _span(text, "ROP-lidelser og samhandling")
    pdf_text = "Rapporten viser økt bruk av individuell plan."
    p_start, p_end = _span(pdf_text, "individuell plan")
    project = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project {NS} name="MAXQDA 2022" origin="MAXQDA 2022">
  <CodeBook><Codes>{codes}</Codes></CodeBook>
  <Sources>
    <TextSource guid="{SOURCE}" name="Trondheim leder">
      <PlainTextContent>{text.replace(chr(13), "&#13;")}</PlainTextContent>
      <PlainTextSelection guid="5e1e0000-0000-4000-8000-000000000201" startPosition="{start}"
          endPosition="{end}">
        <Coding guid="c0d10000-0000-4000-8000-000000000201">
          <CodeRef targetGUID="{deepest}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="50c00000-0000-4000-8000-000000000202" name="Rapport" path="internal://r.pdf">
      <PDFSelection guid="5e1e0000-0000-4000-8000-000000000203" page="1" firstX="1" firstY="2"
          secondX="3" secondY="4"/>
      <Representation guid="50c00000-0000-4000-8000-000000000203" name="Rapport (tekst)">
        <PlainTextContent>{pdf_text}</PlainTextContent>
        <PlainTextSelection guid="5e1e0000-0000-4000-8000-000000000204"
            startPosition="{p_start}" endPosition="{p_end}">
          <Coding guid="c0d10000-0000-4000-8000-000000000204">
            <CodeRef targetGUID="{deepest}"/></Coding>
        </PlainTextSelection>
      </Representation>
    </PDFSource>
    <AudioSource guid="50c00000-0000-4000-8000-000000000205" name="Opptak"
        path="internal://a.m4a"/>
  </Sources>
  <Sets><Set guid="5e700000-0000-4000-8000-000000000001" name="Utvalg"/></Sets>
  <Graphs><Graph guid="9a000000-0000-4000-8000-000000000001" name="Kart"/></Graphs>
</Project>"""
    return qdpx(folder / "maxqda.qdpx", project, {"sources/a.m4a": b"\x00" * 100})


def atlas_style(folder: Path) -> tuple[Path, str]:
    """ATLAS.ti: '<name>.qde', CRLF counted as one character, the quote in the selection's
    name cut short with an ellipsis. Returns the file and the full quote."""
    text = NOTE_TEXT.replace("\r\n", "\n")
    quote = "Ventetiden på kommunal bolig er fortsatt lang."
    start, end = _span(text, quote)  # over LF text: ATLAS.ti counts CRLF as one
    project = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project {NS} name="Atlas" origin="ATLAS.ti 23">
  <Users><User guid="{USER}" name="atlas-bruker"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE_BOLIG}" name="bolig" isCodable="true" color="#FF000080"/>
  </Codes></CodeBook>
  <Cases><Case guid="{CASE}" name="Horten"><SourceRef targetGUID="{SOURCE}"/></Case></Cases>
  <Sources>
    <TextSource guid="{SOURCE}" name="Horten" plainTextPath="internal://{SOURCE}.txt">
      <PlainTextSelection guid="5e1e0000-0000-4000-8000-000000000301" name="Ventetiden på kom…"
          startPosition="{start}" endPosition="{end}" creatingUser="{USER}">
        <Coding guid="c0d10000-0000-4000-8000-000000000301" creatingUser="{USER}">
          <CodeRef targetGUID="{CODE_BOLIG}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""
    files = {f"sources/{SOURCE}.txt": NOTE_TEXT.encode("utf-8")}
    return qdpx(folder / "atlas.qdpx", project, files, qde_name="Atlas.qde"), quote


def empty_project(folder: Path) -> Path:
    return qdpx(folder / "empty.qdpx", f'<?xml version="1.0"?><Project {NS} name="tom"/>')
