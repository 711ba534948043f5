"""How long a rule's pattern may run. A timeout protects against a catastrophic pattern (a team's
``(a|a)+$``), so it bounds the regex engine's own work on one search, not the wall clock: matches are
collected before anything else runs (tokenizing, context checks, a dictionary built on first use),
and a search stopped while the process was descheduled on a loaded machine is tried again until the
engine itself has used the budget in CPU time. Every rule kind that runs patterns goes through here."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

from ..errors import RuleTimeout

DEFAULT_TIMEOUT = 1.0
"""Seconds of the engine's work a rule's pattern gets per ``TIMEOUT_CHARS`` characters."""

TIMEOUT_CHARS = 100_000
"""A search through a long text is slow without being runaway: the budget grows with the text."""

MAX_TIMEOUT = 60.0
_ATTEMPTS = 6

T = TypeVar("T")


def scaled_timeout(timeout: float, length: int) -> float:
    """Seconds one search may take on a text of ``length`` characters."""
    return timeout * max(1.0, length / TIMEOUT_CHARS)


def timed(search: Callable[[float], T], timeout: float, length: int, rule: str, spent: float = 0.0, tried: int = 0) -> T:
    """``search(wall_seconds)`` (a regex call given ``timeout=wall_seconds``), stopped for good only
    once this thread has spent the budget in CPU time; raises ``RuleTimeout`` naming ``rule``.
    A caller that made the first attempt itself (the fast path: most searches end in microseconds)
    passes the CPU time it ``spent`` and the attempts ``tried``."""
    budget = scaled_timeout(timeout, length)
    wall = budget * 2**tried
    for _ in range(tried, _ATTEMPTS):
        if spent >= 0.9 * budget:
            break
        began = time.thread_time()
        try:
            return search(wall)
        except TimeoutError:
            spent += time.thread_time() - began
            wall *= 2  # the engine got less than its share of the CPU: let it run longer
    raise RuleTimeout(rule, budget)
