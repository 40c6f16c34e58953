"""How ``propscope serve`` runs uvicorn: deadlines for slow clients and a bounded log.

uvicorn's defaults hold a connection for ever while its request headers (or its body) trickle
in: about a thousand such connections used up the process's file descriptors and locked
everyone out, and asyncio then logged a traceback for every failed ``accept()`` (470,000 in a
minute). :func:`uvicorn_options` gives the server a deadline for a request's headers and for
its body (then 408 and the connection closed), and a cap on connections (then 503);
:class:`AcceptErrorLog` says once per interval that connections cannot be accepted.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = [
    "DEFAULT_BODY_TIMEOUT_S",
    "DEFAULT_HEADER_TIMEOUT_S",
    "DEFAULT_MAX_CONNECTIONS",
    "AcceptErrorLog",
    "DeadlineH11Protocol",
    "uvicorn_options",
]

# A browser sends a request's headers in one packet: 10 s is generous on any network.
DEFAULT_HEADER_TIMEOUT_S = 10.0
# The largest request (6 MB) at 100 KB/s; a slower client can be given more (--body-timeout).
DEFAULT_BODY_TIMEOUT_S = 60.0
# Connections open at once before new requests get 503; 0 (the default) sets no cap: uvicorn
# counts idle connections too, so a cap of N lets N silent sockets, reopened every header
# deadline, lock everyone else out (without one, only running out of file descriptors does)
DEFAULT_MAX_CONNECTIONS = 0
# How often a server out of file descriptors says so.
ACCEPT_ERROR_INTERVAL_S = 10.0

logger = logging.getLogger("propscope.web")
_TIMEOUT_BODY = b"the request did not arrive in time; send it again\n"
_REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(_TIMEOUT_BODY), _TIMEOUT_BODY)
)


def uvicorn_options(
    *,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT_S,
    body_timeout: float = DEFAULT_BODY_TIMEOUT_S,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run``/``uvicorn.Config``: the h11 protocol with these
    deadlines (seconds) and ``limit_concurrency`` (503 beyond ``max_connections``; none for
    0)."""
    protocol = type(
        "DeadlineH11Protocol",
        (DeadlineH11Protocol,),
        {"header_timeout": float(header_timeout), "body_timeout": float(body_timeout)},
    )
    return {"http": protocol, "limit_concurrency": max_connections or None}


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection that is too slow to send its request.

    The headers of each request must arrive within ``header_timeout`` seconds of the
    connection being made, or of the first byte of a later request on a kept-alive
    connection (an idle one is closed by uvicorn's keep-alive timeout); then its body within
    ``body_timeout`` seconds. A late request is answered 408 (unless its answer has begun)
    and the connection is closed; one that sent nothing is just closed. The deadlines follow
    h11's state of the client (``their_state``) after each batch of events. The first
    connection also gives the server's loop an :class:`AcceptErrorLog`.
    """

    header_timeout: float = DEFAULT_HEADER_TIMEOUT_S
    body_timeout: float = DEFAULT_BODY_TIMEOUT_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if self.loop.get_exception_handler() is None:  # the server's loop, once
            self.loop.set_exception_handler(AcceptErrorLog())
        super().connection_made(transport)
        self._header_timer = self.loop.call_later(self.header_timeout, self._late, "headers")

    def data_received(self, data: bytes) -> None:
        # the first bytes of a next request on a kept-alive connection: its headers' clock
        if self._header_timer is None and self.conn.their_state is h11.IDLE:
            self._header_timer = self.loop.call_later(self.header_timeout, self._late, "headers")
        super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        state = self.conn.their_state
        if state is not h11.IDLE:  # the headers are in (or the connection is over)
            self._header_timer = _cancelled(self._header_timer)
        if state is h11.SEND_BODY:
            if self._body_timer is None:
                self._body_timer = self.loop.call_later(self.body_timeout, self._late, "body")
        else:
            self._body_timer = _cancelled(self._body_timer)

    def connection_lost(self, exc: Exception | None) -> None:
        self._header_timer = _cancelled(self._header_timer)
        self._body_timer = _cancelled(self._body_timer)
        super().connection_lost(exc)

    def _late(self, part: str) -> None:
        """The deadline of ``part`` ("headers" or "body") passed: close, unless it came."""
        if part == "headers":
            self._header_timer, waiting = None, h11.IDLE
        else:
            self._body_timer, waiting = None, h11.SEND_BODY
        if self.transport.is_closing() or self.conn.their_state is not waiting:
            return
        if part == "headers":  # a client that sent nothing (a browser's spare one): no answer
            answer = bool(self.conn.trailing_data[0])
        else:  # the app may have answered already (a 401 before reading the body)
            answer = self.cycle is None or not self.cycle.response_started
        if answer:
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()


def _cancelled(timer: asyncio.TimerHandle | None) -> None:
    if timer is not None:
        timer.cancel()
    return None


class AcceptErrorLog:
    """An asyncio exception handler that says "cannot accept connections" once per
    ``interval`` seconds, with how many failed since, instead of a traceback per failure.

    Out of file descriptors, asyncio's accept loop fails and logs up to uvicorn's backlog
    (2,048) times per attempt; everything else goes to the loop's default handler.
    """

    def __init__(self, interval: float = ACCEPT_ERROR_INTERVAL_S) -> None:
        self.interval = interval
        self._said_at = -math.inf
        self._unsaid = 0

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if not (isinstance(exc, OSError) and "accept()" in str(context.get("message", ""))):
            loop.default_exception_handler(context)
            return
        now = loop.time()
        if now - self._said_at < self.interval:
            self._unsaid += 1
            return
        since = f" ({self._unsaid:,} more since)" if self._unsaid else ""
        logger.error(
            "cannot accept connections: %s%s; slow ones are closed at their deadlines "
            "(--header-timeout, --body-timeout); raise the limit of open files (ulimit -n)",
            (exc.strerror or str(exc)).lower(),
            since,
        )
        self._said_at, self._unsaid = now, 0
