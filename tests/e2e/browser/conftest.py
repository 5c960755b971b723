"""Headless Chromium (Debian's `chromium` package, driven by Playwright for Python) against
the real assistant of tests/e2e/conftest.py, plus two small pages on other ports that
embed the widget: one from the allowed origin, one from an origin not allowed.

No browser is downloaded: `scripts/test_setup.sh` (run by `make test-e2e`) installs the
distribution's chromium when it is missing.
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from assistant.paths import ROOT
from assistant.settings import Settings
from tests.required import unavailable

from ..conftest import EmbedOrigins

CHROMIUM = Path(os.environ.get("HUKOU_CHROMIUM", "/usr/bin/chromium"))
#: Without the background-networking flags, chromium keeps calling home on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS = ROOT / "results" / "browser"
AXE = ROOT / "widget" / "node_modules" / "axe-core" / "axe.min.js"
#: Answers take a few seconds on a busy machine; the first one loads the model's caches.
ANSWER_TIMEOUT_MS = 120_000


# Package scope: Playwright's sync API keeps an event loop running in the main thread while
# it is open, and later tests that call asyncio.run() (tests/wechat) must find none.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: run scripts/test_setup.sh (make test-e2e does)"
        unavailable(message)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def new_page(
    browser: Browser, width: int = 1280, height: int = 900, *, bypass_csp: bool = False
) -> Page:
    """A page in a context of its own (own storage); `bypass_csp` to inject axe-core into
    a page whose Content-Security-Policy forbids inline scripts."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, bypass_csp=bypass_csp
    )
    context.set_default_timeout(ANSWER_TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser)
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture
def narrow_page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser, width=360, height=740)
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture
def demo(assistant: Settings) -> str:
    """The demo page served by the assistant."""
    return f"{assistant.base_url}/chat/"


def embedding_page(assistant_url: str) -> bytes:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>City portal</title></head>
<body><main><h1>City government portal</h1><p>Services for residents.</p></main>
<script src="{assistant_url}/chat/widget.js" data-lang="en" data-position="bottom-right"
        data-title="Ask about hukou"></script>
</body></html>""".encode()


class _EmbeddingServer(http.server.ThreadingHTTPServer):
    page: bytes


class _EmbeddingHandler(http.server.BaseHTTPRequestHandler):
    server: _EmbeddingServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.server.page)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def embedding_sites(assistant: Settings, embed_origins: EmbedOrigins) -> Iterator[EmbedOrigins]:
    """A page embedding the widget on each of the two origins (other ports)."""
    servers = []
    for port in (embed_origins.allowed_port, embed_origins.refused_port):
        server = _EmbeddingServer(("127.0.0.1", port), _EmbeddingHandler)
        server.page = embedding_page(assistant.base_url)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield embed_origins
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
