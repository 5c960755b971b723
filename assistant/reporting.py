"""What the commands tell the person running them, apart from answers.

Progress goes to stderr so that stdout carries only answers and JSON; a failure is an
exception whose message says what to do, printed by `assistant.cli` as `error: …`.
"""

from __future__ import annotations

import sys


class RuntimeFailure(RuntimeError):
    """A step of training or starting the assistant failed; the message says what to do."""


def say(message: str) -> None:
    """Progress message on stderr (stdout is kept for answers and JSON)."""
    print(f"==> {message}", file=sys.stderr, flush=True)
