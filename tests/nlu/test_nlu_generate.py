"""generate.py: lookup tables and synonyms Rasa can read, deterministic, unambiguous."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from assistant.nlu import generate
from assistant.nlu.facts import fact_keywords


def test_generated_files_load_in_rasa(tmp_path: Path) -> None:
    generate.generate(tmp_path)
    data = load_data(str(tmp_path))
    tables = {table["name"]: table["elements"] for table in data.lookup_tables}
    assert {"瓦房店", "瓦房店市", "wafangdian", "大連"} <= set(tables["city"])
    assert {"辽宁", "山东", "liaoning", "遼寧"} <= set(tables["province"])
    assert not {"liaoning", "辽宁"} & set(tables["city"])
    assert all(len(name) >= 2 for name in tables["city"])
    # ambiguous names are place mentions (the assistant asks which place), never synonyms
    assert {"东港", "铁西", "鐵西", "donggang"} <= set(tables["city"])
    synonyms = data.entity_synonyms
    assert synonyms["大連"] == "dalian"
    assert synonyms["wafangdian city"] == "wafangdian"
    assert synonyms["北京朝阳区"] == "beijingchaoyang"
    assert synonyms["租的"] == "rented"
    assert synonyms["没交社保"] == "false"
    assert synonyms["英文"] == "en"
    assert not {"东港", "铁西", "donggang"} & synonyms.keys()


def test_output_is_deterministic(tmp_path: Path) -> None:
    first = [path.read_text(encoding="utf-8") for path in generate.generate(tmp_path / "a")]
    second = [path.read_text(encoding="utf-8") for path in generate.generate(tmp_path / "b")]
    assert first == second


def test_keywords_are_unambiguous_synonyms() -> None:
    synonyms = generate.fact_value_synonyms()
    places = generate.place_synonyms()
    assert not {k for k in synonyms.keys() & places.keys() if synonyms[k] != places[k]}
    assert len(synonyms) <= sum(1 for _ in fact_keywords().all_keywords())


def test_command_line(tmp_path: Path) -> None:
    assert generate.main(["--out", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fact_values.yml", "places.yml"]
