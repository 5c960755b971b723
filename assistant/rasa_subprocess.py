"""How Rasa is run: always as a subprocess of this program's environment, never imported.

Importing Rasa (and TensorFlow) takes seconds; keeping it out of this process is what lets
`hukou-assistant policies …` and `--help` start quickly (tests/cli checks it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.reporting import RuntimeFailure

#: Environment every Rasa child gets: no telemetry prompt or network calls, quiet TF.
CHILD_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONUNBUFFERED": "1",
}


def rasa_executable() -> str:
    """The `rasa` script of the environment this program runs in."""
    candidate = Path(sys.executable).parent / "rasa"
    if candidate.exists():
        return str(candidate)
    raise RuntimeFailure(f"rasa not found next to {sys.executable}: run `make setup` first")


def rasa_server_command() -> list[str]:
    """`rasa` for the assistant's Rasa server: the same command line, a faster start
    (assistant.rasa_server)."""
    return [sys.executable, "-m", "assistant.rasa_server"]
