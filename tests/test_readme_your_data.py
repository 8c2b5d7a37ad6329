"""Every test the README's "Your data" section names exists, so each promise has its proof."""

from __future__ import annotations

import re

from kasus.paths import CHECKOUT

REFERENCE = re.compile(r"`((?:tests/[\w/]+\.py)?)::(\w+)`")


def named_tests() -> list[tuple[str, str]]:
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Your data"):]
    section = section[:section.find("\n## ", 1)] if "\n## " in section[1:] else section
    found, current = [], ""
    for path, name in REFERENCE.findall(section):
        current = path or current  # `::name` is another test in the file named before it
        found.append((current, name))
    return found


def test_every_promise_names_tests_that_exist() -> None:
    named = named_tests()
    assert len(named) >= 20
    missing = [f"{path}::{name}" for path, name in named
               if not re.search(rf"^(async )?def {name}\(",
                                (CHECKOUT / path).read_text(encoding="utf-8"), re.MULTILINE)]
    assert missing == []
