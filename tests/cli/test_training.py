"""The training fingerprint: what it covers and that it follows the content of the files."""

from __future__ import annotations

from pathlib import Path

from assistant.paths import ROOT
from assistant.training import fingerprint, training_inputs


def test_fingerprint_follows_content(tmp_path: Path) -> None:
    a = ROOT / "var" / "test-fingerprint.yml"
    a.parent.mkdir(exist_ok=True)
    try:
        a.write_text("x: 1\n")
        first = fingerprint([a])
        assert fingerprint([a]) == first
        a.write_text("x: 2\n")
        assert fingerprint([a]) != first
    finally:
        a.unlink()


def test_training_inputs_cover_config_domain_and_data() -> None:
    inputs = {p.relative_to(ROOT).as_posix() for p in training_inputs()}
    assert "assistant/config.yml" in inputs
    assert any(p.startswith("nlu_data/") for p in inputs)
    assert any(p.startswith("assistant/domain") for p in inputs)
    assert not any(p.startswith("nlu_data/test/") for p in inputs)
