"""Rasa-SDK custom actions of the hukou assistant.

The actions are thin: they turn slots and the latest message into typed facts, call the
`policies` engine, and send its rendered text plus the `policy_answer` payload. Every
sentence comes from data (policies/data/wording, assistant/wording), never from Python.
"""
