"""The `hukou-assistant` command itself: its commands and its own start-up cost."""

from __future__ import annotations

import subprocess
import sys

from assistant.paths import ROOT


def test_cli_does_not_import_rasa() -> None:
    code = (
        "import sys, assistant.cli as c; c.build_parser(); "
        "heavy = [m for m in ('rasa', 'tensorflow', 'rasa_sdk') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_help_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--help"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    for command in ("run", "chat", "ask", "train", "policies", "feedback"):
        assert command in out
