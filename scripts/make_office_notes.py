"""Turn some Markdown demo notes into .docx and .odt so the demo exercises those readers.

Usage: python scripts/make_office_notes.py corpus/horten/horten-04-spesialisthelsetjeneste.md …
Each NOTE.md becomes NOTE.docx (or NOTE.odt with --odt) plus a metadata sidecar NOTE.docx.yaml
holding the front matter; the Markdown file is removed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from docx import Document
from odf.opendocument import OpenDocumentText
from odf.text import H, P


def split_note(path: Path) -> tuple[dict[str, object], list[tuple[str, str]]]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    blocks: list[tuple[str, str]] = []
    for block in body.strip().split("\n\n"):
        block = block.strip()
        if block.startswith("#"):
            blocks.append(("heading", block.lstrip("#").strip()))
        elif block:
            blocks.append(("paragraph", " ".join(block.split("\n"))))
    return yaml.safe_load(front), blocks


def write_docx(target: Path, title: str, blocks: list[tuple[str, str]]) -> None:
    document = Document()
    document.core_properties.title = title
    for kind, text in blocks:
        if kind == "heading":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    document.save(str(target))


def write_odt(target: Path, blocks: list[tuple[str, str]]) -> None:
    document = OpenDocumentText()
    for kind, text in blocks:
        element = H(outlinelevel=2, text=text) if kind == "heading" else P(text=text)
        document.text.addElement(element)
    document.save(str(target))


def convert(path: Path, as_odt: bool) -> Path:
    metadata, blocks = split_note(path)
    target = path.with_suffix(".odt" if as_odt else ".docx")
    if as_odt:
        write_odt(target, blocks)
    else:
        write_docx(target, str(metadata.get("informant", "")), blocks)
    sidecar = target.with_name(target.name + ".yaml")
    sidecar.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False),
                       encoding="utf-8")
    path.unlink()
    return target


if __name__ == "__main__":
    as_odt = "--odt" in sys.argv
    for argument in sys.argv[1:]:
        if argument != "--odt":
            print(convert(Path(argument), as_odt))
