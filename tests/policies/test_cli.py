"""`python -m policies.cli validate | export | check` through a subprocess."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from policies.cli import register
from policies.loader import DATA_DIR

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policies.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_validate_ok() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout and "rules_version" in result.stdout


def test_validate_broken_copy_fails_naming_file_and_key(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    offices = copy / "offices.yml"
    offices.write_text(offices.read_text(encoding="utf-8").replace(
        "  police_station:\n", "  police_station:\n    colour: blue\n", 1), encoding="utf-8")
    result = run("validate", "--data-dir", str(copy))
    assert result.returncode == 1
    assert "offices.yml: offices.police_station.colour: unknown key" in result.stderr


def test_check_json_prints_one_policy_answer(check_schema: Any) -> None:
    result = run("check", "--topic", "settlement_eligibility", "--fact", "city=dandong",
                 "--fact", "employment=true", "--fact", "residence=rented",
                 "--fact", "social_insurance=yes", "--lang", "en", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    check_schema(answer)
    assert answer["verdict"] == "eligible"
    assert answer["facts"]["social_insurance"] is True


def test_check_readable() -> None:
    result = run("check", "--topic", "settlement_eligibility", "--fact", "city=haicheng")
    assert result.returncode == 0, result.stderr
    assert "need_more_info" in result.stdout and "住所" in result.stdout


def test_check_number_fact_and_as_of() -> None:
    result = run("check", "--topic", "residence_permit", "--fact", "city=jinan",
                 "--fact", "residence_years=0.5", "--fact", "studying=true",
                 "--as-of", "2024-01-01", "--json")
    answer = json.loads(result.stdout)
    assert answer["verdict"] == "eligible" and answer["as_of"] == "2024-01-01"
    assert answer["facts"]["residence_years"] == 0.5


def test_check_rejects_bad_facts() -> None:
    result = run("check", "--topic", "settlement_eligibility", "--fact", "residence=castle")
    assert result.returncode == 2
    assert "owned, rented, none" in result.stderr
    assert run("check", "--topic", "settlement_eligibility", "--fact", "colour=red").returncode == 2


def test_export_json_holds_everything() -> None:
    result = run("export", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["documents"]) == {"liaoning-2015", "shandong-2020", "guofa-2014-25",
                                      "juzhuzheng-2015", "liaoning-2009"}
    clause = data["documents"]["liaoning-2015"]["clauses"]["5"]
    assert set(clause["text"]) == {"zh", "en"}
    assert len(data["doc_types"]) == 19
    place_ids = {p["id"] for p in data["places"]}
    assert {"dandong", "haicheng", "jinan", "beijing"} <= place_ids


def test_export_readable() -> None:
    result = run("export")
    assert result.returncode == 0
    assert "[liaoning-2015/5]" in result.stdout and "dandong" in result.stdout


def test_register_adds_the_policies_tree() -> None:
    parser = argparse.ArgumentParser(prog="hukou-assistant")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["policies", "check", "--topic", "hukou_type",
                              "--fact", "province=shandong", "--json"])
    assert args.command == "policies" and args.policies_command == "check"
    assert callable(args.func)
