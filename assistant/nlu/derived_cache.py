"""Word lists derived from a large data file, kept in var/cache/ for the next start.

A list is stored under a name that includes a hash of everything it is derived from (the
source file's bytes and the derivation's parameters), so a changed source or parameter
derives it anew instead of reading a stale list. Writing is atomic (a temporary file
renamed); where var/ cannot be written, the list is derived at every start.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable

from assistant.paths import VAR

__all__ = ["CACHE", "cached_words"]

CACHE = VAR / "cache"


def cached_words(name: str, source: bytes, parameters: str,
                 derive: Callable[[bytes], Iterable[str]]) -> frozenset[str]:
    """The words `derive(source)` gives (words hold no line break), from the cache when
    it has them for this `source` and `parameters`."""
    digest = hashlib.sha256(source)
    digest.update(b"\0" + parameters.encode())
    path = CACHE / f"{name}-{digest.hexdigest()[:16]}.txt"
    with contextlib.suppress(OSError):
        return frozenset(path.read_text(encoding="utf-8").split("\n")) - {""}
    words = frozenset(derive(source))
    with contextlib.suppress(OSError):
        CACHE.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=CACHE, prefix=f".{name}-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("".join(f"{word}\n" for word in sorted(words)))
        os.replace(temporary, path)
    return words
