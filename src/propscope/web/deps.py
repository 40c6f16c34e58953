"""Dependencies shared by the routers: settings, the store, the loaded model, access checks."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request

from propscope.store import Store
from propscope.web.guards import key_is_valid, origin_is_trusted

__all__ = [
    "ModelDep",
    "SettingsDep",
    "StoreDep",
    "api_key_matches",
    "get_model",
    "get_settings",
    "get_store",
    "check_write_access",
    "header_key",
    "require_api_key",
]


def get_settings(request: Request):
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_model(request: Request) -> Any:
    """The loaded model; 503 (with Retry-After) while it loads or when loading failed."""
    slot = request.app.state.models
    if slot.state == "ready":
        return slot.model
    if slot.state == "loading":
        raise HTTPException(
            503,
            "the model is still loading; retry in a few seconds",
            headers={"Retry-After": "5"},
        )
    raise HTTPException(503, f"the model failed to load: {slot.error}")


SettingsDep = Annotated[Any, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ModelDep = Annotated[Any, Depends(get_model)]


def api_key_matches(settings: Any, given: str | None) -> bool:
    """True when no key is configured, or ``given`` is the key (constant-time comparison)."""
    if not settings.api_key:
        return True
    return bool(given) and hmac.compare_digest(given.encode(), settings.api_key.encode())


def header_key(
    x_api_key: Annotated[str | None, Header(description="The server's API key, if set")] = None,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str | None:
    """The key a request carries: ``X-API-Key``, else ``Authorization: Bearer``."""
    if not x_api_key and authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return x_api_key


def check_write_access(request: Request, settings: Any, given: str | None) -> None:
    """Writing and deleting: 401 without the key (when one is set), then 403 for a request
    from another site's page (or ``Origin: null``) unless it carries the valid key.

    The one place both rules live, for the API (key in a header) and the page forms (key in a
    field); ``settings.allowed_origins`` (the browser extension) counts as this site.
    """
    if not api_key_matches(settings, given):
        raise HTTPException(
            401,
            "this server requires an API key to analyse or delete: give it in the form's API "
            "key field, or send it in the X-API-Key header (or Authorization: Bearer)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if origin_is_trusted(request, settings.allowed_origins):
        return
    if key_is_valid(settings.api_key, given):
        return
    raise HTTPException(
        403,
        "requests from other sites' pages are refused (Origin "
        f"{(request.headers.get('origin') or 'absent')[:100]!r}); use this server's own pages, "
        "or send the API key from a script",
    )


def require_api_key(
    request: Request,
    settings: SettingsDep,
    given: Annotated[str | None, Depends(header_key)],
) -> None:
    """API writes: the key when one is set, and no cross-site browser request without it."""
    check_write_access(request, settings, given)
