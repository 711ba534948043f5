"""Regular expressions, for phrasings a word list cannot express (你…搞错了, "you should have…")."""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Any, Hashable, Iterable, Iterator, Optional

from ...errors import RuleFileError
from ...matching.boundaries import is_whole
from ...matching.gate import CLAUSES, Gate
from ...matching.pattern import Needs, RulePattern, needs_of
from ...text.draft import Draft
from ...text.normalize import View
from ..context import CONTEXT_FIELDS, Context
from ..schema import Field
from ..template import fix_problem
from .base import Finding, RuleKind

PATTERN_FIELDS: dict[str, Field] = {
    "pattern": Field("str", required=True, doc="a regular expression (Python `regex` syntax) matched against the folded text"),
    "suggest": Field("list[str]", doc="better phrasings"),
    "fix": Field("str", doc="replacement offered as a fix (may use \\g<name>)"),
    "safe": Field("bool", doc="whether --fix may apply it"),
    "message": Field("str", doc="key of a [messages.KEY] entry"),
    "boundaries": Field("bool", doc="require the reported span to start and end on word boundaries"),
    "category": Field("str", doc="a name for the kind of thing matched, shown as {category} in the message"),
    "view": Field("str", choices=("normalized", "compact"), doc="which view of the text to match"),
    **CONTEXT_FIELDS,
}


@dataclass(frozen=True)
class CompiledPattern:
    """One entry of ``patterns``: the rule pattern and what a finding of it carries."""

    pattern: RulePattern
    suggest: tuple[str, ...]
    fix: Optional[str]
    safe: bool
    message: str
    boundaries: bool
    category: str
    view: str
    context: Context


