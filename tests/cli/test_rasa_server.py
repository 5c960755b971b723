"""`python -m assistant.rasa_server`: Rasa's command line, the collector off until the model
is loaded, jax never imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from assistant.paths import ROOT

# Rasa's command line replaced by one that loads "a model" through the listener the server
# registers, and reports what the launcher changed.
PROBE = textwrap.dedent(
    """
    import asyncio, gc, sys
    import rasa.__main__
    from rasa.core import run

    async def load_agent_on_start(*args, **kwargs):
        print("collector while loading:", gc.isenabled())
        if kwargs.get("fail"):
            raise RuntimeError("no model")

    def rasa_main():
        print("arguments:", sys.argv[1:])
        try:
            import jax
        except ImportError:
            print("jax: not importable")
        asyncio.run(run.load_agent_on_start("model", endpoints=None))
        print("collector after loading:", gc.isenabled())
        gc.disable()
        try:
            asyncio.run(run.load_agent_on_start("model", fail=True))
        except RuntimeError:
            print("collector after a failed load:", gc.isenabled())

    run.load_agent_on_start = load_agent_on_start
    rasa.__main__.main = rasa_main
    sys.argv = ["rasa", "run", "--port", "5005"]
    from assistant.rasa_server import main
    main()
    """
)


def test_the_collector_is_off_only_while_the_model_loads_and_jax_is_left_out() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.splitlines() == [
        "arguments: ['run', '--port', '5005']",
        "jax: not importable",
        "collector while loading: False",
        "collector after loading: True",
        "collector while loading: False",
        "collector after a failed load: True",
    ]
