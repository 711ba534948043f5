"""The one seam for matching: a rule's regular expression as every rule kind runs it.

A ``RulePattern`` owns what matching means for a rule: the pattern compiled with the rule flags
(case-blind on the folded view, from the cache between runs), its pre-checks (characters and pairs
every match needs, the characters it starts with, a run of digits), the search under the timeout
policy (``matching.timeout``: matches collected before any other work), and the span a match
reports (its group named ``hit`` when that took part). Kinds call ``may_match`` / ``matches`` /
``span`` / ``search`` and nothing below them."""
from __future__ import annotations

import functools
import time
from typing import Any, Iterable, Optional

import regex

from ..errors import RuleFileError
from ..text.draft import Draft
from ..text.normalize import View
from . import cache
from .prefilter import may_match
from .timeout import scaled_timeout, timed
from .work import SECONDS_PER_TEST, UNGUARDED_SHARE, longest

FLAGS = cache.RULE_FLAGS

Needs = tuple[frozenset[str], ...]
"""Sets of strings a text must hold one of each of (``RuleKind.triggers``)."""


class RulePattern:
    """A rule's compiled pattern with its pre-checks. ``where`` names it in a rule-file error."""

    def __init__(self, source: str, where: str, scanning: bool = True) -> None:
        try:
            self._load = cache.deferred_rule(source, scanning)
        except (regex.error, ValueError, TypeError, OverflowError) as exc:
            raise RuleFileError(f"{where}: invalid regular expression: {exc}") from None
        self.source = source
        self.needs: tuple[frozenset[str], ...] = cache.needs(source, FLAGS)
        self.pairs: tuple[frozenset[str], ...] = cache.pairs(source, FLAGS)
        self.digits: int = cache.digit_run(source, FLAGS)
        self.alternatives: tuple[tuple[frozenset[str], ...], ...] = cache.alternatives(source, FLAGS)
        # What every match holds, as alternatives of sets of strings to hold one of each of
        # (``prefilter.factor_alternatives``; empty: nothing certain), looked for by the linter's
        # one pass (``matching.triggers``) once ``gated``.
        self.literals: tuple[Needs, ...] = cache.factor_alternatives(source, FLAGS)
        self.gated = False
        # The most work a search can take on a text of n characters (``work.search_bound``), and
        # per timeout the longest text on which that fits well inside the budget.
        self.bound = cache.rule_work(source)
        self._unguarded: dict[float, int] = {}

    def __repr__(self) -> str:
        return f"RulePattern({self.source!r})"

    @functools.cached_property
    def regex(self) -> Any:
        """Compiled on first use: most patterns never pass their pre-checks in a short run."""
        return self._load()

    @functools.cached_property
    def _hit(self) -> bool:
        return "hit" in self.regex.groupindex

    def meets(self, chars: frozenset[str]) -> bool:
        """The character pre-check against a text's characters (``prefilter.text_chars``)."""
        return not self.needs or may_match(self.needs, chars)

    def absent(self, draft: Draft) -> bool:
        """True when the linter's one pass over the draft's view found none of the strings
        every match holds (``matching.triggers``)."""
        live = draft.live
        return self.gated and live is not None and self not in live

    def may_match(self, draft: Draft, view: View) -> bool:
        """False when ``view`` of ``draft`` lacks a string, a character or a pair every match needs."""
        if view is draft.view and self.absent(draft):
            return False
        if self.needs and not may_match(self.needs, draft.chars(view)):
            return False
        return self.pairs_met(draft, view) and self.digits_met(draft, view)

    def pairs_met(self, draft: Draft, view: View) -> bool:
        """The pair pre-check alone (characters next to each other that every match holds); the
        linter's one pass has made it for a gated pattern over the base view."""
        if self.pairs and not (self.gated and view is draft.view and draft.live is not None):
            found = draft.pairs(view)
            if found is not None and any(map(found.isdisjoint, self.pairs)):
                return False
        return True

    def digits_met(self, draft: Draft, view: View) -> bool:
        """The digit pre-check: ``view`` of ``draft`` holds a run of digits as long as every match
        holds (a phone number's eleven). The one pass cannot say it: ``\\d`` is hundreds of characters."""
        return not self.digits or draft.digit_run(view) >= self.digits

    def unguarded(self, timeout: float, length: int) -> bool:
        """Whether a search of a text of ``length`` characters can be made without the engine's
        clock: its worst case (``bound``) is at most a quarter of the budget even at
        ``work.SECONDS_PER_TEST`` a test (a clock reading costs more than many whole searches)."""
        limit = self._unguarded.get(timeout)
        if limit is None:
            limit = self._unguarded[timeout] = longest(self.bound, timeout * UNGUARDED_SHARE / SECONDS_PER_TEST)
        return length <= limit

    def matches(self, text: str, timeout: float, rule: str) -> list[Any]:
        """Every match in ``text``, in order, found under the timeout policy before the caller does
        anything with them; ``RuleTimeout`` names ``rule`` when the search ran away."""
        rx = self.regex  # compiled before the clock starts
        if self.unguarded(timeout, len(text)):
            return list(rx.finditer(text))
        began = time.thread_time()
        try:  # the first attempt here, the rest of the policy in ``timed`` (a search that ran away)
            return list(rx.finditer(text, timeout=scaled_timeout(timeout, len(text))))
        except TimeoutError:
            spent = time.thread_time() - began
        return timed(lambda wall: list(rx.finditer(text, timeout=wall)), timeout, len(text), rule, spent, 1)

    def search(self, text: str, timeout: float, rule: str) -> bool:
        """Whether the pattern matches somewhere in ``text`` (a line of a structure rule)."""
        rx = self.regex
        if self.unguarded(timeout, len(text)):
            return rx.search(text) is not None
        began = time.thread_time()
        try:
            return rx.search(text, timeout=scaled_timeout(timeout, len(text))) is not None
        except TimeoutError:
            spent = time.thread_time() - began
        return timed(lambda wall: rx.search(text, timeout=wall) is not None, timeout, len(text), rule, spent, 1)

    def span(self, m: Any) -> tuple[int, int]:
        """The reported span of a match: its ``hit`` group when that took part, else all of it."""
        if self._hit and m.group("hit") is not None:
            return m.span("hit")
        return m.span()


