"""Regular expressions, for phrasings a word list cannot express (你…搞错了, "you should have…")."""
from __future__ import annotations

import bisect
import functools
import threading
from functools import reduce
from operator import or_
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

import regex

from ...matching import cache as regex_cache
from ..context import CONTEXT_FIELDS, Context
from ...text.draft import Draft
from ...errors import RuleFileError, RuleTimeout
from ...matching.prefilter import may_match
from ..schema import Field
from .base import Finding, RuleKind, scaled_timeout
from .wordlist import WordList

DEFAULT_TIMEOUT = 1.0

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
    load: Callable[[], Any] = field(compare=False, repr=False)  # gives the compiled regex (regex_cache.deferred)
    suggest: tuple[str, ...]
    fix: Optional[str]
    safe: bool
    message: str
    boundaries: bool
    category: str
    view: str
    context: Context
    needs: tuple[frozenset[str], ...] = ()  # pre-check: see prefilter.py
    pairs: tuple[frozenset[str], ...] = ()  # pre-check on adjacent characters: see prefilter.py
    digits: int = 0  # digits every match holds in a row (prefilter.digit_run)
    alternatives: tuple[tuple[frozenset[str], ...], ...] = ()  # clauses per top alternative (prefilter)
    first: str = ""  # characters every match starts with (prefilter.first_chars), "" if not known
    flags: int = 0

    @functools.cached_property
    def regex(self) -> Any:
        """The compiled pattern, made on first use: most patterns never run in a short run."""
        return self.load()

    @functools.cached_property
    def starts(self) -> Any:
        """A search for the first place a match can start (None: anywhere). ``regex`` tries a
        pattern at every position, even behind a look-ahead, at a cost per position; the search
        for a set of characters skips to the first that can start a match."""
        return regex_cache.compile("[" + regex.escape(self.first) + "]", self.flags) if self.first else None


