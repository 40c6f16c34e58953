"""Dependencies shared by the routers: settings, the store, the loaded model, access checks."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request

from propscope.store import Store

__all__ = [
    "ModelDep",
    "SettingsDep",
    "StoreDep",
    "api_key_matches",
    "get_model",
    "get_settings",
    "get_store",
    "require_api_key",
    "require_same_origin",
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


def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="The server's API key, if set")] = None,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> None:
    """Writing and deleting need the API key when the operator set one (401 otherwise)."""
    given = x_api_key
    if not given and authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not api_key_matches(settings, given):
        raise HTTPException(
            401,
            "this server requires an API key to analyse or delete: send it in the X-API-Key "
            "header (or Authorization: Bearer)",
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_same_origin(request: Request) -> None:
    """Refuse form posts from other sites (CSRF): a page elsewhere must not delete articles."""
    site = request.headers.get("sec-fetch-site")
    if site and site not in ("same-origin", "none"):
        raise HTTPException(403, "cross-site form submissions are not accepted")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        expected = f"{request.url.scheme}://{request.url.netloc}"
        if origin.rstrip("/") != expected:
            raise HTTPException(403, "cross-site form submissions are not accepted")
