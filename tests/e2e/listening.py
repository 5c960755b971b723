"""Which addresses a TCP port listens on, read from /proc/net/tcp (Linux)."""

from __future__ import annotations

import socket
import struct
from pathlib import Path

LISTEN = "0A"


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses with a socket listening on `port` (0.0.0.0: every interface)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state = fields[1], fields[3]
        address, port_hex = local.split(":")
        if state == LISTEN and int(port_hex, 16) == port:
            found.add(socket.inet_ntoa(struct.pack("<I", int(address, 16))))
    return found
