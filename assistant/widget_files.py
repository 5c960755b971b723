"""The built web widget (widget/dist/), served by the assistant at /chat/.

`make setup` builds widget/dist/ from widget/src/ (scripts/build_widget.sh). Only files
directly in that folder are served, by name; nothing outside it can be reached. No Rasa
import (Sanic only).
"""

from __future__ import annotations

import re
from pathlib import Path

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.paths import ROOT

DIST = ROOT / "widget" / "dist"
PREFIX = "/chat"
_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
#: The demo page: nothing but its own origin (the widget script, its style sheet, the
#: socket, the REST fallback); no inline script or style (the widget's styles are a
#: constructed style sheet).
DEMO_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; "
    "form-action 'none'"
)


def widget_file(name: str, dist: Path = DIST) -> Path | None:
    """The built file `name` directly inside `dist`, or None."""
    if not _NAME.match(name) or name not in {p.name for p in dist.glob("*") if p.is_file()}:
        return None
    return dist / name


async def _serve(name: str) -> HTTPResponse:
    path = widget_file(name)
    if path is None:
        missing = "" if DIST.is_dir() else " (the widget is not built: run `make setup`)"
        return response.text(f"not found: {PREFIX}/{name}{missing}", status=404)
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    if path.suffix == ".html":
        headers["Content-Security-Policy"] = DEMO_PAGE_CSP
        headers["Referrer-Policy"] = "no-referrer"
    content_type = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
    return await response.file(path, mime_type=content_type, headers=headers)


def add_widget_routes(app: Sanic) -> None:
    """GET /chat/ (demo page), /chat/<file> (widget.js, …); /chat redirects to /chat/."""

    async def index(_: Request) -> HTTPResponse:
        return await _serve("index.html")

    async def redirect(_: Request) -> HTTPResponse:
        return response.redirect(f"{PREFIX}/")

    async def asset(_: Request, name: str) -> HTTPResponse:
        return await _serve(name)

    app.add_route(
        redirect, PREFIX, methods=["GET"], name="hukou_widget_redirect", strict_slashes=True
    )
    app.add_route(
        index, f"{PREFIX}/", methods=["GET"], name="hukou_widget_index", strict_slashes=True
    )
    app.add_route(asset, f"{PREFIX}/<name>", methods=["GET"], name="hukou_widget_asset")
