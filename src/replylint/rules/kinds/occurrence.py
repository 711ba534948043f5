"""Counting: a finding when something occurs at least ``min`` times in a draft or a sentence
(Vale's ``occurrence``). One apology is courtesy; 抱歉抱歉,真的很抱歉 with nothing done is the
一味的道歉 of seed 004 — a count, which a single regular expression cannot say cleanly."""
from __future__ import annotations

from typing import Iterator, Optional

from ...errors import RuleFileError
from ...matching.boundaries import is_whole
from ...matching.pattern import Needs, RulePattern, WordSearch, compile_all, needs_of
from ...text.draft import Draft
from ...text.language import is_han
from ..context import CONTEXT_FIELDS, Context, fold
from ..schema import Field
from .base import Finding, RuleKind


class Occurrence(RuleKind):
    """Occurrences of ``words`` (whole words) and ``patterns`` are counted per ``scope``; each must
    pass the context exceptions. ``min`` of them make one finding, unless an ``unless`` pattern
    matches anywhere in the draft (an action that redeems the apologies: 马上为您补发)."""

    name = "occurrence"
    fields = {
        "words": Field("list[str]", doc="words counted when they stand whole (jieba boundaries); any script, folded like drafts"),
        "patterns": Field("list[str]", doc="regular expressions counted (group `hit` narrows an occurrence)"),
        "compound-head": Field(
            "bool",
            doc="a Chinese word also counts at the end of a longer jieba word (很抱歉, 深表歉意): the head comes last",
        ),
        "min": Field("int", required=True, doc="how many occurrences make a finding (e.g. 3)"),
        "scope": Field("str", choices=("draft", "sentence"), doc="where occurrences are counted together (default draft)"),
        "unless": Field("list[str]", doc="regular expressions (or @set) that, matching anywhere in the draft, cancel the finding"),
        "span": Field("str", choices=("all", "first"), doc="report from the first occurrence to the last (default) or the first alone"),
        **CONTEXT_FIELDS,
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        self.min = params["min"]
        if self.min < 1:
            raise RuleFileError(f"{rule.path}: field 'min' must be at least 1")
        self.scope = params.get("scope", "draft")
        self.span = params.get("span", "all")
        self.compound_head = params.get("compound-head", False)
        self.context = Context.from_params(params, None, self.expand)
        words = sorted({fold(w) for w in self.expand(params.get("words", ()))})
        self.search = WordSearch(words) if words else None
        self.counted = compile_all(self.expand(params.get("patterns", ())), f"{rule.path}: patterns")
        self.unless = compile_all(self.expand(params.get("unless", ())), f"{rule.path}: unless")
        if self.search is None and not self.counted:
            raise RuleFileError(f"{rule.path}: an occurrence rule needs 'words' or 'patterns'")

    def words(self) -> list[str]:
        """Chinese words the tokenizer should keep whole, so they can stand on its boundaries."""
        return [fold(w) for w in self.expand(self.params.get("words", ())) if any(map(is_han, w))]

    def rule_patterns(self) -> list[RulePattern]:
        return [*self.counted, *self.unless]

    def triggers(self) -> Optional[list[Needs]]:
        """A finding needs at least one occurrence: a counted word, or a match of a counted pattern."""
        found = needs_of(self.counted)
        return None if found is None else [*found, (frozenset(self.search.words if self.search else ()),)]

    def occurrences(self, draft: Draft) -> list[tuple[int, int]]:
        """The spans counted, in order, overlaps dropped (a word inside a pattern's match counts
        once); none when too few are found to make a finding, before any is judged."""
        text = draft.view.text
        words = self.search.spans(text, self.timeout, self.rule.id) if self.search is not None else []
        found: list[tuple[int, int]] = []
        for p in self.counted:
            if p.may_match(draft, draft.view):
                found.extend(span for span in map(p.span, p.matches(text, self.timeout, self.rule.id)) if span[1] > span[0])
        if len(words) + len(found) < self.min:
            return []  # judging them (word boundaries, context) only ever drops some
        found.extend(span for span in words if is_whole(draft, *span, self.compound_head))
        kept: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if kept and start < kept[-1][1]:
                continue
            if not self.context.blocks(draft, start, end):
                kept.append((start, end))
        return kept

    def find(self, draft: Draft) -> Iterator[Finding]:
        spans = self.occurrences(draft)
        if len(spans) < self.min:
            return
        text = draft.view.text
        if any(p.may_match(draft, draft.view) and p.search(text, self.timeout, self.rule.id) for p in self.unless):
            return
        groups: list[list[tuple[int, int]]] = []
        if self.scope == "draft":
            groups = [spans]
        else:
            by_sentence: dict[tuple[int, int], list[tuple[int, int]]] = {}
            for span in spans:
                by_sentence.setdefault(draft.sentence_of(span[0]), []).append(span)
            groups = list(by_sentence.values())
        for group in groups:
            if len(group) >= self.min:
                end = group[0][1] if self.span == "first" else group[-1][1]
                yield Finding(group[0][0], end, self.rule.suggest, values={"count": len(group)})

