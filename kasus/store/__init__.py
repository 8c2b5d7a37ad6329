"""The project store: one SQLite file per project."""

from kasus.paths import DEFAULT_PROJECT
from kasus.store.connect import (
    create_project,
    data_version,
    network_filesystem,
    network_warning,
    open_project,
    open_warnings,
    transaction,
)

__all__ = [
    "DEFAULT_PROJECT",
    "create_project",
    "data_version",
    "network_filesystem",
    "network_warning",
    "open_project",
    "open_warnings",
    "transaction",
]
