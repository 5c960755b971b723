"""Process supervision: readiness, stopping whole process groups, clear start-up failures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from assistant.network import free_port, port_in_use
from assistant.paths import ROOT
from assistant.reporting import RuntimeFailure
from assistant.settings import Settings
from assistant.supervision import Assistant, Backoff, Service

HEALTH_SERVER = textwrap.dedent(
    """
    import http.server, json, subprocess, sys
    # a grandchild in the same process group, which stop() must also end
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"status": "ok"}).encode()
            self.send_response(200); self.end_headers(); self.wfile.write(body)
        def log_message(self, *a): pass
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
    """
)


def group_alive(pgid: int, wait: float = 5.0) -> bool:
    """Whether a live (non-zombie) process of the group remains after `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        alive = False
        for stat_file in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat_file.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive = True
                break
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def test_service_ready_and_stop_kills_the_whole_group(tmp_path: Path) -> None:
    port = free_port()
    service = Service(
        "fake",
        [sys.executable, "-c", HEALTH_SERVER, str(port)],
        f"http://127.0.0.1:{port}/health",
        tmp_path / "fake.log",
    )
    service.start(os.environ)
    assert service.process is not None
    pgid = service.process.pid
    try:
        deadline = time.monotonic() + 20
        while not service.is_ready():
            assert time.monotonic() < deadline, service.log_tail()
            time.sleep(0.1)
        assert port_in_use(port)
    finally:
        service.stop(timeout=5)
    assert not group_alive(pgid)
    assert not port_in_use(port)


def test_service_that_ignores_sigterm_is_killed(tmp_path: Path) -> None:
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
    service = Service(
        "stubborn", [sys.executable, "-c", code], "http://127.0.0.1:1/", tmp_path / "s.log"
    )
    service.start(os.environ)
    assert service.process is not None
    pgid = service.process.pid
    time.sleep(0.3)
    started = time.monotonic()
    service.stop(timeout=1)
    assert time.monotonic() - started < 5
    assert not group_alive(pgid)


def test_the_servers_get_sigterm_together(tmp_path: Path) -> None:
    """Stopping takes one grace period, not one per server: both are told at once."""
    code = textwrap.dedent(
        """
        import signal, sys, time
        def note(*_):
            open(sys.argv[1], "a").write(f"{time.monotonic()}\\n")
        signal.signal(signal.SIGTERM, note)  # noted, then ignored: SIGKILL must follow
        open(sys.argv[1] + ".ready", "w").close()
        while True:
            time.sleep(0.05)
        """
    )
    notes = [tmp_path / "a.term", tmp_path / "b.term"]
    assistant = Assistant(Settings(), log_dir=tmp_path)
    assistant.services = [
        Service(
            n.stem,
            [sys.executable, "-c", code, str(n)],
            "http://127.0.0.1:1/",
            tmp_path / f"{n.stem}.log",
            grace_s=2,
        )
        for n in notes
    ]
    for service in assistant.services:
        service.start(os.environ)
    groups = [service.process.pid for service in assistant.services if service.process]
    deadline = time.monotonic() + 20
    while not all(Path(f"{n}.ready").exists() for n in notes):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assistant.stop()
    first, second = (float(n.read_text().split()[0]) for n in notes)  # the first SIGTERM
    assert abs(first - second) < 1.0  # the second was not told only after the first's grace
    assert not any(group_alive(pgid) for pgid in groups)


def test_children_die_with_a_killed_parent(tmp_path: Path) -> None:
    """The servers do not outlive a parent killed with SIGKILL (no cleanup possible)."""
    pid_file = tmp_path / "child.pid"
    parent_code = textwrap.dedent(
        f"""
        import os, sys, time
        from pathlib import Path
        from assistant.supervision import Service
        s = Service("c", [sys.executable, "-c", "import time; time.sleep(600)"],
                    "http://127.0.0.1:1/", Path({str(tmp_path / "c.log")!r}))
        s.start(os.environ)
        Path({str(pid_file)!r}).write_text(str(s.process.pid))
        time.sleep(600)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", parent_code], cwd=ROOT)
    deadline = time.monotonic() + 20
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    child = int(pid_file.read_text())
    parent.kill()
    parent.wait()
    assert not group_alive(child, wait=10), "child survived its parent"


def test_start_fails_clearly_when_a_port_is_taken(tmp_path: Path) -> None:
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    port = free_port()
    code = (
        f"import socket,time; s=socket.socket(); s.bind(('127.0.0.1',{port})); "
        "s.listen(); time.sleep(600)"
    )
    blocker = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 10
        while not port_in_use(port):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assistant = Assistant(
            Settings(port=port, actions_port=free_port()),
            endpoints_path=tmp_path / "e.yml",
            log_dir=tmp_path,
            model=model,
        )
        with pytest.raises(RuntimeFailure, match=f"port {port} is already in use"):
            assistant.start()
    finally:
        blocker.kill()
        blocker.wait()


def test_start_fails_clearly_without_a_model(tmp_path: Path) -> None:
    assistant = Assistant(Settings(), model=tmp_path / "missing.tar.gz")
    with pytest.raises(RuntimeFailure, match="no trained model"):
        assistant.start()


def test_crashing_server_reports_its_log(tmp_path: Path) -> None:
    service = Service(
        "crasher",
        [sys.executable, "-c", "print('boom: bad config'); exit(3)"],
        "http://127.0.0.1:1/",
        tmp_path / "crash.log",
    )
    assistant = Assistant(Settings(), log_dir=tmp_path)
    assistant.services = [service]
    service.start(os.environ)
    with pytest.raises(RuntimeFailure, match="boom: bad config"):
        assistant._wait_ready(time.monotonic() + 20)
    assistant.stop()


def test_backoff_doubles_in_a_crash_loop_and_resets_after_a_stable_run() -> None:
    backoff = Backoff(first_s=1.0, max_s=5.0, stable_s=60.0)
    assert [backoff.delay(ran_s=0.5) for _ in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert backoff.delay(ran_s=3600.0) == 1.0


def test_a_crashed_server_is_restarted_and_logged(tmp_path: Path) -> None:
    """A server killed for real comes back (after its backoff), the other one untouched."""
    port, other_port = free_port(), free_port()
    assistant = Assistant(Settings(), log_dir=tmp_path)
    assistant.env = dict(os.environ)
    assistant.services = [
        Service(name, [sys.executable, "-c", HEALTH_SERVER, str(p)],
                f"http://127.0.0.1:{p}/health", tmp_path / f"{name}.log",
                backoff=Backoff(first_s=0.5))
        for name, p in (("crashy", port), ("steady", other_port))
    ]
    crashy, steady = assistant.services
    try:
        for service in assistant.services:
            service.start(assistant.env)
        assistant._wait_ready(time.monotonic() + 20)
        assert crashy.process is not None and steady.process is not None
        first_pid, steady_pid = crashy.process.pid, steady.process.pid
        os.killpg(first_pid, signal.SIGKILL)
        deadline = time.monotonic() + 20
        restarted: list[Service] = []
        while not restarted:
            assert time.monotonic() < deadline, crashy.log_tail()
            restarted = assistant.supervise()
            time.sleep(0.1)
        assert restarted == [crashy] and crashy.restarts == 1
        assert crashy.process is not None and crashy.process.pid != first_pid
        while not crashy.is_ready():
            assert time.monotonic() < deadline, crashy.log_tail()
            time.sleep(0.1)
        assert steady.process.pid == steady_pid and not steady.exited()
        log = crashy.log_path.read_text(encoding="utf-8")
        assert "SUPERVISOR the crashy exited with code -9" in log
        assert "restarting the crashy (restart 1)" in log
    finally:
        assistant.stop()


def test_the_api_token_is_one_argument_even_when_it_looks_like_an_option(
    tmp_path: Path,
) -> None:
    assistant = Assistant(Settings(api_token="-starts-with-a-dash"),
                          endpoints_path=tmp_path / "endpoints.yml", log_dir=tmp_path)
    assistant.prepare()
    rasa = next(s for s in assistant.services if s.name == "assistant")
    assert "--auth-token=-starts-with-a-dash" in rasa.cmd
    assert (tmp_path / "api_token").read_text().strip() == "-starts-with-a-dash"
    assert (tmp_path / "api_token").stat().st_mode & 0o777 == 0o600
