"""How close an unguarded search comes to its budget, on texts made to make the engine backtrack.

    python benchmarks/unguarded.py            # every bundled rule pattern, about a minute

A rule pattern's search runs without the engine's clock when its work bound
(``matching.work``), priced at ``work.SECONDS_PER_TEST`` a test, is at most
``work.UNGUARDED_SHARE`` of its budget on the text's length. This takes every bundled pattern that
has a bound and, at the longest text it may search unguarded (at most 4,000 characters), times
``finditer`` on texts built to backtrack: runs of the pattern's own characters, alone, in pairs and
mixed with separators. Printed: the slowest searches, what a test really cost there against the
price, and the largest share of a budget an unguarded search took. The price must stay well above
what is measured here, on any machine: that margin is what the fast path rests on.
"""
from __future__ import annotations

import itertools
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from replylint.matching import work  # noqa: E402
from replylint.matching.timeout import DEFAULT_TIMEOUT  # noqa: E402

MAX_LENGTH = 4000


def bundled_patterns() -> list:
    import replylint

    replylint.lint("你好")
    linter = replylint._default
    seen: dict[str, object] = {}
    for rule in linter.all_rules:
        for kind in rule.applies_to:
            for p in linter._compile(rule, kind).rule_patterns():
                seen.setdefault(p.source, p)
    return list(seen.values())


def texts(source: str, length: int, rng: random.Random) -> list[str]:
    chars = sorted({c for c in source if c.isalnum() or "\u4e00" <= c <= "\u9fff"}) or ["a"]
    picks = rng.sample(chars, min(len(chars), 6))
    out = [c * length for c in picks[:3]]
    out += [(a + b) * (length // 2) for a, b in itertools.combinations(picks[:4], 2)]
    out += ["".join(rng.choice(chars + [" ", "，"]) for _ in range(length)) for _ in range(3)]
    return [t[:length] for t in out]


def main() -> None:
    rng = random.Random(7)
    budget = DEFAULT_TIMEOUT
    steps = budget * work.UNGUARDED_SHARE / work.SECONDS_PER_TEST
    rows = []
    for p in bundled_patterns():
        length = min(work.longest(p.bound, steps), MAX_LENGTH)
        if length < 1:
            continue
        bounded = work.evaluate(p.bound, length)
        rx = p.regex
        for text in texts(p.source, length, rng):
            t0 = time.perf_counter()
            list(rx.finditer(text))
            spent = time.perf_counter() - t0
            rows.append((spent, spent / bounded, length, p.source))
    rows.sort(reverse=True)
    print(f"{len(rows)} searches; price {work.SECONDS_PER_TEST * 1e9:.0f} ns a test, unguarded up to {work.UNGUARDED_SHARE:.0%} of a {budget:.0f} s budget")
    print(f"{'time':>9s} {'ns/test':>9s} {'length':>6s}  pattern")
    for spent, per_test, length, source in rows[:12]:
        print(f"{spent * 1e3:7.2f}ms {per_test * 1e9:9.4f} {length:6d}  {source[:70]}")
    worst = max(r[1] for r in rows)
    print(f"dearest test: {worst * 1e9:.3f} ns (price {work.SECONDS_PER_TEST * 1e9:.0f} ns, margin {work.SECONDS_PER_TEST / worst:.0f}×);"
          f" slowest search: {rows[0][0] / budget:.2%} of its budget")


if __name__ == "__main__":
    main()
