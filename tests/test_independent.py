"""Drafts written by independent evaluators (corpora/independent): no rule may fall below 0.95."""
from __future__ import annotations

from pathlib import Path

import pytest

from replylint import Linter
from replylint.app.evaluate import evaluate, load_cases
from replylint.config import Config
from replylint.rules.catalogue import load_rules

ROUNDS = sorted((Path(__file__).resolve().parents[1] / "corpora" / "independent").glob("round-*"))
# Every bundled rule, off by default or not: a rule with no case in a round must stay silent on it.
RULES = sorted(r.id for r in load_rules())
LINTER = Linter(Config(select=("ALL",)))


@pytest.mark.parametrize("folder", ROUNDS, ids=lambda p: p.name)
def test_round_scores(folder):
    cases = [c for p in sorted(folder.glob("*.jsonl")) for c in load_cases(p)]
    assert len(cases) > 200
    scores = evaluate(LINTER, cases, RULES)
    low = {r: (round(s.precision, 3), round(s.recall, 3), s.misses, s.false_alarms)
           for r, s in scores.items() if s.precision < 0.95 or s.recall < 0.95}
    assert not low, low
