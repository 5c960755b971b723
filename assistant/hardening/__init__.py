"""What stands between the outside world and the assistant's dialogue, in the Rasa server.

`screen` checks every incoming message of a channel (rate limit per sender, length cap,
personal data masked) before Rasa sees it; `pii` finds the personal data; `limits` reads
the limits from the environment, `shared_rate` counts the rate in Redis for every process;
`actions_unavailable` answers politely when the action server is down or slow; `rest` is
the REST channel with all of it. The replies are data
(`assistant/wording/hardening/<lang>.yml`). `speedups` and `graph_runner` remove hot spots
of Rasa's answer path without changing what it does.
"""
