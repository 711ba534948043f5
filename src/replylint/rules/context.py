"""Context that turns a match into a non-finding: a negation before it, a noun-making word after
it, a purpose clause, quotation marks. Shared by the word-list, pattern and identifier kinds."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..text.draft import CLAUSE_END_CHARS as _CLAUSE_END_CHARS
from ..text.draft import Draft
from ..text.normalize import fold_text
from .names import in_name
from .schema import Field

CONTEXT_FIELDS: dict[str, Field] = {
    "unless-before": Field("list[str]", doc="words that, just before the match in its clause, leave it alone"),
    "unless-after": Field("list[str]", doc="words that, just after the match in its clause, leave it alone; \"<end>\": nothing follows in the clause"),
    "unless-sentence": Field("list[str]", doc="phrases that, anywhere earlier in the sentence, leave it alone"),
    "window": Field("int", min=1, max=100, doc="how many words next to the match a phrase may span (default 3)"),
    "skip": Field("list[str]", doc="filler words not counted in the window"),
    "unless-quoted": Field("bool", doc="leave matches inside quotation marks alone"),
    "unless-inside": Field("list[str]", doc="phrases that, inside the reported span, leave it alone (a hedge: 你是否填错)"),
    "unless-clause": Field("list[str]", doc="phrases that, anywhere in the match's clause, leave it alone (a softener: 发过来哦, 先别拆哈)"),
    "unless-name": Field("bool", doc="leave a match alone inside a programme's name (A-to-z Guarantee, on-time guarantee; rules/names.py)"),
    "negation": Field("list[str]", doc="negation words for unless-negated (不, 无法, cannot…)"),
    "unless-negated": Field("list[str]", doc="words whose negation, anywhere earlier in the clause, takes the match into its scope (无法保证…一定能到, 不敢说…肯定)"),
    "unless-question": Field("bool", doc="leave alone a match in a clause that asks (ends in ？ or 吗): a question claims nothing"),
    "unless-after-but": Field("list[str]", doc="words that, right after an unless-after phrase, undo it: a result after an effort (处理好, 解决掉)"),
}

_QUESTION_MARKS = frozenset("？?")
# Trailing particles, emoji and spaces that may follow 吗 (是百分百出现吗呢～).
_TRAILING = re.compile(r"[\s呢呀啊哈哦喔嘛～~…\W]*$")

# How many words either side of a match unless-clause reads: a whole clause in practice.
CLAUSE_WORDS = 64
# How many words next to a match unless-before and unless-after look at (``window`` of them count).
NEAREST = 8


# In unless-after: the match ends its clause (感谢您的肯定。 — a noun, not the adverb 肯定).
CLAUSE_END = "<end>"
# In unless-before: the nearest word before the match is a number (2 TB, 1.5 TB — a unit, not a name).
NUMBER = "<number>"
_NUMBER_CHARS = frozenset("0123456789.,") | frozenset("零一二两三四五六七八九十百千万几")


def fold(text: str) -> str:
    """Fold a word from a rule file the way drafts are folded, so both compare equal (a start
    folds every word of the rules: one ``str.translate``, not a call per character)."""
    return fold_text(text)


@functools.lru_cache(maxsize=2048)
def _folded(words: tuple[str, ...], joined: bool) -> frozenset[str]:
    """A context list's words folded, once for every entry and draft kind sharing it (a set such
    as @negation is in most entries). Words beside a match are compared joined without spaces
    (see ``_hits``), so "unable to" must be stored as "unableto" to ever match."""
    return frozenset(fold(w).replace(" ", "") if joined else fold(w) for w in words)


@dataclass(frozen=True)
class Context:
    before: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()
    sentence: tuple[str, ...] = ()
    window: int = 3
    skip: frozenset[str] = frozenset()
    quoted: bool = False
    inside: tuple[str, ...] = ()
    clause: tuple[str, ...] = ()
    name: bool = False
    negation: frozenset[str] = frozenset()
    negated: frozenset[str] = frozenset()
    question: bool = False
    after_but: frozenset[str] = frozenset()

    @classmethod
    def from_params(
        cls, params: Mapping[str, Any], defaults: "Context | None", expand: Callable[[list[str]], list[str]]
    ) -> "Context":
        base = defaults or cls()

        def words(key: str, current, joined: bool = False):
            if key not in params:
                return current
            return _folded(tuple(expand(params[key])), joined)

        return cls(
            before=words("unless-before", base.before, joined=True),
            after=words("unless-after", base.after, joined=True),
            sentence=tuple(fold(w) for w in expand(params["unless-sentence"])) if "unless-sentence" in params else base.sentence,
            window=params.get("window", base.window),
            skip=words("skip", base.skip),
            quoted=params.get("unless-quoted", base.quoted),
            inside=tuple(fold(w) for w in expand(params["unless-inside"])) if "unless-inside" in params else base.inside,
            clause=tuple(fold(w).replace(" ", "") for w in expand(params["unless-clause"])) if "unless-clause" in params else base.clause,
            name=params.get("unless-name", base.name),
            negation=words("negation", base.negation, joined=True),
            negated=words("unless-negated", base.negated, joined=True),
            question=params.get("unless-question", base.question),
            after_but=words("unless-after-but", base.after_but, joined=True),
        )

    @functools.cached_property
    def _reach(self) -> tuple[int, int]:
        """How many words of the clause to walk before and after the match: the nearest few for
        unless-before/after (``window`` of them when no filler is skipped, else ``NEAREST``), the
        whole clause when the negation scope or unless-clause reads it too (one walk then serves
        every test: the nearest words are the end of the longer one)."""
        whole = bool(self.clause)
        near = NEAREST if self.skip else min(self.window, NEAREST)
        return (CLAUSE_WORDS if whole or (self.negated and self.negation) else near, CLAUSE_WORDS if whole else near)

    # Whether one of a list of phrases is in a text: one ``re`` alternation of the literal phrases
    # searches in C what ``any(p in text for p in phrases)`` asks phrase by phrase (up to ~150).
    @functools.cached_property
    def _inside(self) -> "re.Pattern[str]":
        return _any_of(self.inside)

    @functools.cached_property
    def _clause(self) -> "re.Pattern[str]":
        return _any_of(self.clause)

    @functools.cached_property
    def _sentence(self) -> "re.Pattern[str]":
        return _any_of(self.sentence)

    def blocks(self, draft: Draft, start: int, end: int) -> bool:
        """True when the context of view span ``[start, end)`` says to leave the match alone."""
        if self.quoted and draft.in_quotes(start, end):
            return True
        if self.name and in_name(draft.text, *draft.view.span(start, end)):
            return True
        if self._local and self._in_clause(draft, start, end):
            return True
        if self.sentence:
            text = draft.sentence_before(start)
            if self._sentence.search(text):
                return True
        return False

    @functools.cached_property
    def _local(self) -> bool:
        """Whether a test reads the match's clause (``_clause_blocks``)."""
        return bool(self.inside or self.before or (self.negated and self.negation) or self.question or self.after or self.clause)

    @functools.cached_property
    def _ahead(self) -> int:
        """How far past a match ``_starts_with_any`` reads: a phrase and what may undo it."""
        longest = lambda words: max(map(len, words), default=0)
        return longest(self.after) + longest(self.after_but)

    @functools.cached_property
    def _identity(self) -> object:
        """This context in a key of ``_JUDGED``: equal contexts of two rules are still two."""
        return object()

    def _in_clause(self, draft: Draft, start: int, end: int) -> bool:
        """``_clause_blocks``, once for every match whose clause reads the same (``Draft.clause_window``):
        replies repeat their phrases (我们保证明天发货), and these tests walk and cut words."""
        window = draft.clause_window(start, end, self._ahead)
        if window is None:
            return self._clause_blocks(draft, start, end)
        key = (self._identity, draft.segmenter, window)
        found = _JUDGED.get(key)
        if found is None:
            if len(_JUDGED) >= _JUDGED_KEPT:
                _JUDGED.clear()
            found = _JUDGED[key] = self._clause_blocks(draft, start, end)
        return found

    def _clause_blocks(self, draft: Draft, start: int, end: int) -> bool:
        """The tests that read only the match's clause: inside it, the words before and after it,
        a negation's scope, a question."""
        if self.inside and self._inside.search(draft.view.text[start:end]):
            return True
        before = after = None  # the clause's words either side, walked once for every test reading them
        if self.before and not self._absent_before(draft, start):
            before = draft.clause_before(start, self._reach[0])
            nearest_first = before[: -NEAREST - 1 : -1]
            if self._hits(nearest_first, self.before, reverse=True):
                return True
            if NUMBER in self.before and _is_number(next((t for t in nearest_first if t not in self.skip), "")):
                return True
        if self.negated and self.negation:
            if before is None:
                before = draft.clause_before(start, CLAUSE_WORDS)
            if self._in_negation_scope(before):
                return True
        if self.question and _asks(draft.view.text, end, draft.sentence_of(max(end - 1, 0))[1]):
            return True
        if self.after:
            if not self._absent_after(draft, end):
                after = draft.clause_after(end, self._reach[1])
                following = after[:NEAREST]
                if self._hits(following, self.after, reverse=False, but=self.after_but):
                    return True
                if not following and CLAUSE_END in self.after:
                    return True
            # jieba may glue the match to the phrase after it (别着急 is one word): test the text itself too.
            if _starts_with_any(draft.view.text, end, self.after, self.after_but):
                return True
        if self.clause:
            # Words are joined without spaces, as in unless-before/after.
            before = draft.clause_before(start, CLAUSE_WORDS) if before is None else before
            after = draft.clause_after(end, CLAUSE_WORDS) if after is None else after
            whole = "".join(before) + draft.view.text[start:end].replace(" ", "") + "".join(after)
            if self._clause.search(whole):
                return True
        return False

    # A phrase ``_hits`` finds is made of words of the sentence next to each other, fillers
    # between them left out: it is in the sentence's text, spaces taken out, with at most fillers
    # between its characters. Where no phrase is there, the clause walk (which cuts words) is
    # spared. It is needed anyway when a marker (<end>, <number>) or the whole clause reads its words.

    @functools.cached_property
    def _before_phrases(self) -> "re.Pattern[str] | None":
        return None if NUMBER in self.before or self.clause or (self.negated and self.negation) else self._spread(self.before)

    @functools.cached_property
    def _after_phrases(self) -> "re.Pattern[str] | None":
        return None if CLAUSE_END in self.after or self.clause else self._spread(self.after)

    def _spread(self, phrases: frozenset[str]) -> "re.Pattern[str] | None":
        """A search that finds each of ``phrases`` with fillers (``skip``) between its characters;
        None with more than a few fillers, whose search would take longer to compile than it saves."""
        if not phrases or "" in phrases or len(self.skip) > _FEW_FILLERS:
            return None
        return _spread_search(phrases, self.skip)

    def _absent_before(self, draft: Draft, start: int) -> bool:
        """Whether no unless-before phrase can be in the sentence before ``start``."""
        found = self._before_phrases
        return found is not None and _nowhere(found, draft.sentence_before(start))

    def _absent_after(self, draft: Draft, end: int) -> bool:
        """Whether no unless-after phrase can be in the sentence after ``end``."""
        found = self._after_phrases
        return found is not None and _nowhere(found, draft.view.text[end : draft.sentence_of(end)[1]])

    def _hits(self, nearest_first: list[str], words: frozenset[str], reverse: bool, but: frozenset[str] = frozenset()) -> bool:
        """Whether a phrase of ``words`` stands right next to the match, fillers aside.

        The nearest ``window`` words that are not fillers are joined in reading order; a phrase
        must end at the match (before it) or start at it (after it): 不能(百分百)保证, 一定(会)尽力.
        """
        skip = self.skip
        if skip:
            kept: list[str] = []
            for tok in nearest_first:
                if tok not in skip:
                    kept.append(tok)
                    if len(kept) >= self.window:
                        break
        else:
            kept = nearest_first[: self.window]
        # The phrases tried grow one word at a time away from the match: the nearest word, then
        # it with the next one (before the match, joined in reading order).
        joined = ""
        if reverse:
            for tok in kept:
                joined = tok + joined
                if joined in words:
                    return True
            return False
        if but:
            # A phrase counts unless a result word follows it: 处理 is an effort, 处理好 an outcome.
            return _starts_with_any("".join(kept), 0, words, but)
        for tok in kept:
            joined += tok
            if joined in words:
                return True
        # After a match, a phrase may end inside a longer word (保证不了 cut as 保证/不了了之).
        return _starts_with_any(joined, 0, words)

    def _in_negation_scope(self, before: list[str]) -> bool:
        """Whether a negated scope word stands earlier in the clause: in 无法保证一定能到 the 一定 is
        inside what 无法保证 refuses to promise. ``before`` is in reading order."""
        glued = self._negated_glued
        if "" in self.negated and "" in self.negation and before:
            return True  # an empty scope word after an empty negation is glued to every word
        for i, tok in enumerate(before):
            if tok in glued:
                return True  # jieba keeps 不保证 / 无法保证 whole
            if tok in self.negated and self._hits(before[i - 1 :: -1] if i else [], self.negation, reverse=True):
                return True
        return False

    @functools.cached_property
    def _negated_glued(self) -> frozenset[str]:
        """Scope words with a negation glued in front (不保证, 无法保证), as one token may hold them."""
        return frozenset(n + v for n in self.negation for v in self.negated if n and v)


