"""An httpx transport that dials only checked addresses, within one deadline for a fetch.

``fetch_url`` resolves a host once, checks the addresses, and pins them here: the
connection goes to exactly those addresses (never to whatever a second lookup answers),
while the request keeps the host name for the Host header, TLS SNI and the certificate
check. Every connect, handshake, read and write gets only what is left of the fetch's
deadline, so a server that trickles bytes cannot hold a fetch past it.
"""

from __future__ import annotations

import time
from typing import Any

import httpcore
import httpx

__all__ = ["Deadline", "PinnedBackend", "pinned_transport"]


class Deadline:
    """One time limit for a whole fetch; each network operation gets what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self, timeout: float | None, error: type[Exception]) -> float:
        """Seconds left (at most ``timeout``); raise ``error`` when none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise error(f"the fetch took longer than {self.seconds:g} s")
        return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = self._deadline.left(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, left), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Dials only the addresses pinned for a host, in order, until one answers."""

    def __init__(self, deadline: Deadline) -> None:
        self._deadline = deadline
        self._backend = httpcore.SyncBackend()
        self._pins: dict[str, list[str]] = {}

    def pin(self, url: str, addresses: list[str]) -> None:
        """Connections to ``url``'s host go to ``addresses`` and nowhere else."""
        self._pins[_host_key(url)] = list(addresses)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get(host.lower())
        if not addresses:  # fetch_url pins every hop before requesting it
            raise httpcore.ConnectError(f"host '{host}' was not checked; not connecting")
        error: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                stream = self._backend.connect_tcp(
                    address,
                    port,
                    timeout=self._deadline.left(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return DeadlineStream(stream, self._deadline)
        assert error is not None
        raise error

    def connect_unix_socket(self, path: str, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("fetching over a unix socket is not supported")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _host_key(url: str) -> str:
    """The host as httpcore names it when connecting (IDNA-encoded, no IPv6 brackets)."""
    return httpx.URL(url).raw_host.decode("ascii").lower()


def pinned_transport(backend: PinnedBackend) -> httpx.HTTPTransport:
    """httpx's own transport, its connection pool swapped for one that dials via ``backend``.

    httpx has no public switch for the network backend; if its internals change, this
    refuses to work rather than fetch unpinned.
    """
    transport = httpx.HTTPTransport(trust_env=False)
    if not isinstance(getattr(transport, "_pool", None), httpcore.ConnectionPool):
        raise RuntimeError("httpx.HTTPTransport has no connection pool to pin addresses in")
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),  # certifi (or SSL_CERT_FILE), host name checked
        network_backend=backend,
    )
    return transport
