"""Shared fixtures of the policy tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policies import Rules, load_rules

SCHEMA = Path(__file__).resolve().parents[2] / "policies" / "schema" / "answer.schema.json"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


@pytest.fixture(scope="session")
def check_schema() -> Any:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))

    def check(answer: dict[str, Any]) -> None:
        errors = sorted(validator.iter_errors(answer), key=lambda e: list(e.path))
        assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors)

    return check