class WordSearch:
    """Literal words (a word list's), found longest first where they overlap: at each place a word
    starts, the longest word starting there. One Aho–Corasick pass finds them all; the regex
    alternation it stands in for (under the timeout policy) is kept for what the automaton cannot
    take, a text with lone surrogates."""

    def __init__(self, words: list[str]) -> None:
        self.words = tuple(words)
        alternatives = sorted(words, key=len, reverse=True)
        self.regex: Optional[Any] = (
            cache.compile("|".join(regex.escape(w) for w in alternatives)) if alternatives else None
        )
        self._strings = [w for w in dict.fromkeys(words) if w]
        self._exact = len(self._strings) == len(set(words))  # no empty word, which matches everywhere

    @functools.cached_property
    def _automaton(self) -> Any:
        import ahocorasick_rs

        return ahocorasick_rs.AhoCorasick(self._strings, matchkind=ahocorasick_rs.MatchKind.Standard)

    def spans(self, text: str, timeout: float, rule: str) -> list[tuple[int, int]]:
        """The words' spans in ``text``, in order (overlapping where the words do)."""
        if self.regex is None:
            return []
        if self._exact:
            try:
                found = self._automaton.find_matches_as_indexes(text, overlapping=True)
            except UnicodeEncodeError:
                pass
            else:
                longest: dict[int, int] = {}
                for _, start, end in found:
                    if end > longest.get(start, -1):
                        longest[start] = end
                return sorted(longest.items())
        return [m.span() for m in self._matches(text, timeout, rule)]

    def _matches(self, text: str, timeout: float, rule: str) -> list[Any]:
        rx: Any = self.regex
        began = time.thread_time()
        try:
            return list(rx.finditer(text, overlapped=True, timeout=scaled_timeout(timeout, len(text))))
        except TimeoutError:
            spent = time.thread_time() - began
        return timed(
            lambda wall: list(rx.finditer(text, overlapped=True, timeout=wall)), timeout, len(text), rule, spent, 1
        )


def needs_of(patterns: Iterable[RulePattern]) -> Optional[list[Needs]]:
    """What a match of one of ``patterns`` needs, per pattern; None when one of them cannot say."""
    out: list[Needs] = []
    for p in patterns:
        if not p.literals:
            return None
        out += p.literals
    return out


def compile_all(sources: list[str], where: str) -> tuple[RulePattern, ...]:
    """Patterns of one rule field, each named ``where[i]`` in an error."""
    return tuple(RulePattern(s, f"{where}[{i}]") for i, s in enumerate(sources))
