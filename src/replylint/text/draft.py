"""A draft: the text to lint, its kind and language, its normalised view and its words.

Everything a rule needs is computed here once, lazily: the normalised view, the sentences,
the tokens of a sentence (jieba only runs on a sentence a rule asks about).
"""
from __future__ import annotations

import bisect
import functools
from itertools import accumulate
from typing import Any, NamedTuple, Optional

from ..matching import cache as regex_cache
from ..matching import prefilter
from ..matching.prefilter import relevant_pairs, text_chars
from .language import detect_language, is_han, message_language, messages_for
from .letter import quoted_spans
from .normalize import View, normalize
from .placeholders import placeholder_spans
from .positions import LineIndex
from .tokenize import BLOCK as BLOCK_RUN
from .tokenize import Segmenter, segmenter_for

KINDS = ("chat", "email")

_SENTENCE_END = regex_cache.compile(r"[。！？!?\n]+|\.(?=\s|$)|[;；]")
_CLAUSE_BREAK = regex_cache.compile(r"^[\s，,、；;：:。.！!？?～~…—()（）「」『』“”\"《》【】\[\]]+$")
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"', "《": "》"}
_QUOTE_OPEN = regex_cache.compile("[" + "".join(_QUOTE_PAIRS) + "]")


class Token(NamedTuple):
    """A word of a sentence and its view span (a tuple: a long draft has millions)."""

    text: str
    start: int
    end: int


_TOKEN_CACHE_LIMIT = 1024
"""Sentences whose tokens a draft keeps; the segmenter caches the cutting itself, so a long draft's
sentences need not all stay in memory as tokens."""


