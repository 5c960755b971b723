"""Running the assistant: settings from the environment, endpoints, training, processes.

Everything here uses the standard library only, so that `hukou-assistant policies …` and
`--help` stay fast: Rasa is always started as a subprocess of the project's environment.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
MODELS = ROOT / "models"
MODEL_NAME = "hukou"
MODEL_PATH = MODELS / f"{MODEL_NAME}.tar.gz"
FINGERPRINT_PATH = MODELS / f".{MODEL_NAME}.fingerprint"
CONFIG = ROOT / "assistant" / "config.yml"
CREDENTIALS = ROOT / "assistant" / "credentials.yml"
DATA_DIRS = [ROOT / "nlu_data" / d for d in ("nlu", "generated", "rules", "stories")]

DEFAULT_PORT = 5005
DEFAULT_ACTIONS_PORT = 5055
READY_TIMEOUT_S = 600.0

#: Environment every Rasa child gets: no telemetry prompt or network calls, quiet TF.
CHILD_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONUNBUFFERED": "1",
}


class RuntimeFailure(RuntimeError):
    """A step of training or starting the assistant failed; the message says what to do."""


def say(message: str) -> None:
    """Progress message on stderr (stdout is kept for answers and JSON)."""
    print(f"==> {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """Where the assistant listens and where it keeps conversations."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    actions_port: int = DEFAULT_ACTIONS_PORT
    tracker_store_url: str | None = None
    lock_store_url: str | None = None
    allowed_origins: tuple[str, ...] = ("*",)

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
    ) -> Settings:
        env = os.environ if env is None else env
        origins = tuple(env.get("HUKOU_ALLOWED_ORIGINS", "").replace(",", " ").split()) or ("*",)
        return cls(
            host=host or "127.0.0.1",
            port=port if port is not None else _env_port(env, "PORT", DEFAULT_PORT),
            actions_port=_env_port(env, "ACTIONS_PORT", DEFAULT_ACTIONS_PORT),
            tracker_store_url=env.get("HUKOU_TRACKER_STORE_URL") or None,
            lock_store_url=env.get("HUKOU_LOCK_STORE_URL") or None,
            allowed_origins=origins,
        )

    @property
    def local_host(self) -> str:
        """The address clients on this machine use (0.0.0.0 is not connectable)."""
        return "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host

    @property
    def base_url(self) -> str:
        return f"http://{self.local_host}:{self.port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"


def _env_port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise RuntimeFailure(f"{name}={raw!r} is not a port number (1-65535)")
    return int(raw)


# -------------------------------------------------------------------------- endpoints


def tracker_store_config(url: str | None, default_db: Path) -> dict[str, Any]:
    """Rasa SQL tracker store settings for `HUKOU_TRACKER_STORE_URL`.

    `sqlite:///relative/path` and `sqlite:////absolute/path` follow SQLAlchemy's
    convention; relative paths are taken from the project root (Rasa's working directory).
    """
    if not url:
        return {"type": "SQL", "dialect": "sqlite", "db": str(default_db)}
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0].lower()
    if scheme == "sqlite":
        raw = url.split(":///", 1)[1] if ":///" in url else ""
        if not raw:
            raise RuntimeFailure(
                f"HUKOU_TRACKER_STORE_URL={url!r}: expected sqlite:///path/to/file.db"
            )
        path = Path(unquote(raw))
        return {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str(path if path.is_absolute() else ROOT / path),
        }
    if scheme in ("postgresql", "postgres"):
        db = parts.path.lstrip("/")
        if not parts.hostname or not db:
            raise RuntimeFailure(
                f"HUKOU_TRACKER_STORE_URL: expected postgresql://user:pass@host:port/db, "
                f"got {_redact(url)!r}"
            )
        config: dict[str, Any] = {
            "type": "SQL",
            "dialect": "postgresql",
            "url": parts.hostname,
            "port": parts.port or 5432,
            "db": unquote(db),
        }
        if parts.username:
            config["username"] = unquote(parts.username)
        if parts.password:
            config["password"] = unquote(parts.password)
        if parts.query:
            config["query"] = dict(parse_qsl(parts.query))
        return config
    raise RuntimeFailure(
        f"HUKOU_TRACKER_STORE_URL: unsupported scheme {parts.scheme!r} "
        "(use sqlite:///path or postgresql://user:pass@host:port/db)"
    )


