"""Local network probes: free ports, whether a port is taken, whether a server answers."""

from __future__ import annotations

import json
import socket
import urllib.request
from typing import Any


def http_json(url: str, timeout: float = 2.0) -> Any:
    """GET `url` and decode JSON; None when nothing (valid) answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError):
        return None


def is_status_ok(url: str, timeout: float = 2.0) -> bool:
    """Whether `url` answers `{"status": "ok"}`, as the health URLs of Rasa and rasa-sdk do."""
    body = http_json(url, timeout)
    return isinstance(body, dict) and body.get("status") == "ok"


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts connections on `port` (checked before starting a server,
    so that a taken port is a clear error, not a crash in the server's log)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    """A port that is free now, chosen by the system (for a private, short-lived server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
