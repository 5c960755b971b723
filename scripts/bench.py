"""`make bench`: cold start, answer and NLU latency, throughput, memory, rules speed.

Starts a private assistant (free ports, throw-away SQLite tracker store) with the same code
as `hukou-assistant run`, measures it, stops it, prints the figures and writes
var/bench.json. Answers are measured over a realistic mix (single questions and
conversations of several turns, Chinese and English), one user at a time, then with 8 and
32 users at once; the NLU alone through `/model/parse` (with the API token). `--py-spy`
records where both servers spend their time during the first load phase.

Then the same figures for the production setup, under `production` in the JSON:
conversations in PostgreSQL (a throw-away database), locks and the rate limit in Redis,
one Rasa worker per core (`SANIC_WORKERS`, which Rasa allows with a Redis lock store).
Skipped, with the reason, when PostgreSQL or Redis does not answer (`--postgres`,
`--redis`), or with `--no-production`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg2
import redis
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


#: Conversations of several turns (one sender each), both languages, as people write them.
CONVERSATIONS = [
    ["我想在丹东落户", "有工作", "租的房子", "社保交了"],
    ["Can I settle in Fuxin?",
     "I have a steady job there, I rent an apartment and I pay social insurance"],
    ["我想把户口迁到新民", "我在那边有自己的房子"],
    ["I'd like to move my household registration to Benxi",
     "I have a job there, own an apartment and pay social insurance"],
    ["我在丹东有工作、租房、交社保，能落户吗", "那如果是在沈阳呢？"],
]


def sessions(n_turns: int) -> list[list[str]]:
    """A realistic mix of about `n_turns` turns: one-question sessions and conversations,
    alternating, each session a new sender."""
    mix: list[list[str]] = []
    turns = 0
    i = 0
    while turns < n_turns:
        session = CONVERSATIONS[i // 2 % len(CONVERSATIONS)] if i % 2 else [
            QUESTIONS[i // 2 % len(QUESTIONS)]
        ]
        mix.append(session)
        turns += len(session)
        i += 1
    return mix


def converse(url: str, turns: list[str]) -> list[tuple[float, bool]]:
    """The latency and success of each turn of one conversation."""
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    results = []
    with requests.Session() as session:
        for text in turns:
            def one(text: str = text) -> bool:
                response = session.post(url, json={"sender": sender, "message": text},
                                        timeout=120)
                return response.status_code == 200 and bool(response.json())
            results.append(timed(one))
    return results


def group_rss_mb(pgid: int) -> float:
    """Resident memory of a process group (a server and what it started), in MB."""
    total_kb = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, ValueError, IndexError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return round(total_kb / 1024, 1)


def load(url: str, concurrency: int, turns: int) -> dict[str, Any]:
    """`concurrency` users at once, each going through whole conversations."""
    mix = sessions(turns)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = [r for conv in pool.map(partial(converse, url), mix) for r in conv]
    elapsed = time.perf_counter() - started
    ms = [m for m, _ in results]
    c = concurrency
    return {
        f"c{c}_turns": len(results),
        f"c{c}_throughput_rps": round(len(results) / elapsed, 2),
        f"c{c}_answer_p50_ms": round(statistics.median(ms), 1),
        f"c{c}_answer_p95_ms": round(percentile(ms, 0.95), 1),
        f"c{c}_errors": sum(not ok for _, ok in results),
    }


def measure(
    settings: Settings, token: str, requests_n: int, concurrencies: list[int], total: int,
    on_load: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    session = requests.Session()
    for text in QUESTIONS[:3]:  # warm-up: first requests load lazy parts of the model
        ask(session, settings, text)
    answers = [r for conv in sessions(requests_n) for r in converse(settings.rest_url, conv)]
    texts = [t for conv in sessions(requests_n) for t in conv]
    parses = [timed(partial(parse, session, settings, token, t)) for t in texts]
    answer_ms = [ms for ms, _ in answers]
    parse_ms = [ms for ms, _ in parses]
    figures: dict[str, Any] = {
        "requests": len(answers),
        "answer_p50_ms": round(statistics.median(answer_ms), 1),
        "answer_p95_ms": round(percentile(answer_ms, 0.95), 1),
        "answer_max_ms": round(max(answer_ms), 1),
        "parse_p50_ms": round(statistics.median(parse_ms), 1),
        "parse_p95_ms": round(percentile(parse_ms, 0.95), 1),
        "answer_to_parse_p50": round(statistics.median(answer_ms) / statistics.median(parse_ms), 2),
        "answer_to_parse_p95": round(
            percentile(answer_ms, 0.95) / percentile(parse_ms, 0.95), 2
        ),
    }
    errors = sum(not ok for _, ok in answers + parses)
    for concurrency in concurrencies:
        if on_load is not None:
            on_load(concurrency)
        figures.update(load(settings.rest_url, concurrency, total * concurrency // 8))
        errors += figures[f"c{concurrency}_errors"]
    first = concurrencies[0]
    figures["concurrency"] = first
    figures["throughput_rps"] = figures[f"c{first}_throughput_rps"]
    figures["errors"] = errors
    return figures


class Profiler:
    """py-spy sampling both servers during the first load phase (raw collapsed stacks in
    var/profile_rasa.txt and var/profile_actions.txt; scripts/profile_summary.py reads
    them)."""

    def __init__(self, py_spy: str, assistant: Assistant) -> None:
        self.py_spy = py_spy
        self.assistant = assistant
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, concurrency: int) -> None:
        if self.running:
            return
        for service in self.assistant.services:
            if service.process is None:
                continue
            key = "rasa" if service.name == "assistant" else "actions"
            self.running.append(subprocess.Popen(
                [self.py_spy, "record", "--pid", str(service.process.pid), "--format", "raw",
                 "--rate", "200", "--subprocesses", "--nonblocking", "-o",
                 str(VAR / f"profile_{key}.txt")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))

    def stop(self) -> None:
        for process in self.running:
            process.send_signal(2)  # SIGINT: py-spy writes what it has
        for process in self.running:
            process.wait(timeout=60)


class Unavailable(Exception):
    """A service the production setup needs does not answer."""


@contextlib.contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """The URL of a new database on the PostgreSQL server of `url`, dropped afterwards."""
    try:
        admin = psycopg2.connect(url, connect_timeout=3)
    except psycopg2.Error as err:
        raise Unavailable(f"PostgreSQL at {urlsplit(url).hostname}: {err}".strip()) from err
    admin.autocommit = True
    database = f"hukou_bench_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{database}"')
    try:
        yield urlsplit(url)._replace(path=f"/{database}").geturl()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def check_redis(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as err:
        raise Unavailable(f"Redis at {urlsplit(url).hostname}: {err}") from err


def run_setup(settings: Settings, tmp: Path, args: argparse.Namespace,
              py_spy: str | None = None, extra_env: dict[str, str] | None = None
              ) -> dict[str, Any]:
    """Start an assistant with `settings`, measure it, stop it: its figures."""
    assistant = Assistant(settings, endpoints_path=tmp / "endpoints.yml", log_dir=tmp,
                          extra_env=extra_env or {})
    assistant.start()
    profiler = Profiler(py_spy, assistant) if py_spy else None
    try:
        figures = measure(
            settings, assistant.api_token, args.requests, args.concurrency, args.total,
            on_load=profiler.start if profiler else None,
        )
        for service in assistant.services:
            if service.process is not None:
                key = "rasa" if service.name == "assistant" else "actions"
                figures[f"memory_{key}_mb"] = group_rss_mb(service.process.pid)
    finally:
        if profiler:
            profiler.stop()
        assistant.stop()
    return {"cold_start_s": round(assistant.cold_start_s or float("nan"), 1), **figures}


def production_figures(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """The figures of the production setup, or why it was skipped."""
    try:
        check_redis(args.redis)
        with postgres_database(args.postgres) as database:
            settings = Settings(port=free_port(), actions_port=free_port(),
                                tracker_store_url=database, lock_store_url=args.redis)
            workers = {"SANIC_WORKERS": str(args.workers)}
            return {"rasa_workers": args.workers,
                    **run_setup(settings, tmp, args, extra_env=workers)}
    except Unavailable as err:
        return {"skipped": str(err)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60, help="sequential turns")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--total", type=int, default=160,
                        help="turns of the load phase at concurrency 8 (more at higher ones)")
    parser.add_argument("--py-spy", default=None, metavar="PATH",
                        help="py-spy executable: profile the Rasa server and the action "
                             "server during the first load phase of the embedded setup "
                             "(var/profile_*.txt)")
    parser.add_argument("--no-production", action="store_true",
                        help="measure the embedded setup only")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server of the production setup (a database is "
                             "created and dropped)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0",
                        help="Redis of the production setup")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="Rasa workers of the production setup (default: one per core)")
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
        embedded = run_setup(settings, Path(tmp) / "embedded", args, args.py_spy)
        production = (None if args.no_production
                      else production_figures(args, Path(tmp) / "production"))
    result: dict[str, Any] = {
        **embedded,
        "model_size_mb": round(MODEL_PATH.stat().st_size / 1e6, 1),
        "policies_import_ms": round(rules["import_ms"], 1),
        "policies_load_ms": round(rules["load_ms"], 1),
        "policies_evaluations_per_s": round(rules["evaluations_per_s"]),
        "cpus": os.cpu_count(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    if production is not None:
        result["production"] = production
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print_table(result)
    print(f"written to {args.out}")
    errors = result["errors"] + (production or {}).get("errors", 0)
    return 1 if errors else 0


def print_table(result: dict[str, Any]) -> None:
    """The embedded figures, and the production ones beside those they share."""
    production = result.get("production") or {}
    width = max(map(len, result))
    if production:
        title = ("production (skipped)" if "skipped" in production
                 else f"production ({production['rasa_workers']} workers)")
        print(f"{'':<{width}}  {'embedded':<12}  {title}")
    for key, value in result.items():
        if key != "production":
            print(f"{key:<{width}}  {value!s:<12}  {production.get(key, '')}".rstrip())
    if "skipped" in production:
        print(f"production skipped: {production['skipped']}")


if __name__ == "__main__":
    sys.exit(main())