class Draft:
    """One reply or letter. Offsets given to and returned by its methods are in the normalised view
    unless they say ``original``."""

    def __init__(
        self,
        text: str,
        kind: str = "chat",
        platform: Optional[str] = None,
        lang: Optional[str] = None,
        ignored: tuple[tuple[int, int], ...] = (),
        segmenter: Optional[Segmenter] = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown draft kind {kind!r}; expected one of {', '.join(KINDS)}")
        self.text = text
        self.segmenter = segmenter or segmenter_for()  # a Linter passes its own (its rules' words)
        self.kind = kind
        self.platform = platform.lower() if platform else None
        self._lang = lang or None
        ignored_spans = list(ignored)
        if kind == "email":
            ignored_spans.extend(quoted_spans(text))
        self.ignored = tuple(sorted(ignored_spans))
        removed = _merge(list(self.ignored))
        masks = [p for p in placeholder_spans(text) if not any(s <= p[0] < e for s, e in removed)]
        self.view: View = normalize(text, masks, removed)
        self._token_cache: dict[tuple[int, int], tuple[tuple[str, ...], list[int]]] = {}
        self.derived: dict[Any, Any] = {}  # what rule kinds work out once per draft (views, …), by key
        # The rules and patterns the linter's one pass over the view found may fire
        # (``matching.triggers``); None when no pass was made (a kind run on its own).
        self.live: Optional[frozenset[Any]] = None
        self._chars: dict[int, tuple[View, frozenset[str]]] = {}
        self._pairs: dict[int, tuple[View, int, Optional[frozenset[str]]]] = {}

    @property
    def lang(self) -> str:
        """``zh-Hans``, ``zh-Hant`` or ``en`` (as given, else detected when first asked)."""
        if self._lang is None:
            self._lang = detect_language(self.text)
        return self._lang

    @lang.setter
    def lang(self, value: str) -> None:
        self._lang = value

    def message_language(self) -> str:
        """``zh`` or ``en``, the language of messages about this draft: asked at the first finding,
        and cheaper than ``lang`` (the Chinese scripts need not be told apart)."""
        return message_language(self._lang) if self._lang else messages_for(self.text)

    def chars(self, view: View) -> frozenset[str]:
        """The characters of ``view`` (one of this draft's views) for the patterns' pre-check."""
        found = self._chars.get(id(view))
        if found is None or found[0] is not view:  # the view is kept, so its id is not reused
            found = self._chars[id(view)] = (view, text_chars(view.text))
        return found[1]

    def pairs(self, view: View) -> Optional[frozenset[str]]:
        """The pairs of adjacent characters of ``view`` that a pair pre-check can ask about
        (``prefilter.relevant_pairs``; None: too long)."""
        found = self._pairs.get(id(view))
        if found is None or found[0] is not view or found[1] != prefilter.pair_version:
            found = self._pairs[id(view)] = (view, prefilter.pair_version, relevant_pairs(view.text))
        return found[2]

    # -- positions -------------------------------------------------------------------------
    @functools.cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    def original(self, start: int, end: int) -> tuple[int, int]:
        return self.view.span(start, end)

    def is_ignored(self, ostart: int, oend: int) -> bool:
        return any(s <= ostart and oend <= e for s, e in self.ignored)

    # -- sentences and tokens ----------------------------------------------------------------
    @functools.cached_property
    def sentences(self) -> list[tuple[int, int]]:
        spans = []
        start = 0
        for m in _SENTENCE_END.finditer(self.view.text):
            if m.end() > start:
                spans.append((start, m.end()))
            start = m.end()
        if start < len(self.view.text):
            spans.append((start, len(self.view.text)))
        return spans

    @functools.cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self._sentence_starts, pos) - 1, 0)
        return self.sentences[i] if self.sentences else (0, 0)

    def _cut(self, start: int, end: int) -> tuple[tuple[str, ...], list[int]]:
        """The words of the sentence ``[start, end)`` and their bounds: word ``i`` is
        ``[bounds[i], bounds[i + 1])`` (no object per word: rules ask about a few words of it)."""
        cached = self._token_cache.get((start, end))
        if cached is None:
            words = self.segmenter.cut(self.view.text[start:end])
            if len(self._token_cache) >= _TOKEN_CACHE_LIMIT:
                self._token_cache.clear()
            cached = self._token_cache[(start, end)] = (words, list(accumulate(map(len, words), initial=start)))
        return cached

    def tokens(self, pos: int) -> tuple[Token, ...]:
        """The tokens of the sentence containing ``pos``."""
        words, bounds = self._cut(*self.sentence_of(pos))
        return tuple(map(Token, words, bounds, bounds[1:]))

    def is_boundary(self, pos: int) -> bool:
        """Whether a token of ``pos``'s sentence starts at ``pos``. Only the block holding ``pos``
        is cut: jieba cuts blocks on their own and every other character is a word of its own."""
        s, e = self.sentence_of(pos)
        if pos in (s, e):
            return True
        if not s < pos < e:
            return pos in self._cut(s, e)[1][:-1]
        text = self.view.text
        starts, ends = self._blocks(s, e)
        i = bisect.bisect_right(starts, pos) - 1  # the block starting at or before pos
        if i >= 0 and starts[i] < pos < ends[i]:
            return pos - starts[i] in self.segmenter.block_starts(text[starts[i] : ends[i]])
        return text[pos - 1 : pos + 1] != "\r\n"

    def _blocks(self, s: int, e: int) -> tuple[list[int], list[int]]:
        """Starts and ends of the blocks jieba cuts in the sentence ``[s, e)``, found once per
        sentence: searching them from the sentence start at every call made a long one-line draft
        quadratic (issue 18: an 80,000-character line took a minute)."""
        cache = self.__dict__.setdefault("_block_cache", {})
        found = cache.get((s, e))
        if found is None:
            runs = [m.span() for m in BLOCK_RUN.finditer(self.view.text, s, e)]
            found = cache[(s, e)] = ([a for a, _ in runs], [b for _, b in runs])
        return found

    @staticmethod
    def _is_break(words: tuple[str, ...], i: int) -> bool:
        word = words[i]
        if not _breaking(word):
            return False
        if word.isspace():
            # A space between two English words is not a clause break; beside Chinese it is.
            prev = words[i - 1] if i > 0 else ""
            nxt = words[i + 1] if i + 1 < len(words) else ""
            return any(map(is_han, prev[-1:] + nxt[:1])) or not prev or not nxt
        return True

    def clause_before(self, pos: int, limit: int = 8) -> list[str]:
        """Up to ``limit`` words before ``pos`` in its clause, nearest last."""
        words, bounds = self._cut(*self.sentence_of(pos))
        breaks = _breaks(words)
        out: list[str] = []
        # The words ending at or before ``pos``, nearest first.
        for i in range(bisect.bisect_right(bounds, pos) - 2, -1, -1):
            if breaks[i] or len(out) >= limit:
                break
            if not words[i].isspace():
                out.append(words[i])
        out.reverse()
        return out

    def clause_after(self, pos: int, limit: int = 8) -> list[str]:
        """Up to ``limit`` words after ``pos`` in its clause, nearest first."""
        words, bounds = self._cut(*self.sentence_of(pos))
        breaks = _breaks(words)
        out: list[str] = []
        # The words starting at or after ``pos``.
        for i in range(bisect.bisect_left(bounds, pos), len(words)):
            if breaks[i] or len(out) >= limit:
                break
            if not words[i].isspace():
                out.append(words[i])
        return out

    def sentence_before(self, pos: int) -> str:
        s, _ = self.sentence_of(pos)
        return self.view.text[s:pos]

    @functools.cached_property
    def quoted(self) -> list[tuple[int, int]]:
        """Spans of the view inside quotation marks (the customer's own words, usually)."""
        spans = []
        text = self.view.text
        i = 0
        for m in _QUOTE_OPEN.finditer(text):
            if m.start() < i:
                continue
            i = m.start()
            line_end = text.find("\n", i + 1)
            j = text.find(_QUOTE_PAIRS[m.group()], i + 1, len(text) if line_end == -1 else line_end)
            if j != -1:
                spans.append((i, j + 1))
                i = j + 1
        return spans

    @functools.cached_property
    def _quoted_starts(self) -> list[int]:
        return [s for s, _ in self.quoted]

    def in_quotes(self, start: int, end: int) -> bool:
        # Quoted spans do not overlap: only the last one opening before ``start`` can hold it.
        i = bisect.bisect_left(self._quoted_starts, start) - 1
        return i >= 0 and end < self.quoted[i][1]


class _Breaking(dict):
    """Word → whether it is all punctuation or space, worked out at its first use (a sentence's
    words repeat from draft to draft; a look-up is a dictionary's, in C)."""

    def __missing__(self, word: str) -> bool:
        if len(self) >= 100_000:
            self.clear()
        found = self[word] = _CLAUSE_BREAK.match(word) is not None
        return found


_breaking = _Breaking().__getitem__


@functools.lru_cache(maxsize=4096)
def _breaks(words: tuple[str, ...]) -> tuple[bool, ...]:
    """Which words of a sentence's cut break a clause (``Draft._is_break``), worked out once per
    cut: the context of every word found asks about the same sentence several times."""
    found = list(map(_breaking, words))
    if any(map(str.isspace, words)):  # only a space depends on its neighbours
        for i, word in enumerate(words):
            if word.isspace():
                found[i] = Draft._is_break(words, i)
    return tuple(found)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
