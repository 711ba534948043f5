"""`replylint explain RULE`: a rule's documentation, written from its TOML file."""
from __future__ import annotations

import textwrap

from ..rules.file import Rule
from ..rules.kinds import get_kind


def explain_rule(rule: Rule) -> str:
    kind = get_kind(rule.kind)
    lines = [
        f"{rule.id}  ({rule.severity}, kind {rule.kind}, checks {' and '.join(rule.applies_to)} drafts by default)",
        "",
        rule.summary,
        "",
        "Why",
        textwrap.indent(rule.rationale, "  "),
        "",
        "Norm",
        textwrap.indent(textwrap.fill(rule.norm, 96), "  "),
        "",
        "Catches, for example",
        *[f"  ✗ {_show(e.text)}{_where(e)}" for e in rule.bad],
        "",
        "Leaves alone, for example",
        *[f"  ✓ {_show(e.text)}{_where(e)}" for e in rule.good],
    ]
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
