"""False alarms and misses on real agent replies (../shared/realworld, read in place, never copied)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from replylint import Linter

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

