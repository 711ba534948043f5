"""The corpus is the evidence behind every rule: each rule's precision and recall on it."""
from __future__ import annotations

from pathlib import Path

import pytest

from replylint import Linter
from replylint.app.evaluate import evaluate, load_cases
from replylint.config import Config
from replylint.rules.catalogue import load_rules

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
# Every bundled rule (rules/*.toml), those off by default too: each is held to its corpus.
BUNDLED = {r.id: r for r in load_rules()}
RULES = sorted(BUNDLED)
MIN_SCORE = 0.95
MIN_CASES = 40


@pytest.fixture(scope="module")
def cases():
    found = [c for p in sorted(CORPORA.glob("*.jsonl")) for c in load_cases(p)]
    assert found, "no labelled drafts in corpora/"
    return found


@pytest.fixture(scope="module")
def scores(cases):
    return evaluate(Linter(Config(select=("ALL",))), cases, RULES)


@pytest.mark.parametrize("rule", RULES)
def test_rule_has_enough_cases_both_ways(cases, rule):
    """Cases written for a rule: at least MIN_CASES, at least a third caught and a third left alone."""
    own = [c for c in cases if c.id.startswith(_prefix(rule))]
    positive = [c for c in own if rule in c.expect]
    negative = [c for c in own if rule not in c.expect]
    assert len(own) >= MIN_CASES, f"{rule}: {len(own)} cases"
    assert len(positive) >= len(own) // 3 and len(negative) >= len(own) // 3, (len(positive), len(negative))


@pytest.mark.parametrize("rule", RULES)
def test_rule_covers_every_language(cases, rule):
    """Both ways in every language the norm applies in (the rule's ``languages``, default all three)."""
    wanted = set(BUNDLED[rule].languages)
    langs = {c.lang for c in cases if c.id.startswith(_prefix(rule)) and rule in c.expect}
    langs_ok = {c.lang for c in cases if c.id.startswith(_prefix(rule)) and rule not in c.expect}
    assert wanted <= langs, langs
    assert wanted <= langs_ok, langs_ok


@pytest.mark.parametrize("rule", RULES)
def test_precision(scores, rule):
    s = scores[rule]
    assert s.precision >= MIN_SCORE, f"{rule}: precision {s.precision:.3f}; false alarms: {s.false_alarms}"


@pytest.mark.parametrize("rule", RULES)
def test_recall(scores, rule):
    s = scores[rule]
    assert s.recall >= MIN_SCORE, f"{rule}: recall {s.recall:.3f}; missed: {s.misses}"


def test_case_ids_are_unique(cases):
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids))


def _prefix(rule: str) -> str:
    return rule + ":"
