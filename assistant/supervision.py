"""Starting, watching and stopping the action server and the Rasa server.

Each server runs in its own process group, so that stopping it also ends the processes it
started, and (on Linux) dies with this program even when it is killed without cleaning up.
A server that exits while the assistant runs is started again after a delay that doubles
with each crash in a row (`Backoff`), and every crash and restart is logged: one crashed
server must not take the other one down with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from assistant.credentials import write_credentials
from assistant.endpoints import write_endpoints
from assistant.network import is_status_ok, port_in_use
from assistant.origins import ENV_NAME as ORIGINS_ENV
from assistant.paths import MODEL_PATH, ROOT, VAR, write_private
from assistant.rasa_subprocess import CHILD_ENV, rasa_executable, rasa_server_command
from assistant.reporting import RuntimeFailure, say
from assistant.settings import LOCK_STORE_ENV, Settings

#: Loading the model takes long on a cold machine; past this, starting counts as failed.
READY_TIMEOUT_S = 600.0

logger = logging.getLogger(__name__)


@dataclass
class Backoff:
    """When to start a crashed server again: `first_s`, then twice as long after each crash
    in a row, at most `max_s`. A server that ran `stable_s` seconds before crashing counts
    as a first crash again (a crash loop backs off, a rare crash restarts at once)."""

    first_s: float = 1.0
    max_s: float = 60.0
    stable_s: float = 60.0
    crashes_in_a_row: int = 0

    def delay(self, ran_s: float) -> float:
        """The delay before the next start, after a crash `ran_s` seconds into the run."""
        if ran_s >= self.stable_s:
            self.crashes_in_a_row = 0
        delay = min(self.max_s, self.first_s * 2**self.crashes_in_a_row)
        self.crashes_in_a_row += 1
        return delay


def _die_with_parent() -> None:
    """In the child before exec: receive SIGTERM if this program dies (Linux only).

    Covers the case where the parent is killed without a chance to clean up (SIGKILL),
    so that no server is left behind.
    """
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass
class Service:
    """One child process in its own process group, with a readiness URL."""

    name: str
    cmd: list[str]
    ready_url: str
    log_path: Path
    grace_s: float = 15.0  # between SIGTERM and SIGKILL
    #: Extra environment of this server only.
    env: Mapping[str, str] = field(default_factory=dict)
    backoff: Backoff = field(default_factory=Backoff)
    process: subprocess.Popen[bytes] | None = None
    #: Monotonic time of the last start; of the planned restart after a crash.
    started_at: float = 0.0
    restart_at: float | None = None
    restarts: int = 0
    _log: TextIO | None = field(default=None, repr=False)

    def start(self, env: Mapping[str, str], *, append: bool = False) -> None:
        """Start the process with its output in `log_path` (appended to on a restart, so
        that the crash stays readable); does not wait for readiness."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self._log is not None:
            self._log.close()
        self._log = self.log_path.open("a" if append else "w", encoding="utf-8")
        self.started_at = time.monotonic()
        self.restart_at = None
        self.process = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env={**env, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def note(self, message: str) -> None:
        """A line of the supervisor in this server's log and on stderr."""
        say(message)
        logger.warning(message)
        if self._log is not None:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            self._log.write(f"{stamp} SUPERVISOR {message}\n")
            self._log.flush()

    def restart_if_crashed(self, env: Mapping[str, str], now: float) -> bool:
        """Plan a restart when the process has exited, and start it when its delay is up.

        Returns whether the process was started again now.
        """
        if not self.exited():
            return False
        assert self.process is not None
        if self.restart_at is None:
            ran_s = now - self.started_at
            delay = self.backoff.delay(ran_s)
            self.restart_at = now + delay
            self.note(
                f"the {self.name} exited with code {self.process.returncode} after "
                f"{ran_s:.1f} s; restarting it in {delay:.0f} s "
                f"(crash {self.backoff.crashes_in_a_row} in a row)"
            )
            return False
        if now < self.restart_at:
            return False
        # Whatever the crashed leader left in its group goes first (it holds the port).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.restarts += 1
        self.note(f"restarting the {self.name} (restart {self.restarts})")
        self.start(env, append=True)
        return True

    def is_ready(self) -> bool:
        return is_status_ok(self.ready_url)

    def log_tail(self, lines: int = 30) -> str:
        """The last `lines` lines of the log, to say why the process failed."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def terminate(self) -> None:
        """SIGTERM the whole process group without waiting (see `stop`)."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self, timeout: float | None = None) -> None:
        """SIGTERM the whole process group, SIGKILL it if it lingers ``timeout`` seconds
        (`grace_s` by default)."""
        timeout = self.grace_s if timeout is None else timeout
        process = self.process
        if process is not None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
                try:
                    process.wait(timeout=timeout)
                    break
                except subprocess.TimeoutExpired:
                    continue
            # The group may still hold grandchildren after the leader exited.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None


@dataclass
class Assistant:
    """The action server and the Rasa server for one set of settings."""

    settings: Settings
    endpoints_path: Path = VAR / "endpoints.yml"
    log_dir: Path = VAR / "log"
    model: Path = MODEL_PATH
    services: list[Service] = field(default_factory=list)
    cold_start_s: float | None = None
    #: The environment the servers were started with (restarts use it again).
    env: dict[str, str] = field(default_factory=dict)
    #: The token of Rasa's HTTP API: `settings.api_token`, or one made at `start`.
    api_token: str = ""
    #: Environment variables of both servers beyond this process's own (e.g. the limits
    #: of assistant.hardening.limits).
    extra_env: Mapping[str, str] = field(default_factory=dict)

    @property
    def api_token_file(self) -> Path:
        """Where the token is written at start (mode 0600), for `make bench` and scripts."""
        return self.endpoints_path.with_name("api_token")

    @property
    def credentials_file(self) -> Path:
        """The generated credentials.yml, beside endpoints.yml."""
        return self.endpoints_path.with_name("credentials.yml")

    def _services(self) -> list[Service]:
        s = self.settings
        rasa = rasa_executable()
        actions = Service(
            "action server",
            [rasa, "run", "actions", "--actions", "actions", "--port", str(s.actions_port)],
            f"{s.actions_url}/health",
            self.log_dir / "actions.log",
            # rasa-sdk has no --interface option; it reads SANIC_HOST (default 0.0.0.0).
            env={"SANIC_HOST": s.host},
        )
        server = Service(
            "assistant",
            [
                *rasa_server_command(),
                "run",
                # The HTTP API (`/model/parse`, `/conversations/<id>/tracker`, …) answers
                # only requests that carry the token (`?token=…`): without it anyone could
                # read anyone's conversation.
                "--enable-api",
                # one argument: a token may begin with "-" (token_urlsafe), which argparse
                # would take for an option
                f"--auth-token={self.api_token}",
                "--cors",
                *s.allowed_origins,
                "--interface",
                s.host,
                "--port",
                str(s.port),
                "--credentials",
                str(self.credentials_file),
                "--endpoints",
                str(self.endpoints_path),
                "-m",
                str(self.model),
            ],
            f"{s.base_url}/webhooks/rest/",
            self.log_dir / "rasa.log",
        )
        return [actions, server]

    def prepare(self) -> dict[str, str]:
        """Write endpoints.yml, credentials.yml and the API token; set `services` up to be
        started (or, in a container, one of them exec'd: `hukou-assistant serve`); return
        the servers' environment."""
        write_endpoints(self.settings, self.endpoints_path, VAR / "tracker.db")
        write_credentials(self.settings, self.credentials_file)
        self.api_token = self.settings.api_token or secrets.token_urlsafe(32)
        write_private(self.api_token_file, self.api_token + "\n")
        env = {**os.environ, **CHILD_ENV, **self.extra_env}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        # The socket.io channel checks the origin of each connection itself (--cors is
        # Sanic's, for HTTP routes only).
        env[ORIGINS_ENV] = " ".join(self.settings.allowed_origins)
        # The input guard counts the rate limit in the lock store's Redis (shared_rate).
        env.pop(LOCK_STORE_ENV, None)
        if self.settings.lock_store_url:
            env[LOCK_STORE_ENV] = self.settings.lock_store_url
        self.env = env
        self.services = self._services()
        return env

    def start(self, timeout: float = READY_TIMEOUT_S) -> None:
        """Start both servers and wait until they answer; raise RuntimeFailure if not."""
        if not self.model.exists():
            raise RuntimeFailure(f"no trained model at {self.model}: run `make train`")
        for port, what in (
            (self.settings.port, "PORT"),
            (self.settings.actions_port, "ACTIONS_PORT"),
        ):
            if port_in_use(port):
                raise RuntimeFailure(
                    f"port {port} is already in use: stop what runs there or set {what}"
                )
        started = time.monotonic()
        env = self.prepare()
        try:
            for service in self.services:
                say(f"starting the {service.name} (log: {_display(service.log_path)})")
                service.start(env)
            self._wait_ready(started + timeout)
        except BaseException:
            self.stop()
            raise
        self.cold_start_s = time.monotonic() - started
        say(f"ready in {self.cold_start_s:.1f} s")

    def _wait_ready(self, deadline: float) -> None:
        """Poll until every service answers; a service that exits first fails at once,
        with the end of its log, rather than at the deadline."""
        pending = list(self.services)
        while pending:
            for service in list(pending):
                if service.exited():
                    raise RuntimeFailure(
                        f"the {service.name} stopped while starting; last lines of "
                        f"{service.log_path}:\n{service.log_tail()}"
                    )
                if service.is_ready():
                    pending.remove(service)
            if pending and time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                raise RuntimeFailure(f"timed out waiting for the {names} to answer")
            if pending:
                time.sleep(0.5)

    def supervise(self) -> list[Service]:
        """Restart the servers that have exited, each after its backoff delay (call this
        every second or so while the assistant runs); returns those started again now."""
        now = time.monotonic()
        return [s for s in self.services if s.restart_if_crashed(self.env, now)]

    def stop(self) -> None:
        """Stop both servers; they shut down at the same time, so that stopping takes one
        grace period, not one per server."""
        for service in self.services:
            service.terminate()
        for service in reversed(self.services):
            service.stop()
        self.services = []

    def __enter__(self) -> Assistant:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _display(path: Path) -> str:
    """`path` relative to the project root when it is inside it (shorter messages)."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


class _Terminated(Exception):
    """Raised in the main thread on SIGTERM so that `finally` blocks stop the children."""


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM (and SIGHUP) into an exception for the duration of the block."""

    def handler(signum: int, frame: object) -> None:
        raise _Terminated(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    except _Terminated:
        say("terminated, stopping")
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
