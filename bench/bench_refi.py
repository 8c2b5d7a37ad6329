"""REFI-QDA speed: export the demo project (two coders' codings) as .qdpx and import it into
a new project, timed once each in one run, beside the floor of the same run: zipping the
same texts with no XML at all.

Run: .venv/bin/python bench/bench_refi.py
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kasus.demo import build_demo
from kasus.project import init_project
from kasus.refi.export import export_refi
from kasus.refi.load import import_refi
from kasus.store import open_project


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build_demo(folder / "demo.db")
        db = open_project(folder / "demo.db")
        codings = db.execute("SELECT count(*) FROM codings WHERE removed_at IS NULL").fetchone()[0]
        texts = [row[0] for row in db.execute("SELECT text FROM documents")]
        began = time.perf_counter()
        with zipfile.ZipFile(folder / "floor.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for number, text in enumerate(texts):
                archive.writestr(f"sources/{number}.txt", text.encode("utf-8"))
        floor = time.perf_counter() - began
        began = time.perf_counter()
        report = export_refi(db, "qdpx", folder / "demo.qdpx")
        exported = time.perf_counter() - began
        db.close()
        target = init_project(folder / "new.db", actor="bench")
        began = time.perf_counter()
        imported = import_refi(target, folder / "demo.qdpx", "bench")
        loaded = time.perf_counter() - began
        target.close()
    print(f"demo project: {len(texts)} notes, {codings} codings, "
          f"{report.counts['codes']} codes")
    print(f"zip the texts alone (floor)   {floor * 1000:7.0f} ms")
    print(f"export .qdpx (validated)      {exported * 1000:7.0f} ms  "
          f"({exported / floor:.0f}× the floor)")
    print(f"import into a new project     {loaded * 1000:7.0f} ms  "
          f"({loaded / floor:.0f}× the floor; {imported.codings_added} codings, "
          "segmenting included)")


if __name__ == "__main__":
    main()
