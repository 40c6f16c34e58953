"""The FastAPI application: settings, start-up (model and store), middleware and error pages.

``create_app()`` wires the parts; the routes live in :mod:`propscope.web.api` (JSON, versioned
under ``/api/v1``) and :mod:`propscope.web.pages` (server-rendered HTML). The model loads in a
background thread at start-up, so the server answers at once (503 "loading" until the model is
ready) and a failed load is reported by ``/healthz`` instead of killing the process.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from propscope import __version__
from propscope.errors import InputError, PropscopeError
from propscope.store import Store, StoreDamaged, StoreError
from propscope.web import api, pages
from propscope.web.api import DATABASE_UNAVAILABLE, one_line_reason, validation_message
from propscope.web.cors import add_extension_cors
from propscope.web.guards import LOOPBACK_HOSTS, HostCheck, allowed_hosts_for
from propscope.web.rendering import templates
from propscope.web.workers import AnalysisPool

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MAX_REQUEST_BYTES",
    "DEFAULT_QUEUE",
    "DEFAULT_WORKERS",
    "ModelSlot",
    "Settings",
    "check_can_listen",
    "create_app",
]

# An uploaded HTML page may be 5 MB (the readers' cap); multipart adds a little.
DEFAULT_MAX_REQUEST_BYTES = 6_000_000
# ~15,000 words, longer than nearly every news article; about 10 s of analysis on 2 cores.
DEFAULT_MAX_CHARS = 100_000
# Two analyses share two cores well; texts over LONG_CHARS (~2 s) may take only one of them.
DEFAULT_WORKERS = 2
LONG_CHARS = 20_000
DEFAULT_QUEUE = 16
# How long shutdown waits for a model still loading (the shipped one takes ~4 s on 2 cores).
MODEL_LOAD_WAIT_S = 120.0
STATIC_DIR = Path(__file__).parent / "static"
_DOCS_ASSETS = "/api/docs-assets"
logger = logging.getLogger("propscope.web")

# Pages may load only this server's own files: no request leaves the machine. Inline style
# attributes colour the highlights; the report's JSON data block is not executed.
_CSP_PAGES = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
# Swagger UI starts with an inline script; it still loads only this server's files.
_CSP_DOCS = _CSP_PAGES.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


@dataclass(frozen=True)
class Settings:
    """Operator choices, fixed at start-up and shared by every request."""

    db_url: str | None = None
    model_path: Path | None = None
    api_key: str | None = None
    allow_private_urls: bool = False
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    fetch_timeout: float = 15.0
    fetch_max_bytes: int = 5_000_000
    analysis_workers: int = DEFAULT_WORKERS
    max_chars: int = DEFAULT_MAX_CHARS
    queue_size: int = DEFAULT_QUEUE
    # Host names this server answers to (DNS rebinding); "*" turns the check off.
    allowed_hosts: frozenset[str] = LOOPBACK_HOSTS
    # Extra origins whose pages may post, exactly as browsers send them, e.g.
    # "chrome-extension://<id>" or "moz-extension://<uuid>" for the browser extension.
    allowed_origins: frozenset[str] = frozenset()


class ModelSlot:
    """The model, loaded once in a background thread; requests see loading/ready/failed."""

    def __init__(self, loader: Callable[[], Any]) -> None:
        self._loader = loader
        self._done = threading.Event()
        self._started = False
        self._lock = threading.Lock()
        self.model: Any = None
        self.error: str | None = None

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._load, name="propscope-model-load", daemon=True).start()

    def _load(self) -> None:
        try:
            self.model = self._loader()
        except Exception as exc:  # any failure must reach /healthz, not kill the server
            self.error = (
                f"{type(exc).__name__}: {exc}" if not isinstance(exc, PropscopeError) else str(exc)
            )
        finally:
            self._done.set()

    @property
    def state(self) -> str:
        if not self._done.is_set():
            return "loading"
        return "failed" if self.model is None else "ready"

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading ended (for scripts and tests); True when the model is ready."""
        self._done.wait(timeout)
        return self.state == "ready"


