"""`replylint explain RULE`: a rule's documentation, written from its TOML file."""
from __future__ import annotations

import textwrap

from ..rules.file import Rule
from ..rules.kinds import get_kind


def explain_rule(rule: Rule) -> str:
    kind = get_kind(rule.kind)
    lines = [f"{rule.id}  ({rule.severity}, kind {rule.kind}, checks {' and '.join(rule.applies_to)} drafts by default)"]
    # A team's rule may leave out its documentation: what it has is shown, a missing example is noted.
    if rule.summary:
        lines += ["", rule.summary]
    if rule.rationale:
        lines += ["", "Why", textwrap.indent(rule.rationale, "  ")]
    if rule.norm:
        lines += ["", "Norm", textwrap.indent(textwrap.fill(rule.norm, 96), "  ")]
    lines += ["", "Catches, for example", *[f"  ✗ {_show(e.text)}{_where(e)}" for e in rule.bad]]
    if not rule.bad:
        lines.append(f"  (no example: add [examples] bad = [\"…\"] to {rule.path.name}; examples run as the rule's self-test)")
    lines += ["", "Leaves alone, for example", *[f"  ✓ {_show(e.text)}{_where(e)}" for e in rule.good]]
    if not rule.good:
        lines.append(f"  (no example: add [examples] good = [\"…\"] to {rule.path.name})")
    if rule.suggest:
        lines += ["", "Say instead", *[f"  → {_show(s)}" for s in rule.suggest]]
    lines += [
        "",
        "Settings (in .replylint.toml)",
        f"  [rules.{rule.id}]",
        '  severity = "error" | "warning" | "info"',
        '  applies-to = ["chat", "email"]',
        '  exceptions = ["…"]    # phrases inside which a match is left alone',
    ]
    if kind is not None and "entries" in kind.fields:
        lines.append('  words = ["…"]         # extra words to report')
    if kind is not None and "allow" in kind.fields:
        lines.append('  allow = ["…"]         # your own domains, numbers, addresses, handles')
    lines += [
        "",
        f"Defined in {rule.path}" + (f"\nSource: {rule.source}" if rule.source else ""),
    ]
    return "\n".join(lines)


def _show(text: str) -> str:
    return text.replace("\n", " ⏎ ")


def _where(example) -> str:
    bits = [b for b in (example.kind, f"platform {example.platform}" if example.platform else None) if b]
    return f"   [{', '.join(bits)}]" if bits else ""
