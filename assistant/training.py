"""Training the model only when its inputs changed.

The model at MODEL_PATH is recorded with a fingerprint of every file that changes it
(FINGERPRINT_PATH); training takes minutes, so `run` skips it when the fingerprint matches.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from assistant.nlu.sources import NLU_SOURCES, files_under, fingerprint
from assistant.paths import (
    CONFIG,
    DATA_DIRS,
    FINGERPRINT_PATH,
    MODEL_NAME,
    MODEL_PATH,
    MODELS,
    ROOT,
    domain_path,
)
from assistant.rasa_subprocess import CHILD_ENV, rasa_executable
from assistant.reporting import RuntimeFailure, say


def training_inputs() -> list[Path]:
    """Every file whose content changes the trained model (sorted, stable)."""
    return files_under([CONFIG, ROOT / "requirements.lock", domain_path(), *DATA_DIRS,
                        *NLU_SOURCES])


def model_is_current(current: str) -> bool:
    """Whether the model exists and was trained from inputs with fingerprint `current`."""
    return (
        MODEL_PATH.exists()
        and FINGERPRINT_PATH.exists()
        and FINGERPRINT_PATH.read_text(encoding="utf-8").strip() == current
    )


def _run_step(cmd: Sequence[str], what: str) -> None:
    """Run `cmd` from the project root with its output shown; RuntimeFailure if it fails."""
    env = {**os.environ, **CHILD_ENV}
    result = subprocess.run(list(cmd), cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        raise RuntimeFailure(f"{what} failed (exit {result.returncode}): {' '.join(cmd)}")


def generate_nlu_data() -> None:
    """Write nlu_data/generated/ from the policy data (`python -m assistant.nlu.generate`).

    It is part of the training data, so it is regenerated before the fingerprint is taken.
    """
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
