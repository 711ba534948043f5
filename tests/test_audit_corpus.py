"""The conversation rules' evidence: precision and recall on whole labelled conversations."""
from __future__ import annotations

from pathlib import Path

import pytest

from replylint.audit import Auditor
from replylint.audit.corpus import evaluate, load_cases

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "conversation"
RULES = sorted(p.stem for p in (ROOT / "conversation-rules").glob("*.toml"))
MIN_SCORE = 0.95
MIN_EACH_WAY = 5


@pytest.fixture(scope="module")
def cases():
    found = [c for p in sorted(CORPUS.glob("*.jsonl")) for c in load_cases(p)]
    assert found
    return found


@pytest.fixture(scope="module")
def scores(cases):
    return evaluate(Auditor(), cases, RULES)


def test_every_rule_has_a_corpus():
    assert RULES and {p.stem for p in CORPUS.glob("*.jsonl")} == set(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_cases_both_ways_in_every_language(cases, rule):
    own = [c for c in cases if c.id.startswith(rule + ":")]
    caught = [c for c in own if rule in c.expect]
    quiet = [c for c in own if rule not in c.expect]
    assert len(caught) >= MIN_EACH_WAY and len(quiet) >= MIN_EACH_WAY, (len(caught), len(quiet))
    assert {"zh-Hans", "zh-Hant", "en"} <= {c.lang for c in caught}
    assert {"zh-Hans", "zh-Hant", "en"} <= {c.lang for c in quiet}


@pytest.mark.parametrize("rule", RULES)
def test_precision(scores, rule):
    s = scores[rule]
    assert s.precision >= MIN_SCORE, f"{rule}: precision {s.precision:.3f}; false alarms {s.false_alarms}"


@pytest.mark.parametrize("rule", RULES)
def test_recall(scores, rule):
    s = scores[rule]
    assert s.recall >= MIN_SCORE, f"{rule}: recall {s.recall:.3f}; missed {s.misses}"


def test_case_ids_are_unique(cases):
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids))
