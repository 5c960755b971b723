"""Where the servers listen: the action server only where the assistant does (loopback by
default), and `hukou-assistant serve actions` (a container's command) as told."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from assistant.network import free_port, is_status_ok
from assistant.paths import ROOT
from assistant.supervision import Assistant

from .listening import listening_addresses


def test_both_servers_listen_on_loopback_only(server: Assistant) -> None:
    assert listening_addresses(server.settings.actions_port) == {"127.0.0.1"}
    assert listening_addresses(server.settings.port) == {"127.0.0.1"}


def test_serve_actions_listens_where_told() -> None:
    port = free_port()
    env = {**os.environ, "ACTIONS_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "actions", "--host", "0.0.0.0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not is_status_ok(f"http://127.0.0.1:{port}/health"):
            assert process.poll() is None, "serve actions exited"
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert listening_addresses(port) == {"0.0.0.0"}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
