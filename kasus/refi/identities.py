"""GUIDs for what REFI-QDA names and kasus stores without one: cases, variables, selections."""

from __future__ import annotations

import uuid

from kasus.store.schema import KASUS_NAMESPACE


def derived_guid(project: str, kind: str, key: str) -> str:
    """The same GUID on every export of this project: tools that merge by GUID (ATLAS.ti,
    kasus) then see the same case or selection, not a copy of it."""
    return str(uuid.uuid5(KASUS_NAMESPACE, f"{project}:{kind}:{key}"))
