"""Words and phrases that should not be said, matched whole (on token boundaries) and in context."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from ...matching.boundaries import is_whole
from ...matching.pattern import Needs, RulePattern, WordSearch, needs_of
from ...text.draft import Draft
from ...text.language import is_han
from ..context import CONTEXT_FIELDS, Context, fold
from ..schema import Field
from .base import Finding, RuleKind

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



@dataclass(frozen=True)
class Entry:
    suggest: tuple[str, ...]
    fix: Optional[str]
    safe: bool
    message: str
    boundaries: bool
    context: Context
    patterns: tuple[RulePattern, ...] = ()
    compound_head: bool = False


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
        self._patterns: list[tuple[Entry, RulePattern]] = []  # every entry's patterns, in order
        for i, raw in enumerate(params["entries"]):
            entry = Entry(
                suggest=tuple(raw.get("suggest", rule.suggest)),
                fix=raw.get("fix"),
                safe=raw.get("safe", False),
                message=raw.get("message", "default"),
                boundaries=raw.get("boundaries", True),
                context=Context.from_params(raw, defaults, self.expand),
                patterns=tuple(
                    RulePattern(p, f"{rule.path}: entries[{i}].patterns[{j}]") for j, p in enumerate(raw.get("patterns", ()))
                ),
                compound_head=raw.get("compound-head", False),
            )
            self._patterns.extend((entry, p) for p in entry.patterns)
            for word in self.expand(raw["words"]):
                self.entries.setdefault(fold(word), entry)
        plain = Entry(rule.suggest, None, False, "default", True, defaults)
        for word in rule.extra_words:
            self.entries.setdefault(fold(word), plain)
        self.search = WordSearch(list(self.entries))

    def words(self) -> Iterable[str]:
        return [w for w in self.entries if any(map(is_han, w))]

    def rule_patterns(self) -> list[RulePattern]:
        return [p for _, p in self._patterns]

    def triggers(self) -> Optional[list[Needs]]:
        """The words themselves (as the view spells them) and the entries' patterns' factors."""
        found = needs_of(p for _, p in self._patterns)
        return None if found is None else [*found, (frozenset(self.entries),)]

    def find(self, draft: Draft) -> Iterator[Finding]:
        text = draft.view.text
        taken: list[tuple[int, int]] = []
        yield from self._word_findings(draft, taken)
        for entry, p in self._patterns:
            if not p.may_match(draft, draft.view):
                continue
            for m in p.matches(text, self.timeout, self.rule.id):
                start, end = p.span(m)
                if start == end or _overlaps(taken, start, end):
                    continue
                if entry.boundaries and not is_whole(draft, start, end):
                    continue
                if entry.context.blocks(draft, start, end):
                    continue
                bisect.insort(taken, (start, end))
                yield Finding(start, end, entry.suggest, entry.fix, entry.safe, entry.message)

    def _word_findings(self, draft: Draft, taken: list[tuple[int, int]]) -> Iterator[Finding]:
        """The listed words, longest first where they overlap; their spans are added to ``taken``
        (in order: they do not overlap)."""
        taken_until = -1
        text = draft.view.text
        for start, end in self.search.spans(text, self.timeout, self.rule.id):
            if start < taken_until:
                continue
            entry = self.entries[text[start:end]]
            if entry.boundaries and not self.is_whole(draft, start, end, entry.compound_head):
                continue
            if entry.context.blocks(draft, start, end):
                continue
            taken_until = end
            taken.append((start, end))
            yield Finding(start, end, entry.suggest, entry.fix, entry.safe, entry.message)

    def is_whole(self, draft: Draft, start: int, end: int, compound_head: bool = False) -> bool:
        """Whether a listed word found at ``[start, end)`` stands as a word of its own."""
        return is_whole(draft, start, end, compound_head)


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``taken`` (sorted, not overlapping each other): only
    the spans either side of its place in the order can."""
    i = bisect.bisect_left(taken, (start, end))
    return any(0 <= j < len(taken) and taken[j][0] < end and start < taken[j][1] for j in (i - 1, i))