_FEW_FILLERS = 4
# Judgements of clauses (``Context._in_clause``), by context, segmenter and clause window: a few
# megabytes at most, shared by every linter of the process.
_JUDGED: dict[Any, bool] = {}
_JUDGED_KEPT = 16384


@functools.lru_cache(maxsize=256)
def _spread_search(phrases: frozenset[str], skip: frozenset[str]) -> "re.Pattern[str]":
    fillers = sorted({f.replace(" ", "") for f in skip} - {""})
    gap = "(?:%s)*" % "|".join(map(re.escape, fillers)) if fillers else ""
    return re.compile("|".join(gap.join(map(re.escape, p)) for p in sorted(phrases)))


def _nowhere(phrases: "re.Pattern[str]", text: str) -> bool:
    return phrases.search(text.replace(" ", "")) is None


def _asks(text: str, end: int, limit: int) -> bool:
    """Whether the clause that goes on from ``end`` asks rather than states: it ends in ？ or in 吗
    (是百分百出现吗？, 一定要今天发吗). A question claims nothing; a claim followed by 好吗？ in a
    clause of its own is still a claim. The clause ends with its sentence (at ``limit``): the
    question of the next one (We guarantee it. Any questions?) is not this one's."""
    m = _CLAUSE_END_CHARS.search(text, end, limit)
    if m and m.group() in _QUESTION_MARKS:
        return True
    stop = m.start() if m else limit
    trailing = _TRAILING.search(text, end, stop)  # always found: it may be empty, at ``stop``
    rest_end = trailing.start() if trailing else stop
    return text[end:rest_end].endswith("吗") or (rest_end == end and text[max(0, end - 1) : end] == "吗")


def _any_of(phrases: tuple[str, ...]) -> "re.Pattern[str]":
    """A search that finds something exactly when one of ``phrases`` (not empty) is in the text."""
    return re.compile("|".join(map(re.escape, phrases)))


def _starts_with_any(text: str, pos: int, words: frozenset[str], but: frozenset[str] = frozenset()) -> bool:
    """Whether one of ``words`` starts at ``pos`` of ``text`` (and, with ``but``, is not followed
    by one of those)."""
    return _starter(words, but).match(text, pos) is not None


@functools.lru_cache(maxsize=256)
def _starter(words: frozenset[str], but: frozenset[str]) -> "re.Pattern[str]":
    """One match in C for what a ``startswith`` per word would ask (an unless-after list holds
    hundreds): the alternation backtracks into another word when the first is followed by ``but``."""
    either = lambda phrases: "|".join(map(re.escape, sorted(phrases)))
    return re.compile(f"(?:{either(words)})" + (f"(?!{either(but)})" if but else "") if words else "(?!)")


def _is_number(word: str) -> bool:
    """Digits (with a decimal point or separator) or Chinese numerals: 2, 1.5, 1,000, 两."""
    return bool(word) and set(word) <= _NUMBER_CHARS and not set(word) <= frozenset(".,")
