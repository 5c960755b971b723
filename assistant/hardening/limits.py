"""The limits of the input guard, from the environment of the Rasa server, and the rate
limiter they configure.

| variable | meaning | default |
|---|---|---|
| `HUKOU_MAX_MESSAGE_CHARS` | longest message answered; a longer one gets a polite reply | 2000 |
| `HUKOU_RATE_LIMIT` | messages per sender and window, `N/SECONDS` (`0`: no limit) | `30/60` |
| `HUKOU_ACTION_TIMEOUT_S` | seconds to wait for the action server before apologising | 10 |

The rate is counted in Redis when `HUKOU_LOCK_STORE_URL` names one, so that every process
of the assistant shares it (assistant.hardening.shared_rate); otherwise by `RateLimiter`,
per process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.reporting import RuntimeFailure

DEFAULT_MAX_CHARS = 2000
DEFAULT_RATE = "30/60"
DEFAULT_ACTION_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Limits:
    max_chars: int = DEFAULT_MAX_CHARS
    #: messages per `window_s` and sender; 0 switches the limit off
    rate: int = 30
    window_s: float = 60.0
    action_timeout_s: float = DEFAULT_ACTION_TIMEOUT_S

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env
        raw_chars = env.get("HUKOU_MAX_MESSAGE_CHARS", "").strip() or str(DEFAULT_MAX_CHARS)
        if not raw_chars.isdigit() or int(raw_chars) < 1:
            raise RuntimeFailure(f"HUKOU_MAX_MESSAGE_CHARS={raw_chars!r}: expected a number > 0")
        raw_rate = env.get("HUKOU_RATE_LIMIT", "").strip() or DEFAULT_RATE
        rate, window = _rate(raw_rate)
        raw_timeout = env.get("HUKOU_ACTION_TIMEOUT_S", "").strip()
        try:
            timeout = float(raw_timeout) if raw_timeout else DEFAULT_ACTION_TIMEOUT_S
        except ValueError:
            timeout = -1.0
        if timeout <= 0:
            raise RuntimeFailure(f"HUKOU_ACTION_TIMEOUT_S={raw_timeout!r}: expected seconds > 0")
        return cls(int(raw_chars), rate, window, timeout)


def _rate(raw: str) -> tuple[int, float]:
    if raw == "0":
        return 0, 60.0
    count, _, window = raw.partition("/")
    try:
        parsed = int(count), float(window)
    except ValueError:
        parsed = (0, 0.0)
    if parsed[0] < 1 or parsed[1] <= 0:
        raise RuntimeFailure(f"HUKOU_RATE_LIMIT={raw!r}: expected N/SECONDS, e.g. 30/60, or 0")
    return parsed


class RateLimiter:
    """At most `rate` messages per sender in any `window_s` seconds (a sliding window).

    Memory is bounded: the times of a sender are at most `rate` long, and once
    `max_senders` are tracked the senders silent for a whole window are dropped, or, when
    none is, the one tracked longest (a flood of new sender ids cannot grow it).
    """

    def __init__(self, rate: int, window_s: float, max_senders: int = 100_000) -> None:
        self.rate = rate
        self.window_s = window_s
        self.max_senders = max_senders
        self._seen: dict[str, deque[float]] = {}

    def allow(self, sender: str, now: float) -> bool:
        """Count a message of `sender` at `now`; False when it is over the limit."""
        if self.rate <= 0:
            return True
        times = self._seen.get(sender)
        if times is None:
            if len(self._seen) >= self.max_senders:
                self._forget_idle(now)
            if len(self._seen) >= self.max_senders:
                del self._seen[next(iter(self._seen))]
            times = self._seen[sender] = deque(maxlen=self.rate)
        while times and now - times[0] >= self.window_s:
            times.popleft()
        if len(times) >= self.rate:
            return False
        times.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        idle = [s for s, t in self._seen.items() if not t or now - t[-1] >= self.window_s]
        for sender in idle:
            del self._seen[sender]
