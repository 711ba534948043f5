"""A rule's `[examples]` run as its self-test: every bad example must make it fire, every good
one must leave it silent. The bundled rules are held to theirs by the project's tests; a team's
rules by `replylint test-rules` and by a warning from `check`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

if TYPE_CHECKING:
    from ..engine import Linter
    from ..rules.file import Example, Rule


@dataclass(frozen=True)
class ExampleFailure:
    rule: "Rule"
    example: "Example"
    bad: bool
    """True: a bad example the rule missed; False: a good example it flagged."""

    def __str__(self) -> str:
        what = "bad example not caught" if self.bad else "good example flagged"
        text = self.example.text.replace("\n", " ⏎ ")
        if len(text) > 60:
            text = text[:59] + "…"
        from ..report.visible import visible

        return f"{self.rule.path}: rule {self.rule.id}: {what}: {visible(text)!r}"


def _kind(rule: "Rule", example: "Example") -> str:
    return example.kind or ("email" if rule.applies_to == ("email",) else "chat")


def check_examples(linter: "Linter", rules: Iterable["Rule"]) -> Iterator[ExampleFailure]:
    """Every example of ``rules`` that disagrees with what ``linter`` finds."""
    for rule in rules:
        for bad, examples in ((True, rule.bad), (False, rule.good)):
            for ex in examples:
                outcome = linter.run(ex.text, kind=_kind(rule, ex), platform=ex.platform, select=[rule.id])
                fired = any(d.rule == rule.id for d in outcome.diagnostics)
                if fired != bad:
                    yield ExampleFailure(rule, ex, bad)


def team_rules(linter: "Linter", paths: Optional[Iterable[Path]] = None) -> list["Rule"]:
    """The rules of ``linter`` loaded from ``paths`` (default: the config's ``rule-paths``)."""
    roots = [Path(p).resolve() for p in (linter.config.rule_paths if paths is None else paths)]
    out = []
    for rule in linter.all_rules:
        where = Path(rule.path).resolve()
        if any(where == root or root in where.parents for root in roots):
            out.append(rule)
    return out


_warned: dict[tuple, list[str]] = {}


def team_example_warnings(linter: "Linter") -> list[str]:
    """One line per team rule example that disagrees (worked out once per set of rule files)."""
    rules = team_rules(linter)
    if not rules:
        return []
    key = tuple((str(r.path), r.id) for r in rules) + (id(linter),)
    if key not in _warned:
        _warned[key] = [f"{f} (replylint test-rules shows every example)" for f in check_examples(linter, rules)]
    return _warned[key]
