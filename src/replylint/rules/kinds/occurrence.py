"""Counting: a finding when something occurs at least ``min`` times in a draft or a sentence
(Vale's ``occurrence``). One apology is courtesy; 抱歉抱歉,真的很抱歉 with nothing done is the
一味的道歉 of seed 004 — a count, which a single regular expression cannot say cleanly."""
from __future__ import annotations

from typing import Any, Iterator

import regex

from ...errors import RuleFileError, RuleTimeout
from ...matching import cache as regex_cache
from ...text.draft import Draft
from ...text.language import is_han
from ..context import CONTEXT_FIELDS, Context, fold
from ..schema import Field
from .base import Finding, RuleKind, scaled_timeout
from .wordlist import WordList

TIMEOUT = 1.0  # seconds a pattern may run on one draft


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
        words = sorted({fold(w) for w in self.expand(params.get("words", ()))}, key=len, reverse=True)
        self.word_regex = regex_cache.compile("|".join(map(regex.escape, words))) if words else None
        self.counted = [self._compile(f"patterns[{i}]", p) for i, p in enumerate(self.expand(params.get("patterns", ())))]
        self.unless = [self._compile(f"unless[{i}]", p) for i, p in enumerate(self.expand(params.get("unless", ())))]
        if self.word_regex is None and not self.counted:
            raise RuleFileError(f"{rule.path}: an occurrence rule needs 'words' or 'patterns'")

    def _compile(self, where: str, source: str) -> Any:
        try:
            return regex_cache.compile_rule(source)
        except (regex.error, ValueError, TypeError) as exc:
            raise RuleFileError(f"{self.rule.path}: {where}: invalid regular expression: {exc}") from None

    def words(self) -> list[str]:
        """Chinese words the tokenizer should keep whole, so they can stand on its boundaries."""
        return [fold(w) for w in self.expand(self.params.get("words", ())) if any(map(is_han, w))]

    def occurrences(self, draft: Draft) -> list[tuple[int, int]]:
        """The spans counted, in order, overlaps dropped (a word inside a pattern's match counts once)."""
        text = draft.view.text
        timeout = scaled_timeout(TIMEOUT, len(text))
        found: list[tuple[int, int]] = []
        try:
            if self.word_regex is not None:
                for m in self.word_regex.finditer(text, overlapped=True):
                    if WordList._whole(draft, *m.span(), self.compound_head):
                        found.append(m.span())
            for rx in self.counted:
                for m in rx.finditer(text, timeout=timeout):
                    group = "hit" if "hit" in rx.groupindex and m.group("hit") is not None else 0
                    if m.end(group) > m.start(group):
                        found.append(m.span(group))
        except TimeoutError:
            raise RuleTimeout(self.rule.id, timeout) from None
        kept: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if kept and start < kept[-1][1]:
                continue
            if not self.context.blocks(draft, start, end):
                kept.append((start, end))
        return kept

    def check(self, draft: Draft) -> Iterator[Finding]:
        spans = self.occurrences(draft)
        if len(spans) < self.min:
            return
        text = draft.view.text
        try:
            if any(rx.search(text, timeout=scaled_timeout(TIMEOUT, len(text))) for rx in self.unless):
                return
        except TimeoutError:
            raise RuleTimeout(self.rule.id, TIMEOUT) from None
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

