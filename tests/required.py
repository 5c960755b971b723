"""What a test does when a part it needs is missing (a trained model, PostgreSQL, Redis,
Chromium): it fails under `make test`, which sets HUKOU_E2E_REQUIRED and must run it all,
and is skipped elsewhere."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(message: str) -> NoReturn:
    if os.environ.get("HUKOU_E2E_REQUIRED"):
        pytest.fail(message)
    pytest.skip(message)