class Pattern(RuleKind):
    """Each pattern's match, or its group named ``hit``, is a finding unless its context says otherwise."""

    name = "pattern"
    fields = {
        "patterns": Field("list[str|table]", required=True, items=PATTERN_FIELDS, doc="regular expressions, as strings or tables"),
        "timeout": Field("number", doc="seconds a pattern may run on one draft (default 1)"),
        **CONTEXT_FIELDS,
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        self.timeout = float(params.get("timeout", DEFAULT_TIMEOUT))
        defaults = Context.from_params(params, None, self.expand)
        self.patterns = [self._compile(i, raw, defaults) for i, raw in enumerate(params["patterns"])]

    def _compile(self, i: int, raw: Any, defaults: Context) -> CompiledPattern:
        if isinstance(raw, str):
            raw = {"pattern": raw}
        flags = regex_cache.RULE_FLAGS
        try:
            load = regex_cache.deferred_rule(raw["pattern"])
        except (regex.error, ValueError, TypeError) as exc:
            raise RuleFileError(f"{self.rule.path}: patterns[{i}]: invalid regular expression: {exc}") from None
        return CompiledPattern(
            load=load,
            suggest=tuple(raw.get("suggest", self.rule.suggest)),
            fix=raw.get("fix"),
            safe=raw.get("safe", False),
            message=raw.get("message", "default"),
            boundaries=raw.get("boundaries", False),
            category=raw.get("category", ""),
            view=raw.get("view", "normalized"),
            context=Context.from_params(raw, defaults, self.expand),
            needs=regex_cache.needs(raw["pattern"], flags),
            pairs=regex_cache.pairs(raw["pattern"], flags),
            digits=regex_cache.digit_run(raw["pattern"], flags),
            alternatives=regex_cache.alternatives(raw["pattern"], flags),
            first=regex_cache.first(raw["pattern"], flags),
            flags=flags,
        )

    def view_of(self, draft: Draft, name: str):
        return draft.view

    def view_chars(self, draft: Draft, name: str) -> frozenset[str]:
        """Characters view ``name`` may hold, for the pre-check; subclasses may answer with a
        superset worked out without building the view."""
        return draft.chars(self.view_of(draft, name))

    def cannot_match(self, draft: Draft, p: CompiledPattern) -> bool:
        """A pre-check subclasses may add before the view ``p`` matches is built (True: skip)."""
        return False

    @functools.cached_property
    def _gate(self) -> "_Gate":
        return _Gate(self.patterns)

    def check(self, draft: Draft) -> Iterator[Finding]:
        gate = self._gate
        met = 0
        for name in gate.views:
            met |= CLAUSES.met(draft, name, self.view_chars(draft, name))
        patterns = self.patterns
        base = draft.view
        seen: dict[str, tuple[Any, str, float]] = {}  # view name → view, its text, timeout
        for i in gate.passing(met):
            p = patterns[i]
            if p.digits and self.cannot_match(draft, p):
                continue
            found = seen.get(p.view)
            if found is None:
                view = self.view_of(draft, p.view)
                found = seen[p.view] = (view, view.text, scaled_timeout(self.timeout, len(view.text)))
            view, text, timeout = found
            if p.needs and view is not base and not may_match(p.needs, draft.chars(view)):
                continue
            if p.pairs:
                pairs = draft.pairs(view)
                if pairs is not None and any(map(pairs.isdisjoint, p.pairs)):
                    continue
            starts = p.starts
            if starts is None:
                pos = 0
            else:
                at = starts.search(text)
                if at is None:
                    continue
                pos = at.start()
            try:
                for m in p.regex.finditer(text, pos, timeout=timeout):
                    finding = self._finding(draft, view, p, m)
                    if finding is not None:
                        yield finding
            except TimeoutError:
                raise RuleTimeout(self.rule.id, timeout) from None

    def accept(self, draft: Draft, p: CompiledPattern, m: Any) -> bool:
        """Hook for subclasses that validate what was matched."""
        return True

    def _finding(self, draft: Draft, view, p: CompiledPattern, m: Any) -> Optional[Finding]:
        group = "hit" if "hit" in p.regex.groupindex and m.group("hit") is not None else 0
        start, end = m.span(group)
        if start == end or not self.accept(draft, p, m):
            return None
        if view is not draft.view:
            start, end = _to_base(draft, view, start, end)
        if p.boundaries and not WordList._whole(draft, start, end):
            return None
        if p.context.blocks(draft, start, end):
            return None
        fix = m.expand(p.fix) if p.fix is not None else None
        return Finding(start, end, p.suggest, fix, p.safe, p.message, {"category": p.category})


class _Clauses:
    """Every pattern clause (``prefilter``) of every rule, numbered once in the process: one pass
    over a draft's characters gives the bits of all the clauses they meet, shared by every rule."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, frozenset[str]], int] = {}
        # view name → (character → bits of its clauses, those characters); replaced, never changed,
        # so a lint running while a rule is compiled keeps a consistent pair.
        self._tables: dict[str, tuple[dict[str, int], frozenset[str]]] = {}
        self._lock = threading.Lock()

    def bit(self, view: str, clause: frozenset[str]) -> int:
        with self._lock:
            number = self._numbers.get((view, clause))
            if number is None:
                number = self._numbers[(view, clause)] = len(self._numbers)
                by_char = dict(self._tables.get(view, ({}, None))[0])
                for ch in clause:
                    by_char[ch] = by_char.get(ch, 0) | 1 << number
                self._tables[view] = (by_char, frozenset(by_char))
            return 1 << number

    def met(self, draft: Draft, view: str, chars: frozenset[str]) -> int:
        """The bits of the clauses of view ``view`` that ``chars`` (its characters) meet."""
        key = ("clauses", view, id(chars))
        found = draft.derived.get(key)
        table = self._tables[view]
        if found is None or found[0] is not chars or found[1] is not table:
            bits, keys = table
            found = draft.derived[key] = (chars, table, reduce(or_, map(bits.__getitem__, chars & keys), 0))
        return found[2]


CLAUSES = _Clauses()


class _Gate:
    """The character pre-check of a rule's patterns (``prefilter``) for all of them at once: the
    clauses met by a draft's characters (``CLAUSES``) are bits, and the patterns whose clauses
    are all met are kept per combination of the rule's bits (most drafts repeat a combination),
    instead of testing 16–45 patterns one by one per draft. Patterns stay in their order."""

    _LIMIT = 4096

    def __init__(self, patterns: list[CompiledPattern]) -> None:
        self.masks: list[tuple[int, tuple[int, ...]]] = []  # per pattern: all its clauses, each alternative's
        self.own = 0  # the bits of all this rule's clauses
        views: dict[str, None] = {}

        def mask_of(view: str, clauses: tuple[frozenset[str], ...]) -> int:
            mask = 0
            for clause in clauses:
                mask |= CLAUSES.bit(view, clause)
                views[view] = None
            self.own |= mask
            return mask

        for p in patterns:
            self.masks.append((mask_of(p.view, p.needs), tuple(mask_of(p.view, a) for a in p.alternatives)))
        self.views = tuple(views)
        self._passing: dict[int, tuple[int, ...]] = {}

    def passing(self, met: int) -> tuple[int, ...]:
        """Indices of the patterns whose clauses are all among the bits ``met`` (and, for an
        alternation, all those of one alternative)."""
        met &= self.own
        found = self._passing.get(met)
        if found is None:
            found = tuple(
                i
                for i, (mask, alternatives) in enumerate(self.masks)
                if not mask & ~met and (not alternatives or any(not a & ~met for a in alternatives))
            )
            if len(self._passing) >= self._LIMIT:
                self._passing.clear()
            self._passing[met] = found
        return found


def _to_base(draft: Draft, view, start: int, end: int) -> tuple[int, int]:
    """Map a span of a view derived from the base view back onto the base view."""
    ostart, oend = view.span(start, end)
    base = draft.view
    s = bisect.bisect_right(base.ends, ostart)
    e = bisect.bisect_left(base.starts, oend, lo=s)
    return s, max(e, s + 1)
