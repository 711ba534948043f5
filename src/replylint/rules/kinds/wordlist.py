"""Words and phrases that should not be said, matched whole (on token boundaries) and in context."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional

import regex

from ...matching import cache as regex_cache
from ..context import CONTEXT_FIELDS, Context, fold
from ...text.draft import Draft
from ...errors import RuleFileError, RuleTimeout
from ...text.language import is_han
from ...matching.prefilter import may_match
from ..schema import Field
from .base import Finding, RuleKind, scaled_timeout

ENTRY_FIELDS: dict[str, Field] = {
    "words": Field("list[str]", required=True, doc="the words or phrases, any script; folded like drafts"),
    "suggest": Field("list[str]", doc="better phrasings for these words"),
    "fix": Field("str", doc="replacement offered as a fix"),
    "safe": Field("bool", doc="whether --fix may apply the replacement without asking"),
    "message": Field("str", doc="key of a [messages.KEY] entry to use instead of the default"),
    "boundaries": Field("bool", doc="match only whole words (default true)"),
    "compound-head": Field(
        "bool",
        doc="also match at the end of a longer Chinese word (人格担保, 正品保证): Chinese compounds put "
        "their head last, so X担保 is still a 担保, while 保证金 and 保证书 are not",
    ),
    "patterns": Field(
        "list[str]",
        doc="regular expressions for phrasings a word cannot spell out (the best X in the world); a group named hit narrows the span",
    ),
    **CONTEXT_FIELDS,
}

PATTERN_TIMEOUT = 1.0  # seconds an entry's pattern may run on one draft
_FLAGS = regex_cache.RULE_FLAGS


@dataclass(frozen=True)
class Entry:
    suggest: tuple[str, ...]
    fix: Optional[str]
    safe: bool
    message: str
    boundaries: bool
    context: Context
    patterns: tuple[Any, ...] = ()  # compiled regexes
    compound_head: bool = False


def is_word_char(ch: str) -> bool:
    return ch.isalnum() and (ch.isascii() or not is_han(ch))


class WordList(RuleKind):
    """Vale's `existence`, on jieba's word boundaries and with context exceptions."""

    name = "wordlist"
    fields = {
        "entries": Field("list[table]", required=True, items=ENTRY_FIELDS, doc="groups of words sharing suggestions and context"),
        **CONTEXT_FIELDS,
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        defaults = Context.from_params(params, None, self.expand)
        self.entries: dict[str, Entry] = {}
        # Each entry pattern with its pre-check (prefilter.py), as the pattern kind runs them.
        self._prechecked: list[tuple[Entry, Any, tuple[frozenset[str], ...], tuple[frozenset[str], ...]]] = []
        for i, raw in enumerate(params["entries"]):
            entry = Entry(
                suggest=tuple(raw.get("suggest", rule.suggest)),
                fix=raw.get("fix"),
                safe=raw.get("safe", False),
                message=raw.get("message", "default"),
                boundaries=raw.get("boundaries", True),
                context=Context.from_params(raw, defaults, self.expand),
                patterns=tuple(self._compile(i, j, p) for j, p in enumerate(raw.get("patterns", ()))),
                compound_head=raw.get("compound-head", False),
            )
            for source, rx in zip(raw.get("patterns", ()), entry.patterns):
                self._prechecked.append((entry, rx, regex_cache.needs(source, _FLAGS), regex_cache.pairs(source, _FLAGS)))
            for word in self.expand(raw["words"]):
                self.entries.setdefault(fold(word), entry)
        plain = Entry(rule.suggest, None, False, "default", True, defaults)
        for word in rule.extra_words:
            self.entries.setdefault(fold(word), plain)
        alternatives = sorted(self.entries, key=len, reverse=True)
        self.pattern = regex_cache.compile("|".join(regex.escape(w) for w in alternatives)) if alternatives else None

    def _compile(self, i: int, j: int, source: str) -> Any:
        try:
            return regex_cache.compile_rule(source)
        except (regex.error, ValueError, TypeError) as exc:
            raise RuleFileError(f"{self.rule.path}: entries[{i}].patterns[{j}]: invalid regular expression: {exc}") from None

    def words(self) -> Iterable[str]:
        return [w for w in self.entries if any(map(is_han, w))]

    def check(self, draft: Draft) -> Iterator[Finding]:
        text = draft.view.text
        taken: list[tuple[int, int]] = []
        yield from self._word_findings(draft, taken)
        chars = None
        for entry, rx, needs, pairs in self._prechecked:
            if needs:
                if chars is None:
                    chars = draft.chars(draft.view)
                if not may_match(needs, chars):
                    continue
            if pairs:
                found = draft.pairs(draft.view)
                if found is not None and any(map(found.isdisjoint, pairs)):
                    continue
            try:
                for m in rx.finditer(text, timeout=scaled_timeout(PATTERN_TIMEOUT, len(text))):
                    group = "hit" if "hit" in rx.groupindex and m.group("hit") is not None else 0
                    start, end = m.span(group)
                    if start == end or _overlaps(taken, start, end):
                        continue
                    if entry.boundaries and not self._whole(draft, start, end):
                        continue
                    if entry.context.blocks(draft, start, end):
                        continue
                    bisect.insort(taken, (start, end))
                    yield Finding(start, end, entry.suggest, entry.fix, entry.safe, entry.message)
            except TimeoutError:
                raise RuleTimeout(self.rule.id, scaled_timeout(PATTERN_TIMEOUT, len(text))) from None

    def _word_findings(self, draft: Draft, taken: list[tuple[int, int]]) -> Iterator[Finding]:
        """The listed words, longest first where they overlap; their spans are added to ``taken``
        (in order: they do not overlap)."""
        if self.pattern is None:
            return
        text = draft.view.text
        taken_until = -1
        for m in self.pattern.finditer(text, overlapped=True):
            start, end = m.span()
            if start < taken_until:
                continue
            entry = self.entries[m.group()]
            if entry.boundaries and not self._whole(draft, start, end, entry.compound_head):
                continue
            if entry.context.blocks(draft, start, end):
                continue
            taken_until = end
            taken.append((start, end))
            yield Finding(start, end, entry.suggest, entry.fix, entry.safe, entry.message)

    @staticmethod
    def _whole(draft: Draft, start: int, end: int, compound_head: bool = False) -> bool:
        text = draft.view.text
        first, last = text[start], text[end - 1]
        if is_word_char(first) and start > 0 and is_word_char(text[start - 1]):
            return False
        if is_word_char(last) and end < len(text) and is_word_char(text[end]):
            return False
        if is_han(first) and not draft.is_boundary(start) and not (compound_head and is_han(last)):
            return False
        if is_han(last) and not draft.is_boundary(end):
            return False
        return True


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``taken`` (sorted, not overlapping each other): only
    the spans either side of its place in the order can."""
    i = bisect.bisect_left(taken, (start, end))
    return any(0 <= j < len(taken) and taken[j][0] < end and start < taken[j][1] for j in (i - 1, i))
