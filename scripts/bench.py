"""`make bench`: cold start, answer and NLU latency, throughput, model size, rules speed.

Starts a private assistant (free ports, throw-away SQLite tracker store) with the same code
as `hukou-assistant run`, measures it, stops it, prints the figures and writes
var/bench.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import requests

from assistant.network import free_port
from assistant.paths import MODEL_PATH, ROOT, VAR
from assistant.settings import Settings
from assistant.supervision import Assistant

QUESTIONS = [
    "我在丹东有工作，租房，交社保，能落户吗？",
    "I work in Yingkou, rent a flat and pay social insurance. Can I settle there?",
    "沈阳积分落户怎么算",
    "Can I get a Dalian hukou through the talent policy?",
    "瓦房店买了房子可以落户吗",
    "What documents do I need to settle in Haicheng?",
    "山东户口迁移可以网上办吗",
    "I rent an apartment in Jinan. Can I register my hukou there?",
    "我想在北京落户",
    "城镇户口能迁回农村吗",
    "在青岛市南区买了房子能落户吗",
    "How do I get a residence permit in Weifang?",
]

RULES_BENCH = textwrap.dedent(
    """
    import json, time
    t0 = time.perf_counter()
    import policies
    t1 = time.perf_counter()
    policies.load_rules()
    t2 = time.perf_counter()
    cases = [
        ("settlement_eligibility", {"city": "dandong", "employment": True,
                                    "residence": "rented", "social_insurance": True}, "zh"),
        ("settlement_eligibility", {"city": "haicheng"}, "en"),
        ("talent_settlement", {"city": "dalian", "education": "university"}, "en"),
        ("urban_to_rural", {"province": "liaoning", "hukou_now": "urban",
                            "move_to": "rural"}, "zh"),
        ("settlement_eligibility", {"city": "qingdao", "residence": "owned"}, "zh"),
        ("settlement_eligibility", {"city": "beijing"}, "zh"),
    ]
    n = 0
    end = time.perf_counter() + 2.0
    while time.perf_counter() < end:
        for topic, facts, lang in cases:
            policies.evaluate(topic, facts, lang)
            n += 1
    elapsed = 2.0 + (time.perf_counter() - end)
    print(json.dumps({"import_ms": (t1 - t0) * 1000, "load_ms": (t2 - t1) * 1000,
                      "evaluations_per_s": n / elapsed}))
    """
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(call: Callable[[], bool]) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        ok = call()
    except requests.RequestException:
        ok = False
    return (time.perf_counter() - started) * 1000, ok


def ask(session: requests.Session, settings: Settings, text: str) -> bool:
    response = session.post(
        settings.rest_url,
        json={"sender": f"bench-{uuid.uuid4().hex[:10]}", "message": text},
        timeout=120,
    )
    return response.status_code == 200 and bool(response.json())


def parse(session: requests.Session, settings: Settings, token: str, text: str) -> bool:
    response = session.post(
        f"{settings.base_url}/model/parse", params={"token": token}, json={"text": text},
        timeout=60,
    )
    return response.status_code == 200 and "intent" in response.json()


def rules_figures() -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", RULES_BENCH],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def measure(
    settings: Settings, token: str, requests_n: int, concurrency: int, total: int
) -> dict[str, Any]:
    session = requests.Session()
    for text in QUESTIONS[:3]:  # warm-up: first requests load lazy parts of the model
        ask(session, settings, text)
    texts = [QUESTIONS[i % len(QUESTIONS)] for i in range(requests_n)]
    answers = [timed(partial(ask, session, settings, t)) for t in texts]
    parses = [timed(partial(parse, session, settings, token, t)) for t in texts]

    def one(i: int) -> tuple[float, bool]:
        with requests.Session() as own:
            return timed(partial(ask, own, settings, QUESTIONS[i % len(QUESTIONS)]))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        loaded = list(pool.map(one, range(total)))
    elapsed = time.perf_counter() - started
    answer_ms = [ms for ms, _ in answers]
    parse_ms = [ms for ms, _ in parses]
    loaded_ms = [ms for ms, _ in loaded]
    return {
        "requests": requests_n,
        "answer_p50_ms": round(statistics.median(answer_ms), 1),
        "answer_p95_ms": round(percentile(answer_ms, 0.95), 1),
        "answer_max_ms": round(max(answer_ms), 1),
        "parse_p50_ms": round(statistics.median(parse_ms), 1),
        "parse_p95_ms": round(percentile(parse_ms, 0.95), 1),
        "concurrency": concurrency,
        "throughput_requests": total,
        "throughput_rps": round(total / elapsed, 2),
        "loaded_p50_ms": round(statistics.median(loaded_ms), 1),
        "loaded_p95_ms": round(percentile(loaded_ms, 0.95), 1),
        "errors": sum(not ok for _, ok in answers + parses + loaded),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60, help="sequential requests")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--total", type=int, default=160, help="requests in the load phase")
    parser.add_argument("--out", type=Path, default=VAR / "bench.json")
    args = parser.parse_args(argv)

    if not MODEL_PATH.exists():
        print(f"error: no model at {MODEL_PATH}: run `make train`", file=sys.stderr)
        return 1
    rules = rules_figures()
    with tempfile.TemporaryDirectory(prefix="hukou-bench-") as tmp:
        settings = Settings(
            port=free_port(),
            actions_port=free_port(),
            tracker_store_url=f"sqlite:///{Path(tmp) / 'tracker.db'}",
        )
        assistant = Assistant(
            settings, endpoints_path=Path(tmp) / "endpoints.yml", log_dir=Path(tmp)
        )
        assistant.start()
        try:
            figures = measure(
                settings, assistant.api_token, args.requests, args.concurrency, args.total
            )
        finally:
            assistant.stop()
    result = {
        "cold_start_s": round(assistant.cold_start_s or float("nan"), 1),
        **figures,
        "model_size_mb": round(MODEL_PATH.stat().st_size / 1e6, 1),
        "policies_import_ms": round(rules["import_ms"], 1),
        "policies_load_ms": round(rules["load_ms"], 1),
        "policies_evaluations_per_s": round(rules["evaluations_per_s"]),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    print(f"written to {args.out}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
