"""The workbench's import into a pseudonymised project replaces names before storing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kasus.corpus.pseudonymise import pseudonymise_documents
from kasus.documents import get_document
from kasus.store import open_project
from tui.app import KasusApp

MakeApp = Callable[..., KasusApp]
pytestmark = pytest.mark.anyio


async def test_import_folder_into_a_pseudonymised_project(
        notes_project: Path, make_app: MakeApp, tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text("name,kind,aliases\nKari Nordmann,person,Kari\n", encoding="utf-8")
    db = open_project(notes_project)
    pseudonymise_documents(db, "tester", ["karmoy-01"], names)
    db.close()
    folder = tmp_path / "new-notes"
    folder.mkdir()
    (folder / "vadso-01.md").write_text(
        "---\nid: vadso-01\nsite: Vadsø\nrole: leder\n---\n"
        "Et fiktivt referat. Kari ringte fra 912 34 567 om bolig.\n", encoding="utf-8")
    app = make_app(notes_project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *str(folder), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    db = open_project(notes_project)
    text = get_document(db, "vadso-01").text
    db.close()
    assert text == "Et fiktivt referat. [PERSON-1] ringte fra [TLF-1] om bolig."
