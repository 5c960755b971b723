"""`python -m assistant.rasa_server run …`: Rasa's command line (`rasa run …`) for the
assistant's Rasa server, which starts faster this way.

- Python's cyclic garbage collector is off until the model is loaded. Importing Rasa and
  TensorFlow and loading the model create millions of objects that live as long as the
  process, and the collector scanned them again and again while they were made (1–2 s of
  CPU of the start on 2 cores). It is on again before the server takes its first request,
  also when loading fails.
- jax is not imported. TensorFlow imports it only for TFLite's conversion of jax functions
  (tensorflow/lite/python/util.py, where an ImportError leaves that conversion out), which
  Rasa never uses; importing it took about 1 s.
"""

from __future__ import annotations

import gc
import sys
from typing import Any


def main() -> None:
    """Run Rasa's command line with the collector off until the model is loaded."""
    gc.disable()
    sys.modules["jax"] = None  # type: ignore[assignment]  # `import jax` raises ImportError
    from rasa.__main__ import main as rasa_main
    from rasa.core import run

    load_agent = run.load_agent_on_start

    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        try:
            return await load_agent(*args, **kwargs)
        finally:
            gc.enable()

    # serve_application registers the listener under this name when the server starts
    run.load_agent_on_start = load_agent_on_start
    rasa_main()


if __name__ == "__main__":
    main()