class Pattern(RuleKind):
    """Each pattern's match, or its group named ``hit``, is a finding unless its context says otherwise."""

    name = "pattern"
    fields = {
        "patterns": Field("list[str|table]", required=True, items=PATTERN_FIELDS, doc="regular expressions, as strings or tables"),
        **CONTEXT_FIELDS,
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        defaults = Context.from_params(params, None, self.expand)
        self.patterns = [self._compile(i, raw, defaults) for i, raw in enumerate(params["patterns"])]
        self._live: dict[frozenset[Any], list[int]] = {}  # the one pass's answer → the patterns it leaves

    def _compile(self, i: int, raw: Any, defaults: Context) -> CompiledPattern:
        if isinstance(raw, str):
            raw = {"pattern": raw}
        pattern = RulePattern(raw["pattern"], f"{self.rule.path}: patterns[{i}]")
        problem = fix_problem(pattern.regex, raw["fix"]) if raw.get("fix") is not None else None
        if problem:
            raise RuleFileError(f"{self.rule.path}: patterns[{i}]: fix {raw['fix']!r}: {problem}")
        return CompiledPattern(
            pattern=pattern,
            suggest=tuple(raw.get("suggest", self.rule.suggest)),
            fix=raw.get("fix"),
            safe=raw.get("safe", False),
            message=raw.get("message", "default"),
            boundaries=raw.get("boundaries", False),
            category=raw.get("category", ""),
            view=raw.get("view", "normalized"),
            context=Context.from_params(raw, defaults, self.expand),
        )

    def view_of(self, draft: Draft, name: str):
        return draft.view

    def rule_patterns(self) -> list[RulePattern]:
        return [p.pattern for p in self.patterns if p.view == "normalized"]

    def triggers(self) -> Optional[list[Needs]]:
        """The patterns' literal factors, when every pattern matches the normalised view itself."""
        if any(p.view != "normalized" for p in self.patterns):
            return None
        return needs_of(p.pattern for p in self.patterns)

    def view_chars(self, draft: Draft, name: str) -> frozenset[str]:
        """Characters view ``name`` may hold, for the pre-check; subclasses may answer with a
        superset worked out without building the view."""
        return draft.chars(self.view_of(draft, name))

    def cannot_match(self, draft: Draft, p: CompiledPattern) -> bool:
        """A pre-check subclasses may add for a pattern over a derived view, asked before that
        view is built (True: skip)."""
        return False

    @functools.cached_property
    def _gate(self) -> Gate:
        return Gate([(p.view, p.pattern) for p in self.patterns])

    @functools.cached_property
    def _by_pass(self) -> tuple[list[tuple[int, Hashable]], list[int], Gate]:
        """The patterns the linter's one pass decides (``pass_keys``) with their keys, the others,
        and the character gate of the others (asked at the first draft the pass was made for, once
        the linter has built it)."""
        keys = self.pass_keys()
        passed = sorted(keys)
        rest = sorted(set(range(len(self.patterns))) - keys.keys())
        return [(i, keys[i]) for i in passed], rest, Gate([(self.patterns[i].view, self.patterns[i].pattern) for i in rest])

    def pass_keys(self) -> dict[int, Hashable]:
        """Pattern index → the key by which the one pass says it may match: the pattern itself
        for those over the normalised view whose factors it looks for."""
        return {i: p.pattern for i, p in enumerate(self.patterns) if p.view == "normalized" and p.pattern.gated}

    def find(self, draft: Draft) -> Iterator[Finding]:
        patterns = self.patterns
        live = draft.live
        indices: Iterable[int]
        if live is not None:
            # The one pass (``matching.triggers``) is much sharper than the character gate: it
            # alone decides for the patterns it looks for, the gate for the rest. For a pattern
            # over a derived view it looked for the characters the view can hold, so they are
            # not tested again here (the characters of a draft cost more than the searches that
            # test saved); ``cannot_match`` and the pairs of the view are.
            passed, rest, gate = self._by_pass
            left = self._live.get(live)
            if left is None:  # drafts meeting the same clauses share one answer of the pass
                if len(self._live) >= 4096:
                    self._live.clear()
                left = self._live[live] = [i for i, key in passed if key in live]
            indices = sorted(left + [rest[j] for j in gate.passing(self._met(draft, gate))]) if rest else left
        else:
            gate = self._gate
            indices = gate.passing(self._met(draft, gate))
        views: dict[str, View] = {}
        for i in indices:
            p = patterns[i]
            rp = p.pattern
            if p.view != "normalized" and self.cannot_match(draft, p):
                continue
            view = views.get(p.view)
            if view is None:
                view = views[p.view] = self.view_of(draft, p.view)
            if not (rp.pairs_met(draft, view) and rp.digits_met(draft, view)):
                continue
            for m in rp.matches(view.text, self.timeout, self.rule.id):
                finding = self._finding(draft, view, p, m)
                if finding is not None:
                    yield finding

    def _met(self, draft: Draft, gate: Gate) -> int:
        met = 0
        for name in gate.views:
            met |= CLAUSES.met(draft, name, self.view_chars(draft, name))
        return met

    def accept(self, draft: Draft, p: CompiledPattern, m: Any) -> bool:
        """Hook for subclasses that validate what was matched."""
        return True

    def _finding(self, draft: Draft, view: View, p: CompiledPattern, m: Any) -> Optional[Finding]:
        start, end = p.pattern.span(m)
        if start == end or not self.accept(draft, p, m):
            return None
        if view is not draft.view:
            start, end = _to_base(draft, view, start, end)
        if p.boundaries and not is_whole(draft, start, end):
            return None
        if p.context.blocks(draft, start, end):
            return None
        fix = m.expand(p.fix) if p.fix is not None else None
        return Finding(start, end, p.suggest, fix, p.safe, p.message, {"category": p.category})


def _to_base(draft: Draft, view, start: int, end: int) -> tuple[int, int]:
    """Map a span of a view derived from the base view back onto the base view."""
    ostart, oend = view.span(start, end)
    base = draft.view
    s = bisect.bisect_right(base.ends, ostart)
    e = bisect.bisect_left(base.starts, oend, lo=s)
    return s, max(e, s + 1)
