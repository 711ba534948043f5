"""Precision and recall on a labelled corpus (JSONL: text, kind, platform, expect, allow), per rule
and per family of rules, and the false-alarm rate on the lines that must stay silent: the share of
them on which anything fires. Labels are rule ids or family names (data/families.toml), so the same
command measures the bundled corpus and real text labelled by family."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..engine import Linter
from ..errors import InputError
from ..paths import DATA
from ..rules.toml import load_toml

# The keys a corpus line may carry; anything else is a typo that would silently change the labels
# (a "rules" key instead of "expect" turns every true finding into a false alarm).
CASE_KEYS = frozenset({"id", "text", "kind", "lang", "platform", "expect", "allow", "source", "note"})


@functools.lru_cache(maxsize=1)
def families() -> dict[str, tuple[str, ...]]:
    """Family name -> the rule ids it stands for (data/families.toml)."""
    path = DATA / "families.toml"
    return {name: tuple(rules) for name, rules in load_toml(path, InputError).items()}


def family_of(rule: str) -> str:
    """The family a rule belongs to; a rule in no family is its own."""
    return next((name for name, rules in families().items() if rule in rules), rule)


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
class Error:
    """A miss or a false alarm, with the text so that a reader can judge the label."""

    id: str
    text: str
    what: str  # the rule or family
    messages: tuple[str, ...] = ()


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

    @property
    def has_precision(self) -> bool:
        """Whether anything fired: without, precision is not a measurement (printed n/a)."""
        return self.tp + self.fp > 0

    @property
    def has_recall(self) -> bool:
        """Whether any case expects this rule: without, recall is not a measurement (n/a)."""
        return self.tp + self.fn > 0


@dataclass
class Report:
    """Everything `replylint eval` prints."""

    cases: int
    rules: dict[str, Score]
    families: dict[str, Score]
    silent: int = 0  # lines with an empty expect
    silent_fired: int = 0  # ...on which a rule fired that the line does not allow
    errors: list[Error] = field(default_factory=list)

    @property
    def false_alarm_rate(self) -> Optional[float]:
        return self.silent_fired / self.silent if self.silent else None


def load_cases(path: Path, known: Optional[Iterable[str]] = None) -> list[Case]:
    """Read a labelled JSONL file. A key outside CASE_KEYS is an error (with the file and line), and
    so, given ``known`` (the rule ids), is a label that is neither a rule nor a family."""
    cases = []
    rule_ids = None if known is None else sorted(set(known))
    names = None if rule_ids is None else set(rule_ids) | set(families())
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise TypeError("a line must be a JSON object")
            extra = sorted(set(raw) - CASE_KEYS)
            if extra:
                raise InputError(f"{path}:{n}: unknown key {', '.join(map(repr, extra))} (known: {', '.join(sorted(CASE_KEYS))})")
            expect, allow = raw.get("expect", ()), raw.get("allow", ())
            if isinstance(expect, str) or isinstance(allow, str):
                raise TypeError("expect and allow must be lists")
            if names is not None and rule_ids is not None:
                unknown = sorted((set(expect) | set(allow)) - names)
                if unknown:
                    raise InputError(
                        f"{path}:{n}: unknown rule or family {', '.join(map(repr, unknown))} "
                        f"(rules: {', '.join(rule_ids)}; families: {', '.join(families())})")
            cases.append(
                Case(
                    text=raw["text"],
                    expect=frozenset(expect),
                    kind=raw.get("kind", "chat"),
                    platform=raw.get("platform"),
                    allow=frozenset(allow),
                    id=str(raw.get("id", f"{path.name}:{n}")),
                    lang=raw.get("lang", ""),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: not a labelled case ({exc})") from None
    return cases


def _split_labels(labels: frozenset[str], rule_ids: list[str]) -> tuple[set[str], set[str]]:
    """Rules a label set names for sure, and rules it names only as one of a family (\"you\": either
    you-phrasing rule), which per-rule scoring can neither count as caught nor as missed."""
    sure: set[str] = set()
    either: set[str] = set()
    for label in labels:
        group = families().get(label, (label,))
        (sure if len(group) == 1 else either).update(r for r in group if r in rule_ids)
    return sure, either


def _count(s: Score, hit: bool, want: bool, case_id: str) -> None:
    if hit and want:
        s.tp += 1
    elif hit:
        s.fp += 1
        s.false_alarms.append(case_id)
    elif want:
        s.fn += 1
        s.misses.append(case_id)
    else:
        s.tn += 1


def evaluate_report(linter: Linter, cases: Iterable[Case], rules: Optional[Iterable[str]] = None) -> Report:
    """Score every case per rule and per family, and count false alarms on the silent lines."""
    rule_ids = list(rules) if rules is not None else [r.id for r in linter.rules]
    fam_ids = list(dict.fromkeys(family_of(r) for r in rule_ids))
    report = Report(0, {r: Score(r) for r in rule_ids}, {f: Score(f) for f in fam_ids})
    for case in cases:
        report.cases += 1
        diags = [d for d in linter.lint(case.text, kind=case.kind, platform=case.platform) if d.rule in report.rules]
        fired = {d.rule for d in diags}
        want_sure, want_either = _split_labels(case.expect, rule_ids)
        allow_sure, allow_either = _split_labels(case.allow, rule_ids)
        for r in rule_ids:
            if r in allow_sure or r in allow_either or r in want_either:
                continue
            _count(report.rules[r], r in fired, r in want_sure, case.id)
        want_fam = {family_of(r) for r in want_sure | want_either}
        allow_fam = {family_of(r) for r in allow_sure | allow_either}
        fired_fam = {family_of(r) for r in fired}
        for f in fam_ids:
            if f in allow_fam and f not in want_fam:
                continue
            _count(report.families[f], f in fired_fam, f in want_fam, case.id)
            if f in want_fam and f not in fired_fam:
                report.errors.append(Error(case.id, case.text, f"missed {f}"))
            elif f in fired_fam and f not in want_fam:
                msgs = tuple(f"{d.rule}: {d.message}" for d in diags if family_of(d.rule) == f)
                report.errors.append(Error(case.id, case.text, f"false alarm {f}", msgs))
        if not case.expect:
            report.silent += 1
            if fired_fam - allow_fam:
                report.silent_fired += 1
    return report


def evaluate(linter: Linter, cases: Iterable[Case], rules: Optional[Iterable[str]] = None) -> dict[str, Score]:
    """Per-rule scores (the bundled corpus's tests read these)."""
    return evaluate_report(linter, cases, rules).rules


def _ratio(value: float, measured: bool) -> str:
    return f"{value:.3f}" if measured else "n/a"


def format_table(scores: dict[str, Score], head: str = "rule") -> str:
    rows = [(head, "caught", "missed", "false", "quiet", "precision", "recall")]
    for s in scores.values():
        rows.append((s.rule, str(s.tp), str(s.fn), str(s.fp), str(s.tn),
                     _ratio(s.precision, s.has_precision), _ratio(s.recall, s.has_recall)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def format_report(report: Report, show_errors: bool = False) -> str:
    """The text output of `replylint eval`: the family table, the rule table, the false-alarm rate
    and, with show_errors, every miss and false alarm with its text."""
    out = [f"{report.cases} cases\n", format_table(report.families, "family"), "\n", format_table(report.rules)]
    rate = report.false_alarm_rate
    out.append(f"\nfalse alarms on lines that must stay silent: {report.silent_fired}/{report.silent}"
               + (f" = {rate:.1%}\n" if rate is not None else " (n/a)\n"))
    if show_errors and report.errors:
        out.append("\n")
        for e in report.errors:
            text = e.text.replace("\n", " ⏎ ")
            out.append(f"{e.id}: {e.what}: {text}\n")
            out.extend(f"    {m}\n" for m in e.messages)
    return "".join(out)


def report_json(report: Report) -> dict:
    """The JSON output of `replylint eval`."""
    def rows(scores: dict[str, Score], key: str) -> list[dict]:
        return [{key: s.rule, "caught": s.tp, "missed": s.fn, "false_alarms": s.fp, "quiet": s.tn,
                 "precision": round(s.precision, 4) if s.has_precision else None,
                 "recall": round(s.recall, 4) if s.has_recall else None,
                 "missed_ids": s.misses, "false_alarm_ids": s.false_alarms} for s in scores.values()]
    return {"cases": report.cases, "families": rows(report.families, "family"), "rules": rows(report.rules, "rule"),
            "silent": report.silent, "silent_with_findings": report.silent_fired,
            "false_alarm_rate": None if report.false_alarm_rate is None else round(report.false_alarm_rate, 4),
            "errors": [{"id": e.id, "what": e.what, "text": e.text, "messages": list(e.messages)} for e in report.errors]}
