"""Two assistant processes (each with its action server) on one PostgreSQL database and one
Redis lock store, as `HUKOU_TRACKER_STORE_URL` and `HUKOU_LOCK_STORE_URL` configure them.

200 conversations of three turns run at once, their turns alternating between the two
processes: each must end with its own verdict and place (a turn crossed into another
conversation, or read from a stale tracker, would change them), and each turn must be
stored once, in order, in PostgreSQL. Then one process is restarted in the middle of
conversations, which go on as if nothing happened. The per-sender rate limit is counted in
Redis, so a sender whose messages alternate between the processes gets no more than it.

The database is created with a unique name for the run and dropped afterwards. Without
PostgreSQL (`HUKOU_TEST_POSTGRES_URL`) or Redis (`HUKOU_TEST_REDIS_URL`) the tests are
skipped, or fail under HUKOU_E2E_REQUIRED (make test).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import psycopg2
import pytest
import redis
import requests

from assistant.hardening.limits import Limits
from assistant.hardening.shared_rate import PREFIX
from assistant.hardening.wording import reply
from assistant.network import free_port
from assistant.paths import MODEL_PATH
from assistant.settings import Settings
from assistant.supervision import Assistant
from tests.required import unavailable

from .client import policy_answers

POSTGRES_URL = os.environ.get("HUKOU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("HUKOU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CONVERSATIONS = 200


@dataclass(frozen=True)
class Script:
    """Three turns and what the last answer must say."""

    turns: tuple[str, str, str]
    verdict: str
    city: str
    lang: str


SCRIPTS = [
    Script(("你好", "我想把户口迁到新民", "我在那边有自己的房子"), "eligible", "xinmin", "zh"),
    Script(("Hello", "Can I settle in Fuxin?",
            "I have a steady job there, I rent an apartment and I pay social insurance"),
           "eligible", "fuxin", "en"),
    Script(("你好", "我在丹东有工作、租房、交社保，能落户吗", "那如果是在沈阳呢？"),
           "conditional", "shenyang", "zh"),
    Script(("你好", "想在葫芦岛落户", "我在葫芦岛有稳定工作，房子是租的，社保也一直交着"),
           "eligible", "huludao", "zh"),
]


def _unavailable(what: str) -> NoReturn:
    unavailable(f"{what} is not reachable: the scale-out tests need it")


def _admin() -> Any:
    parts = urlsplit(POSTGRES_URL)
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname=parts.path.lstrip("/") or "postgres", connect_timeout=5,
    )
    connection.autocommit = True
    return connection


@dataclass
class Cluster:
    database: str
    assistants: list[Assistant]

    def connect(self) -> Any:
        parts = urlsplit(POSTGRES_URL)
        return psycopg2.connect(host=parts.hostname, port=parts.port or 5432,
                                user=parts.username or "postgres", password=parts.password,
                                dbname=self.database)

    def send(self, index: int, sender: str, text: str) -> list[dict[str, Any]]:
        url = self.assistants[index % len(self.assistants)].settings.rest_url
        response = requests.post(url, json={"sender": sender, "message": text}, timeout=300)
        assert response.status_code == 200, (text, response.status_code, response.text)
        messages: list[dict[str, Any]] = response.json()
        return messages

    def stored_turns(self, senders: list[str]) -> dict[str, list[tuple[str, str]]]:
        """The user and bot events of each sender, in the order of the table's ids."""
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT sender_id, type_name, data FROM events WHERE sender_id = ANY(%s) "
                "AND type_name IN ('user', 'bot') ORDER BY id",
                (senders,),
            )
            rows = cursor.fetchall()
        stored: dict[str, list[tuple[str, str]]] = {s: [] for s in senders}
        for sender, kind, data in rows:
            stored[sender].append((kind, json.loads(data).get("text") or ""))
        return stored


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not MODEL_PATH.exists():
        _unavailable(f"the trained model {MODEL_PATH}")
    try:
        admin = _admin()
    except psycopg2.Error:
        _unavailable(f"PostgreSQL at {POSTGRES_URL}")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        admin.close()
        _unavailable(f"Redis at {REDIS_URL}")
    database = f"hukou_test_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{database}"')
    parts = urlsplit(POSTGRES_URL)
    tracker = (f"postgresql://{parts.username or 'postgres'}"
               f"{':' + parts.password if parts.password else ''}"
               f"@{parts.hostname}:{parts.port or 5432}/{database}")
    tmp = tmp_path_factory.mktemp("scale")
    assistants = [
        Assistant(
            Settings(port=free_port(), actions_port=free_port(), tracker_store_url=tracker,
                     lock_store_url=REDIS_URL),
            endpoints_path=tmp / name / "endpoints.yml", log_dir=tmp / name,
        )
        for name in ("a", "b")
    ]
    try:
        for assistant in assistants:  # one after the other: the first creates the tables
            assistant.start()
        yield Cluster(database, assistants)
    finally:
        for assistant in assistants:
            assistant.stop()
        _report_errors([a.log_dir for a in assistants])
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def _report_errors(log_dirs: list[Path]) -> None:
    for log_dir in log_dirs:
        for name in ("rasa.log", "actions.log"):
            path = log_dir / name
            if path.exists():
                text = path.read_text(encoding="utf-8", errors="replace")
                errors = [line for line in text.splitlines() if "Traceback" in line]
                if errors:
                    print(f"\n{path}: {len(errors)} tracebacks")


