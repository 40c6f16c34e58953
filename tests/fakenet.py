"""A fake network for tests: nothing leaves the machine, not even a DNS query.

Names resolve from a table (one answer per lookup, so a test can make a resolver answer
differently the second time); connections to loopback go through, connections to other
addresses are routed to local servers when a test says so and refused otherwise. It
replaces ``socket.getaddrinfo`` and ``socket.create_connection`` process-wide, so it
covers whatever library does the resolving and connecting.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import Any

_REAL_GETADDRINFO = socket.getaddrinfo
_REAL_CREATE_CONNECTION = socket.create_connection


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


class FakeNetwork:
    """The network as the process sees it while a test runs (see the module docstring)."""

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {"localhost": ["127.0.0.1"]}
        self.routes: dict[tuple[str, int], tuple[str, int]] = {}
        self.lookups: list[str] = []
        self.dialed: list[tuple[str, int]] = []

    def getaddrinfo(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> list:
        host = host.decode() if isinstance(host, bytes) else str(host)
        if _is_ip(host):  # numeric: no query is sent
            return _REAL_GETADDRINFO(host, port, *args, **kwargs)
        self.lookups.append(host)
        answers = self.names.get(host)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        port = int(port or 0)
        if ":" in address:
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def create_connection(self, address: tuple, *args: Any, **kwargs: Any) -> socket.socket:
        host, port = str(address[0]), int(address[1])
        if not _is_ip(host):  # as the real one does: resolve, then dial the first answer
            host = str(self.getaddrinfo(host, port)[0][4][0])
        self.dialed.append((host, port))
        target = self.routes.get((host, port))
        if target is None and _is_ip(host) and ipaddress.ip_address(host).is_loopback:
            target = (host, port)
        if target is None:
            raise ConnectionRefusedError(errno.ECONNREFUSED, f"fake network: {host} is outside")
        return _REAL_CREATE_CONNECTION(target, *args, **kwargs)

    def install(self, monkeypatch: Any) -> FakeNetwork:
        monkeypatch.setattr(socket, "getaddrinfo", self.getaddrinfo)
        monkeypatch.setattr(socket, "create_connection", self.create_connection)
        return self
