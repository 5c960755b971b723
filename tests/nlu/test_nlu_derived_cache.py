"""Derived word lists kept in var/cache/: read back as derived, derived anew when what they
come from changes, and derived anyway where nothing can be written."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.nlu import derived_cache, spelling


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(derived_cache, "CACHE", tmp_path / "cache")
    return tmp_path / "cache"


def test_a_list_is_derived_once_for_its_source_and_parameters(cache: Path) -> None:
    calls: list[bytes] = []

    def derive(source: bytes) -> list[str]:
        calls.append(source)
        return source.decode().split()

    first = derived_cache.cached_words("words", b"b a c", "1", derive)
    again = derived_cache.cached_words("words", b"b a c", "1", derive)
    assert first == again == {"a", "b", "c"} and len(calls) == 1
    assert derived_cache.cached_words("words", b"b a d", "1", derive) == {"a", "b", "d"}
    assert derived_cache.cached_words("words", b"b a c", "2", derive) == {"a", "b", "c"}
    assert len(calls) == 3
    assert derived_cache.cached_words("empty", b"", "1", derive) == frozenset()
    assert derived_cache.cached_words("empty", b"", "1", derive) == frozenset()
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no temporary files


def test_a_list_is_derived_where_the_cache_cannot_be_written(cache: Path) -> None:
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("a file, not a directory", encoding="utf-8")
    assert derived_cache.cached_words("words", b"x y", "1", lambda s: s.decode().split()) \
        == {"x", "y"}


def test_the_cached_english_words_are_those_of_the_lexicon(cache: Path) -> None:
    spelling.known_words.cache_clear()
    try:
        derived = spelling.known_words()
        spelling.known_words.cache_clear()
        assert spelling.known_words() == derived
        assert "least" in derived and "socail" not in derived
    finally:
        spelling.known_words.cache_clear()