def check_answer(script: Script, messages: list[dict[str, Any]]) -> str | None:
    """What is wrong with the last turn's answer, or None."""
    answers = policy_answers(messages)
    if not answers:
        return f"no policy answer: {messages}"
    last = answers[-1]
    got = (last.get("verdict"), (last.get("jurisdiction") or {}).get("city"), last.get("lang"))
    if got != (script.verdict, script.city, script.lang):
        return f"expected {(script.verdict, script.city, script.lang)}, got {got}"
    return None


def test_concurrent_conversations_alternate_between_processes(cluster: Cluster) -> None:
    run = uuid.uuid4().hex[:8]
    senders = [f"scale-{run}-{i:03d}" for i in range(CONVERSATIONS)]

    def converse(i: int) -> str | None:
        script = SCRIPTS[i % len(SCRIPTS)]
        messages: list[dict[str, Any]] = []
        for turn, text in enumerate(script.turns):
            # conversation i starts on process i % 2 and then changes process every turn
            messages = cluster.send(i + turn, senders[i], text)
        return check_answer(script, messages)

    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        problems = list(pool.map(converse, range(CONVERSATIONS)))
    wrong = {senders[i]: p for i, p in enumerate(problems) if p}
    assert not wrong, f"{len(wrong)} of {CONVERSATIONS} wrong, e.g. {list(wrong.items())[:3]}"

    stored = cluster.stored_turns(senders)
    for i, sender in enumerate(senders):
        events = stored[sender]
        users = [text for kind, text in events if kind == "user"]
        assert users == list(SCRIPTS[i % len(SCRIPTS)].turns), (sender, events)
        # each user message answered before the next one: user, bot…, user, bot…, …
        kinds = [kind for kind, _ in events]
        assert kinds[0] == "user" and kinds[-1] == "bot", (sender, kinds)
        assert "user" not in {kinds[j + 1] for j in range(len(kinds) - 1) if kinds[j] == "user"}


def test_restart_loses_no_conversation(cluster: Cluster) -> None:
    """Conversations begun before a process restarts go on after it, on either process."""
    run = uuid.uuid4().hex[:8]
    senders = [f"restart-{run}-{i}" for i in range(len(SCRIPTS))]
    for i, script in enumerate(SCRIPTS):
        cluster.send(0, senders[i], script.turns[0])
        cluster.send(0, senders[i], script.turns[1])
    restarted = cluster.assistants[0]
    restarted.stop()
    restarted.start()
    for i, script in enumerate(SCRIPTS):
        problem = check_answer(script, cluster.send(i, senders[i], script.turns[2]))
        assert problem is None, (senders[i], problem)
    stored = cluster.stored_turns(senders)
    for i, sender in enumerate(senders):
        assert [t for k, t in stored[sender] if k == "user"] == list(SCRIPTS[i].turns)


def test_rate_limit_is_shared_by_the_processes(cluster: Cluster) -> None:
    """Each process alone sees about half the messages: only a shared count refuses."""
    sender = f"rate-{uuid.uuid4().hex[:8]}"
    limit = Limits().rate
    refused = reply("zh", "rate_limited")
    try:
        answers = [[m.get("text") for m in cluster.send(i, sender, "你好")]
                   for i in range(limit + 2)]
    finally:
        redis.Redis.from_url(REDIS_URL).delete(f"{PREFIX}:rest:{sender}")
    assert all(refused not in texts for texts in answers[:limit]), answers
    assert answers[limit:] == [[refused], [refused]]
