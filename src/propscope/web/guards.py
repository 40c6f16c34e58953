"""Who may talk to the server: the Host check (DNS rebinding) and the Origin check (CSRF).

A browser sends ``Origin`` with every cross-site POST and DELETE, and ``Host`` names the site it
believes it is talking to. A page elsewhere can therefore neither post to this server (its
Origin is not ours) nor rebind a name of its own to 127.0.0.1 (its Host is not one we answer
to). Scripts and the CLI send no Origin and are judged by the API key alone.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = [
    "LOOPBACK_HOSTS",
    "HostCheck",
    "allowed_hosts_for",
    "host_name",
    "key_is_valid",
    "origin_is_trusted",
    "request_host",
]

# Names of this machine a browser on it may use; the bound address is added at start-up.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
_ANY_ADDRESS = ("0.0.0.0", "::", "[::]", "")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def host_name(value: str) -> str:
    """The name part of a Host header or an address, lower case, IPv6 in brackets.

    ``"Example.org:8000"`` -> ``"example.org"``, ``"[::1]:8000"`` -> ``"[::1]"``,
    ``"::1"`` -> ``"[::1]"`` (a bare IPv6 address, as given to ``--host``).
    """
    value = value.strip().lower().rstrip(".")
    if value.startswith("["):
        end = value.find("]")
        return value[: end + 1] if end > 0 else value
    if value.count(":") > 1:  # a bare IPv6 address has no port part
        return f"[{value}]"
    return value.split(":", 1)[0]


# A Host header as RFC 9110 has it: a name or IPv4 address, or an IPv6 address in brackets,
# then at most a port. "127.0.0.1:8000@evil.com" or "[::1]evil.com" are not hosts at all, and
# their first part must not be taken for the whole (the Host check compares it).
# (an empty port is allowed: RFC 9110's port is *DIGIT)
_HOST_HEADER = re.compile(
    r"(?P<host>[a-z0-9](?:[a-z0-9_.-]*[a-z0-9_-])?\.?|\[[0-9a-f:.]+\])(?::[0-9]{0,5})?"
)


def request_host(value: str) -> str | None:
    """The host of a ``Host`` header as :func:`host_name` gives it, or None when the header
    is not ``host``, ``[ipv6]`` or either with ``:port`` (digits), and nothing else.

    ``"127.0.0.1:8000"`` -> ``"127.0.0.1"``; ``"127.0.0.1:8000@evil.com"``,
    ``"[::1]evil.com"``, ``"a b"``, ``""`` -> None.
    """
    match = _HOST_HEADER.fullmatch(value.strip(" \t").lower())
    return None if match is None else host_name(match["host"])


def allowed_hosts_for(bind_host: str | None, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host names to answer: loopback names, the bound address, and ``extra``.

    ``*`` in ``extra`` turns the check off (behind a proxy that checks Host itself).
    """
    names = set(LOOPBACK_HOSTS)
    if bind_host and bind_host.strip() not in _ANY_ADDRESS:
        names.add(host_name(bind_host))
    for name in extra:
        names.add("*" if name.strip() == "*" else host_name(name))
    return frozenset(names)


class HostCheck:
    """400 (JSON) for a request whose Host header is not one of ``allowed``.

    ``cors_origins`` (the browser extension's) may read that 400: it carries
    ``Access-Control-Allow-Origin`` for them, and their CORS preflight goes on to the CORS
    middleware, which answers it without reaching any route; the request itself is then
    refused here. Without that the extension saw a network error and blamed the wrong thing.
    """

    def __init__(
        self, app: ASGIApp, allowed: frozenset[str], cors_origins: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.allowed = allowed
        self.cors_origins = cors_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        raw = headers.get(b"host", b"").decode("latin-1")
        host = request_host(raw)
        if host is not None and host in self.allowed:
            await self.app(scope, receive, send)
            return
        origin = headers.get(b"origin", b"").decode("latin-1").strip()
        cors = scope["type"] == "http" and origin.rstrip("/") in self.cors_origins
        if cors and scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            await self.app(scope, receive, send)  # a preflight: CORSMiddleware answers it
            return
        shown = raw[:100].encode("ascii", "backslashreplace").decode()
        if not raw:
            detail = "the request has no Host header"
        elif host is None:
            detail = (
                f"the Host header '{shown}' is not a host name: give a name or address, or an "
                "IPv6 address in brackets, with at most a :port"
            )
        else:
            detail = (
                f"this server does not answer to the host name '{shown}'; its operator can "
                "allow it with --allowed-host"
            )
        body = json.dumps({"detail": detail}).encode()
        response_headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        if cors:
            response_headers += [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"vary", b"Origin"),
            ]
        await send({"type": "http.response.start", "status": 400, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})


def key_is_valid(configured: str | None, given: str | None) -> bool:
    """True only when a key is configured and ``given`` is it (constant-time comparison)."""
    if not configured or not given:
        return False
    return hmac.compare_digest(given.encode(), configured.encode())


def _origin_parts(value: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    return scheme, host_name(parts.hostname), port or _DEFAULT_PORTS.get(scheme)


def origin_is_trusted(request: Request, extra_origins: frozenset[str] = frozenset()) -> bool:
    """True for a request this server's own pages (or ``extra_origins``) could have sent.

    ``Origin: null`` (sandboxed frames, ``file:`` pages, some redirects) and any other site are
    refused; so is ``Sec-Fetch-Site: cross-site``/``same-site``. A request without either
    header does not come from a browser page and is left to the API key check.
    ``extra_origins`` are exact origins such as ``chrome-extension://ID``.
    """
    origin = request.headers.get("origin")
    if origin is not None and origin.strip().rstrip("/") in extra_origins:
        return True
    site = request.headers.get("sec-fetch-site")
    if site and site.strip().lower() not in ("same-origin", "none"):
        return False
    if origin is None:
        return True
    given = _origin_parts(origin)
    if given is None:  # "null" and anything unparsable
        return False
    scheme = request.url.scheme
    host = request.headers.get("host", "")
    expected = _origin_parts(f"{scheme}://{host}")
    return expected is not None and given == expected
