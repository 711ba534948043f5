"""Suppressions: stretches of a file where some rules are switched off, and which of them still
switch anything off.

They come from places a customer never sees: Markdown/HTML comments
(``<!-- replylint-disable-next-line absolute-promise -->``) and a field on JSON/YAML/CSV entries.
Rules switched off for whole files by config (``[[overrides]] ignore``) are not suppressions:
those rules simply do not run there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import regex

from ..text.positions import LineIndex
from .diagnostic import Diagnostic

UNUSED_RULE = "unused-suppression"
ALL = "ALL"

_DIRECTIVE = regex.compile(
    r"^\s*replylint-(?P<verb>[a-z-]+)(?P<rules>(?:[\s,]+(?!--)[^\s,]+)*)\s*(?:--.*)?$", regex.DOTALL
)
_VERBS = ("disable-next-line", "disable-line", "disable-file", "disable", "enable")


@dataclass
class Suppression:
    """Rules (``None``: every rule) switched off for findings starting in file offsets
    ``[start, end)``; ``at``..``at_end`` is the directive, where an unused one is reported."""

    rules: Optional[tuple[str, ...]]
    start: int
    end: int
    at: int
    at_end: int
    excluded: frozenset[str] = frozenset()
    used: set[str] = field(default_factory=set)

    def covers(self, rule: str, offset: int) -> bool:
        if not self.start <= offset < self.end or rule in self.excluded:
            return False
        return self.rules is None or rule in self.rules


def split_rules(raw: str) -> Optional[tuple[str, ...]]:
    """``"a, b c"`` → ``("a", "b", "c")``; nothing or ``ALL`` → ``None`` (every rule)."""
    rules = tuple(r for r in regex.split(r"[\s,]+", raw.strip()) if r)
    return None if not rules or ALL in rules else rules


def from_comments(text: str, comments: Iterable[tuple[int, int, str]]) -> tuple[list[Suppression], list[str]]:
    """Suppressions from comment bodies ``(start, end, body)`` in file order, and warnings
    (``line:column: message``) for comments that look like directives but are not."""
    index = LineIndex(text)
    out: list[Suppression] = []
    warnings: list[str] = []
    open_all: Optional[Suppression] = None
    open_rules: dict[str, Suppression] = {}

    for start, end, body in comments:
        if "replylint-" not in body:
            continue
        m = _DIRECTIVE.match(body)
        line, column = index.position(start)
        if m is None or m["verb"] not in _VERBS:
            word = body.strip().split()[0] if body.strip() else body
            warnings.append(f"{line}:{column}: unknown replylint directive {word!r}, ignored")
            continue
        verb, rules = m["verb"], split_rules(m["rules"])
        if verb == "disable-next-line":
            lo, hi = _line_span(index, index.position(end)[0] + 1, len(text))
            out.append(Suppression(rules, lo, hi, start, end))
        elif verb == "disable-line":
            lo, hi = _line_span(index, line, len(text))
            out.append(Suppression(rules, lo, hi, start, end))
        elif verb == "disable-file":
            out.append(Suppression(rules, 0, len(text), start, end))
        elif verb == "disable":
            s = Suppression(rules, end, len(text), start, end)
            out.append(s)
            if rules is None:
                open_all = s
            else:
                for r in rules:
                    open_rules[r] = s
        else:  # enable
            if rules is None:
                for s in {id(s): s for s in open_rules.values()}.values():
                    s.end = start
                open_rules.clear()
                if open_all is not None:
                    open_all.end = start
                    open_all = None
                continue
            for r in rules:
                closing = open_rules.pop(r, None)
                if closing is not None and closing.end > start:
                    s = closing
                    # A region that named several rules goes on for the others.
                    rest = tuple(x for x in s.rules or () if x != r and open_rules.get(x) is s)
                    s.end = start
                    if rest:
                        cont = Suppression(rest, end, len(text), s.at, s.at_end, used=s.used)
                        out.append(cont)
                        for x in rest:
                            open_rules[x] = cont
            if open_all is not None:
                open_all.end = start
                open_all = Suppression(None, end, len(text), open_all.at, open_all.at_end,
                                       excluded=open_all.excluded | set(rules), used=open_all.used)
                out.append(open_all)
    return out, warnings


def _line_span(index: LineIndex, line: int, size: int) -> tuple[int, int]:
    if line > len(index.starts):
        return size, size
    lo = index.starts[line - 1]
    hi = index.starts[line] if line < len(index.starts) else size
    return lo, hi


def apply(diagnostics: Sequence[Diagnostic], suppressions: Sequence[Suppression]) -> list[Diagnostic]:
    """The findings no suppression covers (by their start in the file); the others mark the
    suppressions that covered them as used."""
    if not suppressions:
        return list(diagnostics)
    kept = []
    for d in diagnostics:
        hits = [s for s in suppressions if s.covers(d.rule, d.start)]
        for s in hits:
            s.used.add(d.rule)
        if not hits:
            kept.append(d)
    return kept


def unused(
    suppressions: Sequence[Suppression], text: str, known: Iterable[str], enabled: Iterable[str], path: Optional[str] = None
) -> list[Diagnostic]:
    """One ``unused-suppression`` finding per directive that switched nothing off, naming each rule
    it lists that is unknown, not enabled for the file, or had no finding there (like ruff's RUF100)."""
    index = LineIndex(text)
    known, enabled = set(known), set(enabled)
    groups: dict[tuple[int, int], list[Suppression]] = {}
    for s in suppressions:
        groups.setdefault((s.at, s.at_end), []).append(s)
    out = []
    for key, parts in sorted(groups.items()):
        used = set().union(*(s.used for s in parts))
        listed = parts[0].rules
        if listed is None:
            problems = [] if used else ["no finding to suppress"]
        else:
            problems = []
            for r in dict.fromkeys(listed):
                if r not in known:
                    problems.append(f"{r} (unknown rule)")
                elif r not in enabled:
                    problems.append(f"{r} (rule not enabled)")
                elif r not in used:
                    problems.append(r)
        if not problems:
            continue
        start, end = key
        line, column = index.position(start)
        end_line, end_column = index.position(end)
        out.append(Diagnostic(
            rule=UNUSED_RULE, severity="warning", message="unused suppression: " + ", ".join(problems),
            start=start, end=end, line=line, column=column, end_line=end_line, end_column=end_column, path=path,
        ))
    return out