def create_app(
    db_url: str | None = None,
    model_path: str | Path | None = None,
    api_key: str | None = None,
    allow_private_urls: bool = False,
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    *,
    analysis_workers: int = DEFAULT_WORKERS,
    max_chars: int = DEFAULT_MAX_CHARS,
    queue_size: int = DEFAULT_QUEUE,
    bind_host: str | None = None,
    allowed_hosts: Iterable[str] = (),
    allowed_origins: Iterable[str] = (),
    model_loader: Callable[[], Any] | None = None,
) -> FastAPI:
    """The propscope web app: pages, the ``/api/v1`` JSON API and ``/healthz``.

    ``db_url``: SQLAlchemy URL or SQLite path (default: ``$PROPSCOPE_DB_URL`` or the user's data
    directory). ``api_key``: when set, analysing and deleting need it. ``allow_private_urls``
    lets the server fetch loopback/private addresses (off: it must not reach the intranet).
    ``analysis_workers`` bounds concurrent analyses, ``queue_size`` how many may wait (then
    503) and ``max_chars`` the characters of one article (then 413). Requests must name this
    server in ``Host``: loopback names, ``bind_host`` and ``allowed_hosts`` (``*``: any).
    ``allowed_origins`` (e.g. ``chrome-extension://ID``) may post like the server's own pages.
    ``model_loader`` replaces ``load_model(model_path)``, e.g. to share an already loaded
    model. The store is opened here, so a bad database URL fails before the server starts.
    """
    settings = Settings(
        db_url=db_url,
        model_path=Path(model_path) if model_path else None,
        api_key=api_key or None,
        allow_private_urls=allow_private_urls,
        max_request_bytes=max_request_bytes,
        analysis_workers=max(1, analysis_workers),
        max_chars=max(1, max_chars),
        queue_size=max(0, queue_size),
        allowed_hosts=allowed_hosts_for(bind_host, allowed_hosts),
        allowed_origins=frozenset(o.strip().rstrip("/") for o in allowed_origins),
    )
    store = Store(db_url)
    if model_loader is None:

        def model_loader():
            from propscope.models.tagger import load_model

            return load_model(settings.model_path)

    slot = ModelSlot(model_loader)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        slot.start()
        try:
            yield
        finally:
            app.state.pool.close()
            store.close()
            # A process that exits while torch is still loading in the background thread
            # aborts (SIGABRT, "terminate called without an active exception"), e.g. when
            # uvicorn cannot bind: let the load end first (seconds).
            await anyio.to_thread.run_sync(slot.wait, MODEL_LOAD_WAIT_S)

    app = FastAPI(
        title="propscope",
        version=__version__,
        summary="Find, explain and count persuasion techniques in news articles.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.models = slot
    app.state.pool = AnalysisPool(
        settings.analysis_workers, settings.queue_size, long_chars=LONG_CHARS
    )

    app.include_router(api.router)
    app.include_router(api.health_router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _mount_docs(app)
    _complete_openapi(app, key_set=settings.api_key is not None)
    _add_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(CloseUnreadBody)
    add_extension_cors(app, settings.allowed_origins)  # CORS for the extension only
    # outermost but for HEAD: the first check; the extension may read its refusal (CORS)
    app.add_middleware(
        HostCheck, allowed=settings.allowed_hosts, cors_origins=settings.allowed_origins
    )
    app.add_middleware(HeadAsGet)
    return app


def check_can_listen(host: str, port: int) -> None:
    """One-line :class:`InputError` unless ``host``:``port`` can be listened on right now.

    ``propscope serve`` asks before it announces the address and starts loading the model;
    uvicorn would log the failure after both, then exit. The addresses are bound like asyncio
    binds them for uvicorn (every address of the name, SO_REUSEADDR, IPv6 only on IPv6).
    """
    where = f"[{host}]" if ":" in host else host
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(
            f"cannot listen on --host {host!r}: {reason}; give a name or address of this "
            "machine (127.0.0.1: this machine only, 0.0.0.0: every network interface)"
        ) from None
    failures: list[OSError] = []
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind(address)
            except OSError as exc:
                failures.append(exc)
    # An address family the machine lacks (::1 without IPv6) is skipped unless it is the only.
    serious = [e for e in failures if e.errno != errno.EADDRNOTAVAIL]
    if not failures or (not serious and len(failures) < len(infos)):
        return
    exc = (serious or failures)[0]
    if exc.errno == errno.EADDRINUSE:
        message = f"port {port} on {where} is in use; choose another --port"
    elif exc.errno == errno.EACCES:
        message = f"port {port} on {where} needs administrator rights; choose a --port above 1023"
    elif exc.errno == errno.EADDRNOTAVAIL:
        message = (
            f"{where} is not an address of this machine; choose another --host "
            "(127.0.0.1: this machine only, 0.0.0.0: every network interface)"
        )
    else:
        reason = (exc.strerror or str(exc)).lower()
        message = f"cannot listen on port {port} of {where}: {reason}; choose another --port"
    raise InputError(message)


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI at /api/docs with its assets served from the fastapi-offline package."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount(_DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "",
            title="propscope API",
            swagger_js_url=f"{_DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{_DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{_DOCS_ASSETS}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},
        )


def _complete_openapi(app: FastAPI, *, key_set: bool) -> None:
    """The OpenAPI document with the API key's security schemes (made once, then kept)."""
    made_by_fastapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = api.document_security(made_by_fastapi(), key_set=key_set)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# --- errors -----------------------------------------------------------------------------------

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """The methods that some route of this request's path takes, HEAD wherever GET is
    (HeadAsGet answers it); empty when no route has the path (a mount, such as /static,
    gives its own Allow).

    Starlette's 405 names only the first route whose path matched: ``Allow: GET`` on
    ``/api/v1/articles/{id}``, whose DELETE is another route. Each method is asked of every
    route (the public ``matches``; FastAPI nests included routers in routes of its own).
    """
    routes = [r for r in request.app.router.routes if not isinstance(r, Mount)]
    methods = [
        method
        for method in _METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]
    if "GET" in methods and "HEAD" not in methods:
        methods.insert(methods.index("GET") + 1, "HEAD")
    return methods


def wants_json(request: Request) -> bool:
    """API clients get JSON errors, browsers on pages get an HTML page."""
    path = request.url.path
    return path.startswith("/api/") or path == "/healthz"


def _error_response(request: Request, status: int, detail: str, headers=None):
    if wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    return templates.TemplateResponse(
        request,
        "error.html.j2",
        {
            "status": status,
            "detail": detail,
            "settings": request.app.state.settings,
            "model_state": request.app.state.models.state,
        },
        status_code=status,
        headers=headers,
    )


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405 and (methods := allowed_methods(request)):
            headers = {**(headers or {}), "Allow": ", ".join(methods)}
        return _error_response(request, exc.status_code, detail, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return _error_response(request, 422, validation_message(exc))

    @app.exception_handler(ClientDisconnect)
    async def client_gone(request: Request, exc: ClientDisconnect):
        # The client left while sending its body, or the server's body deadline cut it off:
        # nobody to answer, and no traceback to log (slow clients come by the hundred).
        return Response(status_code=400)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        if isinstance(exc, StoreDamaged):  # its own line names the article and what to do
            return _error_response(request, 503, str(exc))
        # The driver's words name the database's address and its errors: the log's, in one
        # line (a database that is down fails every request: no traceback each time).
        logger.warning(
            "the database is unavailable (%s %r): %s",
            request.method,
            request.url.path[:200],
            one_line_reason(exc),
        )
        return _error_response(request, 503, DATABASE_UNAVAILABLE)

    @app.exception_handler(PropscopeError)
    async def input_error(request: Request, exc: PropscopeError):
        return _error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # A bug, not the client's fault: logged with its traceback, answered in the usual shape.
        logger.error("error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error_response(request, 500, "internal server error (logged on the server)")


# --- middleware -------------------------------------------------------------------------------


class BodySizeLimit:
    """413 for request bodies over ``max_bytes``, declared (Content-Length) or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _error(self) -> StarletteHTTPException:
        return StarletteHTTPException(
            413,
            f"the request is larger than {self.max_bytes:,} bytes; send a single article",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise self._error()  # handled like any HTTPException: JSON or HTML 413
            return message

        await self.app(scope, limited, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = _error_response(request, 413, self._error().detail)
        response.headers["Connection"] = "close"  # the unread body must not be parsed
        await response(scope, receive, send)


class CloseUnreadBody:
    """``Connection: close`` on an answer given before the request's body was read whole (a
    401 or 403 before an upload): the server would otherwise go on receiving the rest, only
    to throw it away, on a connection kept for a next request (a client without the key
    could keep it busy so until the body deadline)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", ())) if scope["type"] == "http" else {}
        declared = headers.get(b"content-length", b"0")
        if b"transfer-encoding" not in headers and not (declared.isdigit() and int(declared)):
            await self.app(scope, receive, send)  # no body
            return
        read = False

        async def reading() -> Message:
            nonlocal read
            message = await receive()
            read = read or message["type"] != "http.request" or not message.get("more_body")
            return message

        async def answering(message: Message) -> None:
            if message["type"] == "http.response.start" and not read:
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                message = {**message, "headers": [*kept, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, reading, answering)


class HeadAsGet:
    """HEAD answered as GET without its body (uptime monitors, ``curl -I``): the routes are
    declared for GET only, so every page and endpoint was a 405. Headers, Content-Length
    included, are those of the GET; a route that takes no GET still answers 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


class SecurityHeaders:
    """CSP (nothing outside this server is loaded), no sniffing, no framing, no referrer leak."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = _CSP_DOCS if scope["path"] == "/api/docs" else _CSP_PAGES

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in (
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ):
                    if name not in names:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
