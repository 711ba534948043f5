"""Each rule file's own examples are its self-test: bad ones caught, good ones left alone."""
from __future__ import annotations

import pytest

from replylint import Linter
from replylint.rules.catalogue import bundled_rules_dir, load_rules

RULES = load_rules()
LINTER = Linter()


def _cases():
    for rule in RULES:
        for i, ex in enumerate(rule.bad):
            yield pytest.param(rule.id, ex, True, id=f"{rule.id}-bad-{i}")
        for i, ex in enumerate(rule.good):
            yield pytest.param(rule.id, ex, False, id=f"{rule.id}-good-{i}")


@pytest.mark.parametrize("rule_id,example,should_fire", list(_cases()))
def test_rule_example(rule_id, example, should_fire):
    rule = next(r for r in LINTER.all_rules if r.id == rule_id)
    kind = example.kind or ("email" if rule.applies_to == ("email",) else "chat")
    diags = LINTER.lint(example.text, kind=kind, platform=example.platform, select=[rule_id])
    fired = [d for d in diags if d.rule == rule_id]
    if should_fire:
        assert fired, f"{rule_id}: bad example not caught: {example.text!r}"
    else:
        assert not fired, f"{rule_id}: good example flagged: {example.text!r} -> {[d.message for d in fired]}"


def test_every_bundled_rule_has_examples_both_ways():
    assert bundled_rules_dir().is_dir()
    assert {r.id for r in RULES} == {p.stem for p in bundled_rules_dir().glob("*.toml")}
    for rule in RULES:
        assert rule.bad and rule.good, rule.id
