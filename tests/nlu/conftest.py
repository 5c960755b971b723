"""Fixtures of the NLU tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.tokenizer import BilingualTokenizer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "rasa_training: trains a tiny Rasa model (about a minute; part of make test)"
    )


@pytest.fixture(scope="session")
def tokenizer() -> BilingualTokenizer:
    return BilingualTokenizer(BilingualTokenizer.get_default_config())


@pytest.fixture(scope="session")
def tokenize(tokenizer: BilingualTokenizer) -> Callable[[str], list[Token]]:
    """Process a text as Rasa does at parse time and return its tokens."""

    def run(text: str) -> list[Token]:
        [message] = tokenizer.process([Message(data={TEXT: text})])
        tokens: list[Token] = message.get("text_tokens") or []
        return tokens

    return run
