"""The README's CLI tour, run as written from top to bottom in a fresh checkout-like folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kasus.paths import CHECKOUT

# These two open the TUI and wait for a person; the pilot tests drive the TUI instead.
INTERACTIVE = ("kasus open", "kasus demo")


def tour_script() -> list[str]:
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A short tour of the CLI"):]
    block = section[section.index("```sh\n") + 6:]
    lines = block[:block.index("```")].splitlines()
    return [line for line in lines if not line.startswith(INTERACTIVE)]


def test_the_readme_tour_runs_as_written(tmp_path: Path) -> None:
    (tmp_path / "corpus").symlink_to(CHECKOUT / "corpus")
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    (tmp_path / "demo").mkdir()
    (tmp_path / "exports").mkdir()
    script = "set -euo pipefail\n" + "\n".join(tour_script()) + "\n"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("KASUS_")}
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "recode" in result.stdout and "project is sound" in result.stdout
    assert (tmp_path / "exports" / "review.xlsx").exists()
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()
                  if not p.name.endswith(("-wal", "-shm"))) == [
        "kari.db", "partner.db", "study-backup.db", "study.db"]
    # The REFI-QDA round trip of the tour: the partner project got every coding.
    assert "codings added" in result.stdout and "documents added" in result.stdout
