"""`hukou-assistant`: run, chat with, ask, train the assistant; query the policy rules.

Rasa is never imported here: its commands run as subprocesses of this environment, so
`hukou-assistant policies …` and `--help` start quickly.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from assistant import training
from assistant.chat import ChatError, RestClient, interactive, render_messages
from assistant.network import is_status_ok
from assistant.reporting import RuntimeFailure, say
from assistant.settings import Settings, temporary_settings
from assistant.supervision import Assistant, stop_on_sigterm


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings.from_env(host=args.host, port=args.port)
    if is_status_ok(f"{settings.base_url}/webhooks/rest/"):
        raise RuntimeFailure(
            f"an assistant already answers at {settings.base_url}: use it (`make chat`) "
            "or set PORT/ACTIONS_PORT to start another one"
        )
    # Ctrl-C (SIGINT) stops everything even when this was started from a non-interactive
    # shell in the background, which starts its children with SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    training.train()
    with stop_on_sigterm(), Assistant(settings) as assistant:
        _print_where(settings, assistant.api_token_file)
        try:
            while True:
                assistant.supervise()  # a crashed server is restarted, not fatal
                time.sleep(1.0)
        except KeyboardInterrupt:
            say("stopping")
    return 0


def _print_where(settings: Settings, token_file: Path) -> None:
    base = settings.base_url
    print(
        "\n".join(
            [
                "",
                "hukou-assistant is running. Talk to it:",
                f"  browser    {base}/chat/   (the web widget; embed {base}/chat/widget.js)",
                f"  REST       POST {settings.rest_url}",
                '             {"sender": "me", "message": "我想在丹东落户"}',
                f"  socket.io  {base}/socket.io (events user_uttered / bot_uttered)",
                f"  NLU only   POST {base}/model/parse?token=TOKEN "
                f"(HUKOU_API_TOKEN, or the one made for this run in {token_file})",
                f"  terminal   make chat   (or: PORT={settings.port} hukou-assistant chat)",
                f"  actions    {settings.actions_url}/webhook",
                *_messaging_lines(settings),
                "Press Ctrl-C to stop.",
                "",
            ]
        ),
        flush=True,
    )


def _messaging_lines(settings: Settings) -> list[str]:
    """Where WeChat and WeCom call back, when their variables switch them on."""
    lines = []
    for name, config, label in (("wechat", settings.wechat, "WeChat"),
                                ("wecom", settings.wecom, "WeCom")):
        if config is not None:
            mode = "plaintext, compatible or safe mode" if config.aes_key else "plaintext mode"
            mode = "encrypted" if name == "wecom" else mode
            lines.append(f"  {label:<10} {settings.base_url}/webhooks/{name}/webhook "
                         f"({mode}; log: var/log/rasa.log, lines 'assistant.wechat')")
    return lines


@contextlib.contextmanager
def connected(settings: Settings) -> Iterator[str]:
    """The REST URL of a running assistant, starting a temporary one if none answers."""
    if is_status_ok(f"{settings.base_url}/webhooks/rest/"):
        yield settings.rest_url
        return
    say(f"no assistant answers at {settings.base_url}; starting a temporary one")
    training.train(retrain_stale=False)
    temporary = temporary_settings(settings)
    with tempfile.TemporaryDirectory(prefix="hukou-") as tmp, stop_on_sigterm():
        with Assistant(temporary, endpoints_path=Path(tmp) / "endpoints.yml", log_dir=Path(tmp)):
            yield temporary.rest_url


def cmd_chat(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    with connected(settings) as rest_url:
        interactive(RestClient(rest_url), as_json=args.json, lang=args.lang)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    with connected(settings) as rest_url:
        messages = RestClient(rest_url).send(args.question)
    if args.json:
        print(json.dumps(messages, ensure_ascii=False, indent=2))
    else:
        lines, _ = render_messages(messages)
        print("\n".join(lines or ["(no answer)"]))
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from assistant.feedback import format_entry, read_feedback
    from assistant.paths import VAR

    entries = read_feedback(Settings.from_env().tracker_store_url, VAR / "tracker.db")
    if not args.all:
        entries = [e for e in entries if e.get("rating") == "not_helpful"]
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("no answers rated not helpful" if not args.all else "no feedback yet")
    for entry in entries:
        print("\n".join(format_entry(entry)))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """One server in the foreground, in place of this process (a container's command): the
    platform restarts it, scales it and routes to it, so nothing here supervises it."""
    settings = Settings.from_env(host=args.host, port=args.port)
    assistant = Assistant(settings)
    if args.role == "assistant" and not assistant.model.exists():
        raise RuntimeFailure(f"no trained model at {assistant.model}: run `make train`")
    env = assistant.prepare()
    name = {"assistant": "assistant", "actions": "action server"}[args.role]
    service = next(s for s in assistant.services if s.name == name)
    say(f"serving the {name} on {settings.host}")
    os.execve(service.cmd[0], service.cmd, {**env, **service.env})


def cmd_train(args: argparse.Namespace) -> int:
    training.train(force=args.force, validate=not args.skip_validation)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hukou-assistant",
        description="Bilingual assistant for hukou (落户) policy in Liaoning and Shandong.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="train if needed, start the action server and assistant")
    run.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1)")
    run.add_argument(
        "--port", type=int, default=None, help="assistant port (default $PORT or 5005)"
    )
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser(
        "serve", help="run one server in the foreground (containers: one server each)"
    )
    serve.add_argument("role", choices=["assistant", "actions"])
    serve.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="assistant port ($PORT, 5005)")
    serve.set_defaults(func=cmd_serve)

    chat = sub.add_parser("chat", help="interactive chat in the terminal")
    chat.add_argument(
        "--lang", choices=["zh", "en"], default=None, help="language to start the conversation in"
    )
    chat.add_argument("--json", action="store_true", help="print the payloads too")
    chat.set_defaults(func=cmd_chat)

    ask = sub.add_parser("ask", help="ask one question, print the answer, exit")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the bot messages as JSON")
    ask.set_defaults(func=cmd_ask)

    feedback = sub.add_parser(
        "feedback", help="list the answers rated not helpful in the web widget"
    )
    feedback.add_argument("--all", action="store_true", help="helpful ratings too")
    feedback.add_argument("--json", action="store_true", help="print the ratings as JSON")
    feedback.set_defaults(func=cmd_feedback)

    train = sub.add_parser("train", help="train the model (skips when nothing changed)")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    train.add_argument(
        "--skip-validation",
        action="store_true",
        help="do not validate the domain and data first (they were just validated)",
    )
    train.set_defaults(func=cmd_train)

    from policies.cli import register

    register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (RuntimeFailure, ChatError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
