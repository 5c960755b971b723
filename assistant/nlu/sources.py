"""The files the NLU components read besides their training data and configuration: their
own code and word lists, and the policy vocabulary the jieba dictionary is built from.

Rasa keys its training cache on a component's class source, configuration and inputs only,
so after an edited word list (fact_values.yml, a place name) it would restore components
trained on the old words. The tokenizer, which every other component depends on, adds the
fingerprint of these files to its cache key (`BilingualTokenizer.fingerprint_addon`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from assistant.paths import ROOT

__all__ = ["NLU_SOURCES", "files_under", "fingerprint", "nlu_sources_fingerprint"]

#: the NLU's code and word lists, and the policy files of the jieba dictionary
#: (policies.vocabulary)
NLU_SOURCES = (ROOT / "assistant" / "nlu",
               *(ROOT / "policies" / "data" / name
                 for name in ("places", "glossary.yml", "doc_types.yml")))
_SUFFIXES = (".yml", ".yaml", ".py", ".txt", ".json")


def files_under(roots: Iterable[Path]) -> list[Path]:
    """The files of `roots` (files, or folders searched through) that can hold code or
    data, sorted."""
    files: set[Path] = set()
    for root in roots:
        if root.is_file():
            files.add(root)
        elif root.is_dir():
            files.update(p for p in root.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
    return sorted(files)


def fingerprint(paths: Sequence[Path]) -> str:
    """SHA-256 over the paths (relative to ROOT) and contents of `paths`, in their order.

    The names count too, so that moving or renaming a file retrains; a missing file counts
    as a fixed marker rather than an error.
    """
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


@cache
def nlu_sources_fingerprint() -> str:
    """The fingerprint of the files of `NLU_SOURCES`."""
    return fingerprint(files_under(NLU_SOURCES))
