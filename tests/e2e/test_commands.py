"""The `hukou-assistant` commands against real servers: ask, chat, and run + Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.network import free_port, is_status_ok, port_in_use
from assistant.paths import MODEL_PATH, ROOT
from assistant.settings import Settings
from assistant.training import fingerprint, model_is_current, training_inputs

CLI = [sys.executable, "-m", "assistant.cli"]


def cli_env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "PORT": str(settings.port), "ACTIONS_PORT": str(settings.actions_port)}


def run_cli(settings: Settings, *args: str, stdin: str | None = None) -> Any:
    """`hukou-assistant ARGS` against the assistant the fixture started."""
    return subprocess.run(
        [*CLI, *args],
        input=stdin,
        env=cli_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_ask_uses_the_running_assistant(assistant: Settings) -> None:
    done = run_cli(assistant, "ask", "I rent a flat in Haicheng. Can I get hukou there?", "--json")
    assert done.returncode == 0, done.stderr
    messages = json.loads(done.stdout)
    assert messages and all("recipient_id" in m for m in messages)
    assert "starting a temporary one" not in done.stderr


def test_chat_reads_until_eof(assistant: Settings) -> None:
    done = run_cli(assistant, "chat", stdin="我想在丹东落户\n")
    assert done.returncode == 0, done.stderr
    assert "1)" in done.stdout  # the question about a missing fact comes with buttons


def group_members(pgid: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def test_run_starts_both_servers_and_sigint_stops_them(assistant: Settings, tmp_path: Path) -> None:
    """`hukou-assistant run` as a user starts it; Ctrl-C leaves nothing behind."""
    if not MODEL_PATH.exists():
        pytest.skip("no trained model")
    if not model_is_current(fingerprint(training_inputs())):
        pytest.skip("the model is not up to date: `run` would train first (make test trains)")
    settings = Settings(port=free_port(), actions_port=free_port())
    env = {**cli_env(settings), "HUKOU_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 't.db'}"}
    run = subprocess.Popen(
        [*CLI, "run", "--port", str(settings.port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        # as a non-interactive shell starts a job in the background: Ctrl-C must still work
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        assert run.stdout is not None
        seen = []
        for line in run.stdout:  # ends at EOF if `run` fails
            seen.append(line)
            if "Press Ctrl-C" in line:
                break
        assert "Press Ctrl-C" in "".join(seen), "".join(seen)
        assert is_status_ok(f"{settings.base_url}/webhooks/rest/")
        assert is_status_ok(f"{settings.actions_url}/health")
        descendants = subprocess.run(
            ["pgrep", "-P", str(run.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(descendants) == 2, descendants  # action server + assistant
        run.send_signal(signal.SIGINT)
        output = "".join(seen) + run.communicate(timeout=60)[0]
        assert run.returncode == 0, output
        assert "REST" in output and "make chat" in output
        assert not port_in_use(settings.port)
        assert not port_in_use(settings.actions_port)
        for pid in map(int, descendants):
            assert not group_members(pid), f"process group {pid} left behind"
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
