"""generate.py: lookup tables Rasa can read, deterministic, and no synonyms (the FactReader
alone types an entity's words)."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from assistant.nlu import generate


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
    assert data.entity_synonyms == {}


def test_output_is_deterministic(tmp_path: Path) -> None:
    first = [path.read_text(encoding="utf-8") for path in generate.generate(tmp_path / "a")]
    second = [path.read_text(encoding="utf-8") for path in generate.generate(tmp_path / "b")]
    assert first == second


def test_a_file_an_earlier_version_wrote_is_removed(tmp_path: Path) -> None:
    (tmp_path / "fact_values.yml").write_text("nlu: []\n", encoding="utf-8")
    generate.generate(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["places.yml"]


def test_command_line(tmp_path: Path) -> None:
    assert generate.main(["--out", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["places.yml"]
