"""`--statistics`: how many findings each rule made, most frequent first (like ruff's)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from ...app.run import FileResult
from ...rules.file import Rule
from ..diagnostic import LintError


@dataclass(frozen=True)
class RuleCount:
    rule: str
    severity: str
    count: int
    fixable: int
    summary: str


def rule_counts(results: Sequence[FileResult], rules: Sequence[Rule] = ()) -> list[RuleCount]:
    """Counts per rule, sorted by count (descending), then rule id; ``fixable`` counts safe fixes."""
    summaries = {r.id: r.summary for r in rules}
    counts: dict[str, list[Any]] = {}
    for r in results:
        for d in r.diagnostics:
            entry = counts.setdefault(d.rule, [d.severity, 0, 0])
            entry[1] += 1
            entry[2] += d.fix is not None and d.fix.safe
    out = [RuleCount(rule, sev, n, fixable, summaries.get(rule, "")) for rule, (sev, n, fixable) in counts.items()]
    out.sort(key=lambda c: (-c.count, c.rule))
    return out


def report_statistics_text(results: Sequence[FileResult], rules: Optional[Sequence[Rule]] = None, **_: Any) -> str:
    """``count  rule  severity  [*] summary``; ``[*]`` marks rules whose findings --fix can fix."""
    counts = rule_counts(results, rules or ())
    if not counts:
        return ""
    n_width = max(len(str(c.count)) for c in counts)
    r_width = max(len(c.rule) for c in counts)
    s_width = max(len(c.severity) for c in counts)
    any_fix = any(c.fixable for c in counts)
    lines = []
    for c in counts:
        mark = ("[*] " if c.fixable else "    ") if any_fix else ""
        lines.append(f"{str(c.count).rjust(n_width)}  {c.rule.ljust(r_width)}  {c.severity.ljust(s_width)}  {mark}{c.summary}".rstrip())
    return "\n".join(lines) + "\n"


def report_statistics_json(results: Sequence[FileResult], rules: Optional[Sequence[Rule]] = None,
                           errors: Sequence[LintError] = (), **_: Any) -> str:
    """``{"version", "statistics": [...], "errors": [...]}``: a run with errors never reads as clean."""
    counts = rule_counts(results, rules or ())
    items = [{"rule": c.rule, "severity": c.severity, "count": c.count, "fixable": c.fixable, "summary": c.summary}
             for c in counts]
    errs = [dict(e.to_dict(), path="<stdin>" if e.path == "-" else e.path) for e in errors]
    return json.dumps({"version": 1, "statistics": items, "errors": errs}, ensure_ascii=False, indent=2) + "\n"
