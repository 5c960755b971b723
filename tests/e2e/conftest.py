"""The REAL action server and assistant, started once per session on free ports.

They run through the same code as `hukou-assistant run` (assistant.supervision), with a
temporary SQLite tracker store and the model in models/ (trained by `make test` before).
The limits of the input guard are set here (`LIMITS_ENV`), the action-server timeout
short, so that the tests of a slow action server do not wait long.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from assistant.hardening.limits import Limits
from assistant.network import free_port
from assistant.paths import MODEL_PATH, ROOT
from assistant.settings import Settings
from assistant.supervision import Assistant
from tests.required import unavailable

from .client import Conversation

SCHEMA_PATH = ROOT / "policies" / "schema" / "answer.schema.json"
LIMITS_ENV = {
    "HUKOU_ACTION_TIMEOUT_S": "4",
    "HUKOU_RATE_LIMIT": "30/60",
    "HUKOU_MAX_MESSAGE_CHARS": "2000",
}


@dataclass(frozen=True)
class EmbedOrigins:
    """Two origins of pages embedding the widget: one named in the assistant's allowed
    origins (`HUKOU_ALLOWED_ORIGINS`), one not."""

    allowed_port: int
    refused_port: int

    @property
    def allowed(self) -> str:
        return f"http://127.0.0.1:{self.allowed_port}"

    @property
    def refused(self) -> str:
        return f"http://127.0.0.1:{self.refused_port}"


@pytest.fixture(scope="session")
def embed_origins() -> EmbedOrigins:
    return EmbedOrigins(allowed_port=free_port(), refused_port=free_port())


@pytest.fixture(scope="session")
def assistant(server: Assistant) -> Settings:
    return server.settings


@pytest.fixture(scope="session")
def api_token(server: Assistant) -> str:
    return server.api_token


@pytest.fixture(scope="session")
def limits() -> Limits:
    return Limits.from_env(LIMITS_ENV)


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, embed_origins: EmbedOrigins
) -> Iterator[Assistant]:
    """The running assistant (its settings, token, log directory and processes)."""
    if not MODEL_PATH.exists():
        message = f"no trained model at {MODEL_PATH}: run `make train` (make test does)"
        unavailable(message)
    tmp = tmp_path_factory.mktemp("assistant")
    settings = Settings(
        port=free_port(),
        actions_port=free_port(),
        tracker_store_url=f"sqlite:///{tmp / 'tracker.db'}",
        # one origin named, as in production: the other origin is refused
        allowed_origins=(embed_origins.allowed,),
    )
    server = Assistant(
        settings, endpoints_path=tmp / "endpoints.yml", log_dir=tmp, extra_env=LIMITS_ENV
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
        for log in ("rasa.log", "actions.log"):
            # Kept for the report when something failed: errors logged by the servers.
            text = (tmp / log).read_text(encoding="utf-8", errors="replace")
            errors = [line for line in text.splitlines() if "ERROR" in line or "Traceback" in line]
            if errors:
                print(f"\n{log}: {len(errors)} error lines, first: {errors[0]}")


@pytest.fixture(scope="session")
def answer_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@pytest.fixture
def conversation(assistant: Settings) -> Conversation:
    return Conversation(assistant)
