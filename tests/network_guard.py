"""A guard that records every attempt to reach the network: an audit hook on socket events."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_attempts: list[str] | None = None
_installed = False
# Connecting a local (AF_UNIX) socket is not the network; a name lookup or an inet connect is.
_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto",
           "socket.sendmsg", "socket.bind"}


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _attempts is None or event not in _EVENTS:
        return
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        sock = args[0]
        if getattr(sock, "family", None) == socket.AF_UNIX:
            return
    _attempts.append(f"{event}{args[1:]!r}")


@contextmanager
def network_attempts() -> Iterator[list[str]]:
    """Yield the list that collects network attempts made inside the block."""
    global _attempts, _installed
    if not _installed:  # an audit hook cannot be removed: install once, arm per block
        sys.addaudithook(_hook)
        _installed = True
    _attempts = []
    try:
        yield _attempts
    finally:
        _attempts = None
