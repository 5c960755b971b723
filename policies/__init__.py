"""Hukou policy rules: data under ``policies/data``, evaluated without any NLU dependency.

    from policies import load_rules, evaluate, explain_term, closest_clauses
"""

from .engine import assesses, closest_clauses, evaluate, explain_term, implied_facts
from .loader import Rules, RulesError, load_rules

__all__ = [
    "Rules", "RulesError", "assesses", "closest_clauses", "evaluate", "explain_term",
    "implied_facts", "load_rules",
]
