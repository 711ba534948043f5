"""Context that turns a match into a non-finding: a negation before it, a noun-making word after
it, a purpose clause, quotation marks. Shared by the word-list, pattern and identifier kinds."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..text.draft import Draft
from ..text.normalize import fold_text
from .names import in_name
from .schema import Field

CONTEXT_FIELDS: dict[str, Field] = {
    "unless-before": Field("list[str]", doc="words that, just before the match in its clause, leave it alone"),
    "unless-after": Field("list[str]", doc="words that, just after the match in its clause, leave it alone; \"<end>\": nothing follows in the clause"),
    "unless-sentence": Field("list[str]", doc="phrases that, anywhere earlier in the sentence, leave it alone"),
    "window": Field("int", doc="how many words next to the match a phrase may span (default 3)"),
    "skip": Field("list[str]", doc="filler words not counted in the window"),
    "unless-quoted": Field("bool", doc="leave matches inside quotation marks alone"),
    "unless-inside": Field("list[str]", doc="phrases that, inside the reported span, leave it alone (a hedge: 你是否填错)"),
    "unless-clause": Field("list[str]", doc="phrases that, anywhere in the match's clause, leave it alone (a softener: 发过来哦, 先别拆哈)"),
    "unless-name": Field("bool", doc="leave a match alone inside a programme's name (A-to-z Guarantee, on-time guarantee; rules/names.py)"),
}

# How many words either side of a match unless-clause reads: a whole clause in practice.
CLAUSE_WORDS = 64


# In unless-after: the match ends its clause (感谢您的肯定。 — a noun, not the adverb 肯定).
CLAUSE_END = "<end>"
# In unless-before: the nearest word before the match is a number (2 TB, 1.5 TB — a unit, not a name).
NUMBER = "<number>"
_NUMBER_CHARS = frozenset("0123456789.,") | frozenset("零一二两三四五六七八九十百千万几")


def fold(text: str) -> str:
    """Fold a word from a rule file the way drafts are folded, so both compare equal (a start
    folds every word of the rules: one ``str.translate``, not a call per character)."""
    return fold_text(text)


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

    @classmethod
    def from_params(
        cls, params: Mapping[str, Any], defaults: "Context | None", expand: Callable[[list[str]], list[str]]
    ) -> "Context":
        base = defaults or cls()

        def words(key: str, current, joined: bool = False):
            if key not in params:
                return current
            # Words beside a match are compared joined without spaces (see _hits), so
            # "unable to" must be stored as "unableto" to ever match.
            return frozenset(fold(w).replace(" ", "") if joined else fold(w) for w in expand(params[key]))

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
        )

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
        if self.inside and self._inside.search(draft.view.text[start:end]):
            return True
        if self.before:
            nearest_first = list(reversed(draft.clause_before(start)))
            if self._hits(nearest_first, self.before, reverse=True):
                return True
            if NUMBER in self.before and _is_number(next((t for t in nearest_first if t not in self.skip), "")):
                return True
        if self.after:
            following = draft.clause_after(end)
            if self._hits(following, self.after, reverse=False):
                return True
            if not following and CLAUSE_END in self.after:
                return True
            # jieba may glue the match to the phrase after it (别着急 is one word): test the text itself too.
            if _starts_with_any(draft.view.text, end, self.after):
                return True
        if self.clause:
            # Words are joined without spaces, as in unless-before/after.
            whole = "".join(draft.clause_before(start, CLAUSE_WORDS)) + draft.view.text[start:end].replace(" ", "")
            whole += "".join(draft.clause_after(end, CLAUSE_WORDS))
            if self._clause.search(whole):
                return True
        if self.sentence:
            text = draft.sentence_before(start)
            if self._sentence.search(text):
                return True
        return False

    def _hits(self, nearest_first: list[str], words: frozenset[str], reverse: bool) -> bool:
        """Whether a phrase of ``words`` stands right next to the match, fillers aside.

        The nearest ``window`` words that are not fillers are joined in reading order; a phrase
        must end at the match (before it) or start at it (after it): 不能(百分百)保证, 一定(会)尽力.
        """
        kept: list[str] = []
        for tok in nearest_first:
            if tok in self.skip:
                continue
            kept.append(tok)
            if len(kept) >= self.window:
                break
        if reverse:
            ordered = kept[::-1]
            return any("".join(ordered[i:]) in words for i in range(len(ordered)))
        if any("".join(kept[:j]) in words for j in range(1, len(kept) + 1)):
            return True
        # After a match, a phrase may end inside a longer word (保证不了 cut as 保证/不了了之).
        return _starts_with_any("".join(kept), 0, words)


def _any_of(phrases: tuple[str, ...]) -> "re.Pattern[str]":
    """A search that finds something exactly when one of ``phrases`` (not empty) is in the text."""
    return re.compile("|".join(map(re.escape, phrases)))


def _starts_with_any(text: str, pos: int, words: frozenset[str]) -> bool:
    """Whether one of ``words`` starts at ``pos`` of ``text``: a set look-up per word length
    rather than a ``startswith`` per word (an unless-after list holds hundreds)."""
    return any(text[pos : pos + n] in words for n in _lengths(words))


@functools.lru_cache(maxsize=256)
def _lengths(words: frozenset[str]) -> tuple[int, ...]:
    return tuple(sorted({len(w) for w in words}))


def _is_number(word: str) -> bool:
    """Digits (with a decimal point or separator) or Chinese numerals: 2, 1.5, 1,000, 两."""
    return bool(word) and set(word) <= _NUMBER_CHARS and not set(word) <= frozenset(".,")
