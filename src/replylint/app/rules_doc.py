"""docs/rules.md: every bundled rule's documentation (`replylint explain`), one anchor per rule id,
so SARIF's ``helpUri`` and links from CI can point at ``rules.md#rule-id``.

Regenerate with ``python -m replylint.app.rules_doc > docs/rules.md`` (a test checks it is current)."""
from __future__ import annotations

from ..rules.catalogue import bundled_rules_dir, load_rules
from .explain import explain_rule


def rules_markdown() -> str:
    """The page: a heading per rule (GitHub makes ``## absolute-promise`` the anchor ``#absolute-promise``)."""
    rules = load_rules()
    out = ["# The bundled rules", "",
           "Generated from the rule files by `python -m replylint.app.rules_doc`; "
           "`replylint explain RULE` prints the same.", ""]
    out += [f"- [{r.id}](#{r.id}): {r.summary}" for r in rules]
    root = bundled_rules_dir()
    for rule in rules:
        text = explain_rule(rule).replace(f"Defined in {rule.path}", f"Defined in rules/{rule.path.relative_to(root).as_posix()}")
        out += ["", f"## {rule.id}", "", "```text", text, "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")
