"""False alarms and misses on real agent replies (../shared/realworld, read in place, never copied)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from replylint import Config, Linter

# ../shared beside the project; from a git worktree one level deeper, the first parent that has it.
REAL = next((p / "shared" / "realworld" / "real-replies.jsonl" for p in Path(__file__).resolve().parents[1:]
             if (p / "shared" / "realworld" / "real-replies.jsonl").is_file()),
            Path(__file__).resolve().parents[2] / "shared" / "realworld" / "real-replies.jsonl")
FAMILIES = {
    "absolute": {"absolute-promise"},
    "you": {"blaming-you", "commanding-you"},
    "contact": {"contact-leak"},
    "platform": {"platform-mention"},
}

pytestmark = pytest.mark.skipif(not REAL.is_file(), reason="shared/realworld is not beside the project")

LINTER = Linter()


def _cases():
    if not REAL.is_file():
        return []
    return [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_real_reply(case):
    diags = LINTER.lint(case["text"], kind=case["kind"], platform=case["platform"])
    fired = {fam for fam, rules in FAMILIES.items() if any(d.rule in rules for d in diags)}
    expect, allow = set(case["expect"]), set(case["allow"])
    assert expect <= fired, f"missed {expect - fired}"
    assert not (fired - expect - allow), f"false alarm {fired - expect - allow}: {[(d.rule, d.message) for d in diags]}"



# -- rules the file's labels do not know (issue 15): false alarms on ordinary replies -------------
# The file labels four families; for the other bundled rules these are our own readings of the
# replies that really break a norm (real-001: 好评截图…返现4元 pays for a review). Every other firing
# is a false alarm. A rule on by default may raise them on at most 1 % of the replies; one above
# that ships off by default (enabled = false) and says why in its rationale.
CONFIRMED: dict[str, set[str]] = {
    "real-001": {"review-bribery"},
    # 我们也没办法 / 这个小妹真没办法 / 确实没办法: the resignation NORMS "Further norms" names (我也没办法).
    "real-020": {"passing-the-buck"},
    "real-043": {"passing-the-buck"},
    "real-053": {"passing-the-buck"},
    "real-023": {"vague-answer"},  # 这个小二也不知道呢, and nothing done to find out
    "real-049": {"typo"},  # 真确 for 正确
    "real-050": {"typo"},  # 未您 for 为您
    "real-044": {"you-consistency"},  # 你是申请快递退货哦 需要您自己…
}
MAX_FALSE_ALARM_RATE = 0.01
LABELLED = set().union(*FAMILIES.values())
ALL_RULES = Linter(Config(select=("ALL",)))
UNLABELLED = [r for r in ALL_RULES.all_rules if r.id not in LABELLED]


@pytest.mark.parametrize("rule", UNLABELLED, ids=lambda r: r.id)
def test_false_alarm_rate_on_real_replies(rule):
    cases = _cases()
    fired = {c["id"] for c in cases if ALL_RULES.lint(c["text"], kind=c["kind"], platform=c["platform"], select=[rule.id])}
    wanted = {i for i, rules in CONFIRMED.items() if rule.id in rules}
    false_alarms = fired - wanted
    assert wanted <= fired, f"{rule.id}: missed {sorted(wanted - fired)}"
    if rule.enabled:
        assert len(false_alarms) / len(cases) <= MAX_FALSE_ALARM_RATE, f"{rule.id}: false alarms {sorted(false_alarms)}"
