"""Precision and recall per rule on a labelled corpus (JSONL: text, kind, platform, expect)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..engine import Linter
from ..errors import InputError


@dataclass
class Case:
    text: str
    expect: frozenset[str]
    kind: str = "chat"
    platform: Optional[str] = None
    allow: frozenset[str] = frozenset()
    id: str = ""
    lang: str = ""


@dataclass
class Score:
    rule: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_cases(path: Path) -> list[Case]:
    cases = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            raw = json.loads(line)
            cases.append(
                Case(
                    text=raw["text"],
                    expect=frozenset(raw.get("expect", ())),
                    kind=raw.get("kind", "chat"),
                    platform=raw.get("platform"),
                    allow=frozenset(raw.get("allow", ())),
                    id=str(raw.get("id", f"{path.name}:{n}")),
                    lang=raw.get("lang", ""),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: not a labelled case ({exc})") from None
    return cases


def evaluate(linter: Linter, cases: Iterable[Case], rules: Optional[Iterable[str]] = None) -> dict[str, Score]:
    rule_ids = list(rules) if rules is not None else [r.id for r in linter.rules]
    scores = {r: Score(r) for r in rule_ids}
    for case in cases:
        fired = {d.rule for d in linter.lint(case.text, kind=case.kind, platform=case.platform)}
        for r in rule_ids:
            if r in case.allow:
                continue
            s = scores[r]
            hit, want = r in fired, r in case.expect
            if hit and want:
                s.tp += 1
            elif hit:
                s.fp += 1
                s.false_alarms.append(case.id)
            elif want:
                s.fn += 1
                s.misses.append(case.id)
            else:
                s.tn += 1
    return scores


def format_table(scores: dict[str, Score]) -> str:
    rows = [("rule", "caught", "missed", "false", "quiet", "precision", "recall")]
    for s in scores.values():
        rows.append((s.rule, str(s.tp), str(s.fn), str(s.fp), str(s.tn), f"{s.precision:.3f}", f"{s.recall:.3f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
