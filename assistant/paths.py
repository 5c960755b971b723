"""Where the project keeps what the assistant is trained from and runs with.

Paths are absolute, taken from this file's place in the repository, so that commands work
from any working directory; Rasa itself is always run with the project root as its working
directory.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Generated files of a local run: endpoints.yml, the SQLite tracker store, logs, reports.
VAR = ROOT / "var"
MODELS = ROOT / "models"
#: A fixed name (`rasa train --fixed-model-name`) so that every command finds the one model.
MODEL_NAME = "hukou"
MODEL_PATH = MODELS / f"{MODEL_NAME}.tar.gz"
#: The fingerprint of the training inputs the model at MODEL_PATH was trained from.
FINGERPRINT_PATH = MODELS / f".{MODEL_NAME}.fingerprint"
CONFIG = ROOT / "assistant" / "config.yml"
CREDENTIALS = ROOT / "assistant" / "credentials.yml"
#: The training data (nlu_data/test/ is held out: never trained on).
DATA_DIRS = [ROOT / "nlu_data" / d for d in ("nlu", "generated", "rules", "stories")]


def domain_path() -> Path:
    """The domain: the directory assistant/domain/ when there is one, else domain.yml."""
    directory = ROOT / "assistant" / "domain"
    return directory if directory.is_dir() else ROOT / "assistant" / "domain.yml"


def write_private(path: Path, text: str) -> Path:
    """Write `text` to `path`, readable by its owner only (secrets, passwords, tokens)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return path
