"""kasus: terminal-first qualitative case-study coding."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

__version__ = "0.1.0"


class _SqliteUtilsWithoutNumpy(importlib.abc.MetaPathFinder):
    """Load sqlite_utils.db with numpy and pandas hidden, unless they are loaded already.

    sqlite-utils imports both at import time only to map their scalar types to column types;
    kasus stores none, and numpy alone costs every command ~70 ms before it does anything.
    Once sqlite_utils.db has loaded, numpy imports as usual (spaCy and matplotlib need it)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "sqlite_utils.db":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = spec.loader if spec is not None else None
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        load = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
            for name in hidden:
                sys.modules[name] = None  # type: ignore[assignment]  # import fails at once
            try:
                load(module)
            finally:
                for name in hidden:
                    if sys.modules.get(name) is None:
                        del sys.modules[name]

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


sys.meta_path.insert(0, _SqliteUtilsWithoutNumpy())