def lock_store_config(url: str | None) -> dict[str, Any] | None:
    """Rasa Redis lock store settings for `HUKOU_LOCK_STORE_URL` (None: in-memory)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise RuntimeFailure(
            f"HUKOU_LOCK_STORE_URL: expected redis://[:password@]host:port/db, got {_redact(url)!r}"
        )
    db = parts.path.lstrip("/")
    if db and not db.isdigit():
        raise RuntimeFailure(f"HUKOU_LOCK_STORE_URL: database {db!r} is not a number")
    config: dict[str, Any] = {
        "type": "redis",
        "url": parts.hostname,
        "port": parts.port or 6379,
        "db": int(db or 0),
    }
    if parts.username:
        config["username"] = unquote(parts.username)
    if parts.password:
        config["password"] = unquote(parts.password)
    if parts.scheme == "rediss":
        config["use_ssl"] = True
    return config


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def endpoints_config(settings: Settings, default_db: Path) -> dict[str, Any]:
    config: dict[str, Any] = {
        "action_endpoint": {"url": f"{settings.actions_url}/webhook"},
        "tracker_store": tracker_store_config(settings.tracker_store_url, default_db),
    }
    lock = lock_store_config(settings.lock_store_url)
    if lock:
        config["lock_store"] = lock
    return config


def write_endpoints(settings: Settings, path: Path, default_db: Path | None = None) -> Path:
    """Write Rasa's endpoints.yml for `settings` (it may hold a password: mode 0600)."""
    config = endpoints_config(settings, default_db or path.parent / "tracker.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = config["tracker_store"]
    if db["dialect"] == "sqlite":
        Path(db["db"]).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("# Generated by hukou-assistant from the environment; do not edit.\n")
        yaml.safe_dump(config, out, sort_keys=False, allow_unicode=True)
    return path


# --------------------------------------------------------------------------- training


def rasa_executable() -> str:
    """The `rasa` script of the environment this program runs in."""
    candidate = Path(sys.executable).parent / "rasa"
    if candidate.exists():
        return str(candidate)
    raise RuntimeFailure(f"rasa not found next to {sys.executable}: run `make setup` first")


def domain_path() -> Path:
    directory = ROOT / "assistant" / "domain"
    return directory if directory.is_dir() else ROOT / "assistant" / "domain.yml"


def training_inputs() -> list[Path]:
    """Every file whose content changes the trained model (sorted, stable)."""
    files: list[Path] = [CONFIG, ROOT / "requirements.lock"]
    # The tokenizer's jieba dictionary is built from these policy files (policies.vocabulary).
    policy_vocabulary = [
        ROOT / "policies" / "data" / n for n in ("places", "glossary.yml", "doc_types.yml")
    ]
    roots = [domain_path(), *DATA_DIRS, ROOT / "assistant" / "nlu", *policy_vocabulary]
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(
                p
                for p in root.rglob("*")
                if p.is_file() and p.suffix in (".yml", ".yaml", ".py", ".txt", ".json")
            )
    return sorted(set(files))


def fingerprint(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def model_is_current(current: str) -> bool:
    return (
        MODEL_PATH.exists()
        and FINGERPRINT_PATH.exists()
        and FINGERPRINT_PATH.read_text(encoding="utf-8").strip() == current
    )


def _run_step(cmd: Sequence[str], what: str) -> None:
    env = {**os.environ, **CHILD_ENV}
    result = subprocess.run(list(cmd), cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        raise RuntimeFailure(f"{what} failed (exit {result.returncode}): {' '.join(cmd)}")


def generate_nlu_data() -> None:
    _run_step([sys.executable, "-m", "assistant.nlu.generate"], "generating NLU data")


def train(force: bool = False, retrain_stale: bool = True, validate: bool = True) -> Path:
    """Generate data, then train unless the model already matches every input.

    With `validate=False` Rasa's check of the domain and data before training (about 45 s)
    is skipped: for a caller that has just run `rasa data validate` (`make test`).

    With `retrain_stale=False` an existing but outdated model is used as it is (with a
    warning): `chat` and `ask` should answer now, not after minutes of training.
    """
    for required in (CONFIG, domain_path()):
        if not required.exists():
            raise RuntimeFailure(f"{required.relative_to(ROOT)} is missing: cannot train")
    generate_nlu_data()
    current = fingerprint(training_inputs())
    if not force and model_is_current(current):
        say(f"model is up to date ({MODEL_PATH.relative_to(ROOT)}), skipping training")
        return MODEL_PATH
    if not force and not retrain_stale and MODEL_PATH.exists():
        say("the model is older than its training data; using it (`make train` updates it)")
        return MODEL_PATH
    say("training the model (this takes a few minutes)")
    started = time.monotonic()
    data = [str(d.relative_to(ROOT)) for d in DATA_DIRS if d.exists()]
    cmd = [
        rasa_executable(),
        "train",
        "--config",
        str(CONFIG.relative_to(ROOT)),
        "--domain",
        str(domain_path().relative_to(ROOT)),
        "--data",
        *data,
        "--out",
        str(MODELS.relative_to(ROOT)),
        "--fixed-model-name",
        MODEL_NAME,
    ]
    if force:
        cmd.append("--force")
    if not validate:
        cmd.append("--skip-validation")
    _run_step(cmd, "rasa train")
    if not MODEL_PATH.exists():
        raise RuntimeFailure(f"rasa train finished but {MODEL_PATH} was not written")
    FINGERPRINT_PATH.write_text(current + "\n", encoding="utf-8")
    say(f"model trained in {time.monotonic() - started:.0f} s: {MODEL_PATH.relative_to(ROOT)}")
    return MODEL_PATH


# -------------------------------------------------------------------------- processes


def http_json(url: str, timeout: float = 2.0) -> Any:
    """GET `url` and decode JSON; None when nothing (valid) answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError):
        return None


def is_status_ok(url: str, timeout: float = 2.0) -> bool:
    body = http_json(url, timeout)
    return isinstance(body, dict) and body.get("status") == "ok"


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    process: subprocess.Popen[bytes] | None = None
    _log: TextIO | None = field(default=None, repr=False)

    def start(self, env: Mapping[str, str]) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def is_ready(self) -> bool:
        return is_status_ok(self.ready_url)

    def log_tail(self, lines: int = 30) -> str:
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

    def _services(self) -> list[Service]:
        s = self.settings
        rasa = rasa_executable()
        actions = Service(
            "action server",
            [rasa, "run", "actions", "--actions", "actions", "--port", str(s.actions_port)],
            f"{s.actions_url}/health",
            self.log_dir / "actions.log",
        )
        server = Service(
            "assistant",
            [
                rasa,
                "run",
                "--enable-api",
                "--cors",
                *s.allowed_origins,
                "--interface",
                s.host,
                "--port",
                str(s.port),
                "--credentials",
                str(CREDENTIALS),
                "--endpoints",
                str(self.endpoints_path),
                "-m",
                str(self.model),
            ],
            f"{s.base_url}/webhooks/rest/",
            self.log_dir / "rasa.log",
        )
        return [actions, server]

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
        write_endpoints(self.settings, self.endpoints_path, VAR / "tracker.db")
        started = time.monotonic()
        env = {**os.environ, **CHILD_ENV}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.services = self._services()
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

    def check_alive(self) -> None:
        for service in self.services:
            if service.exited():
                raise RuntimeFailure(
                    f"the {service.name} stopped unexpectedly; last lines of "
                    f"{service.log_path}:\n{service.log_tail()}"
                )

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


def temporary_settings(base: Settings) -> Settings:
    """Settings for a short-lived assistant on free ports (for `chat` / `ask`)."""
    return Settings(
        host="127.0.0.1",
        port=free_port(),
        actions_port=free_port(),
        tracker_store_url=base.tracker_store_url,
        lock_store_url=base.lock_store_url,
        allowed_origins=base.allowed_origins,
    )
