"""A day's work through the real CLI entry point: every command that reads or writes note text.

Used in-process (file permissions, network guard) and as `python -m tests.scenario FOLDER` in
a process of its own (temp and cache files), so each check sees the same work.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kasus.cli import main

# A phrase found only in the notes: wherever it turns up, note text went there.
MARKER = "Gunnhild Fjellvangsætra"
NOTE = (f"---\nsite: Karmøy\nrole: leder\n---\nInformanten {MARKER} forteller om boliger.\n\n"
        "ROP-teamet samarbeider godt med DPS. Ventelistene for bolig er lange.\n")
EXPORTS = [("summary", "md"), ("summary", "html"), ("summary", "docx"), ("summary", "xlsx"),
           ("site", "md"), ("site", "docx"), ("matrix", "csv"), ("matrix", "xlsx"),
           ("codings", "csv"), ("codings", "xlsx")]


def run(*args: str) -> None:
    """One command; a non-zero exit is a failure of the scenario."""
    try:
        main(list(args))
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            raise RuntimeError(f"kasus {' '.join(args)} exited {exit_.code}") from None


def write_notes(folder: Path) -> Path:
    """A Markdown and a Word note, both holding the marker."""
    from docx import Document

    notes = folder / "notes"
    notes.mkdir()
    (notes / "leder.md").write_text(NOTE, encoding="utf-8")
    document = Document()
    document.add_paragraph(f"NAV-veilederen sier at {MARKER} fikk hjelp med arbeid.")
    document.add_paragraph("Det tar tid å få bolig.")
    document.save(str(notes / "nav.docx"))
    (notes / "nav.docx.yaml").write_text("site: Karmøy\nrole: nav\n", encoding="utf-8")
    return notes


def day_of_work(folder: Path) -> list[Path]:
    """Import, search, code, link, review, merge, back up and export; the files it asked for."""
    notes = write_notes(folder)
    project, other = folder / "study.db", folder / "bo.db"
    for path, coder in ((project, "anna"), (other, "bo")):
        run("--coder", coder, "init", str(path))
        run("--project", str(path), "--coder", coder, "import", str(notes))
        run("--project", str(path), "--coder", coder, "code", "karmoy-leder", "0", "60",
            "bolig", "--memo", f"om {MARKER}")
    p = ("--project", str(project))
    run(*p, "search", "bolig", "--lemma")
    run(*p, "search", MARKER.split()[0])
    run(*p, "--coder", "anna", "link", "1", "77", "--stance", "supports")
    run(*p, "--coder", "anna", "merge", str(other))
    asked = [folder / "backup.db"]
    run(*p, "backup", str(asked[0]))
    for kind, fmt in EXPORTS:
        out = folder / f"{kind}.{fmt}"
        extra = {"site": ("--site", "Karmøy"), "summary": ("--code", "bolig")}.get(kind, ())
        run(*p, "export", kind, "--format", fmt, *extra, "--out", str(out))
        asked.append(out)
    for fmt in ("md", "xlsx"):
        out = folder / f"review.{fmt}"
        run(*p, "review", "report", "--coders", "anna,bo", "--format", fmt, "--out", str(out))
        asked.append(out)
    run(*p, "export", "codings", "--format", "csv")  # into exports/ in the working folder
    run(*p, "check")
    return asked


if __name__ == "__main__":
    day_of_work(Path(sys.argv[1]))
