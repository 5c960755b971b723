"""Which web origins may embed the widget (`HUKOU_ALLOWED_ORIGINS`).

Used for the socket.io handshake (python-engineio asks `origin_allowed` for every
connection) and read by `Settings` for Sanic's CORS (`rasa run --cors`). No Rasa import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ENV_NAME = "HUKOU_ALLOWED_ORIGINS"
ANY = "*"


def parse_origins(raw: str | None) -> tuple[str, ...]:
    """Origins named in `raw` (separated by spaces or commas, trailing `/` dropped);
    `("*",)` when none is named (development)."""
    names = (raw or "").replace(",", " ").split()
    return tuple(name.rstrip("/") for name in names) or (ANY,)


def own_origin(environ: Mapping[str, Any]) -> str | None:
    """The origin of the server itself, from a WSGI-style environ (scheme and Host)."""
    host = environ.get("HTTP_HOST")
    scheme = environ.get("wsgi.url_scheme") or "http"
    return f"{scheme}://{host}" if host else None


def origin_allowed(
    origin: str | None, allowed: tuple[str, ...], environ: Mapping[str, Any] | None = None
) -> bool:
    """Whether a request with this `Origin` header may talk to the assistant.

    No `Origin` (a program, not a browser page) and the server's own origin (the demo page
    at /chat/) are always allowed; other origins only when named in `allowed` or when
    `allowed` holds `*`.
    """
    if not origin:
        return True
    origin = origin.rstrip("/")
    if ANY in allowed or origin in allowed:
        return True
    return environ is not None and origin == own_origin(environ)
