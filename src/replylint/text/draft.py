"""A draft: the text to lint, its kind and language, its normalised view and its words.

Everything a rule needs is computed here once, lazily: the normalised view, the sentences,
the tokens of a sentence (jieba only runs on a sentence a rule asks about).
"""
from __future__ import annotations

import bisect
import re
from itertools import accumulate
from typing import Any, Callable, Generic, NamedTuple, Optional, TypeVar

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

_DIGITS = regex_cache.compile(r"\d+")
_SENTENCE_END = regex_cache.compile(r"[。！？!?\n]+|\.(?=\s|$)|[;；]")
_CLAUSE_BREAK_CLASS = r"[\s，,、；;：:。.！!？?～~…—()（）「」『』“”\"《》【】\[\]]"
_CLAUSE_BREAK = regex_cache.compile(f"^{_CLAUSE_BREAK_CLASS}+$")
_CLAUSE_BREAK_CHAR = re.compile(_CLAUSE_BREAK_CLASS)  # in a block, a word of them may end a clause (stdlib: quicker)
# Marks that end a clause wherever they stand: never in a block (a word of their own) and breaking
# as such, so no clause walk passes one. What the walks read about a match lies between the one
# before it and the clause's end after it (``clause_window``).
_WALL_MARKS = "".join(c for c in "，,、；;：:。！!？?～~…—()（）「」『』“”\"《》【】[]" if not BLOCK_RUN.match(c))
_WALL = re.compile("[" + re.escape(_WALL_MARKS) + "]")
_LAST_WALL = re.compile("(?s:.*)[" + re.escape(_WALL_MARKS) + "]")
CLAUSE_END_CHARS = re.compile(r"[，,；;。！!？?\n]")
"""What ends a clause when looking for its question mark (``rules.context``: a clause that asks)."""
_WINDOW = 200  # the longest stretch either side of a match a clause window reaches
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"', "《": "》"}
_QUOTE_OPEN = re.compile("[" + "".join(_QUOTE_PAIRS) + "]")  # literal marks: stdlib, quicker than regex at them


class Token(NamedTuple):
    """A word of a sentence and its view span (a tuple: a long draft has millions)."""

    text: str
    start: int
    end: int


_TOKEN_CACHE_LIMIT = 1024
"""Sentences whose tokens a draft keeps; the segmenter caches the cutting itself, so a long draft's
sentences need not all stay in memory as tokens."""


_T = TypeVar("_T")


class _once(Generic[_T]):
    """``functools.cached_property`` without its lock: before Python 3.12 it takes one at every
    first use, and a draft works out five such values (its sentences, their starts, its quotes…),
    most of them cheaper than the lock. A draft is linted by one thread."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, draft: Any, owner: Optional[type] = None) -> _T:
        if draft is None:
            return self  # type: ignore[return-value]
        value = draft.__dict__[self.name] = self.compute(draft)
        return value


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
        self._digit_runs: dict[int, tuple[View, int]] = {}
        self._block_cache: dict[int, tuple[list[int], list[int], list[str]]] = {}  # by sentence start

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

    def digit_run(self, view: View) -> int:
        """The longest run of consecutive digits (``\\d``, as rule patterns read it) in ``view``
        (one of this draft's views), for the patterns' digit pre-check (``RulePattern.digits``)."""
        found = self._digit_runs.get(id(view))
        if found is None or found[0] is not view:
            found = self._digit_runs[id(view)] = (view, max(map(len, _DIGITS.findall(view.text)), default=0))
        return found[1]

    # -- positions -------------------------------------------------------------------------
    @_once
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    def original(self, start: int, end: int) -> tuple[int, int]:
        return self.view.span(start, end)

    def is_ignored(self, ostart: int, oend: int) -> bool:
        return bool(self.ignored) and any(s <= ostart and oend <= e for s, e in self.ignored)

    # -- sentences and tokens ----------------------------------------------------------------
    @_once
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

    @_once
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
        starts, ends, blocks = self._blocks(s, e)
        i = bisect.bisect_right(starts, pos) - 1  # the block starting at or before pos
        if i >= 0 and starts[i] < pos < ends[i]:
            offset, word_ends = pos - starts[i], self.segmenter.block_ends(blocks[i])
            return word_ends[bisect.bisect_left(word_ends, offset)] == offset  # a word ends there
        return text[pos - 1 : pos + 1] != "\r\n"

    def _blocks(self, s: int, e: int) -> tuple[list[int], list[int], list[str]]:
        """Starts, ends and texts of the blocks jieba cuts in the sentence ``[s, e)``, found once
        per sentence: searching them from the sentence start at every call made a long one-line
        draft quadratic (issue 18: an 80,000-character line took a minute). A block's text is
        kept, not sliced at each look-up of its cut (a new string hashes itself again)."""
        found = self._block_cache.get(s)  # a sentence is told by its start (they do not overlap)
        if found is None:
            starts: list[int] = []
            ends: list[int] = []
            blocks: list[str] = []
            for m in BLOCK_RUN.finditer(self.view.text, s, e):
                starts.append(m.start())
                ends.append(m.end())
                blocks.append(m.group())
            found = self._block_cache[s] = (starts, ends, blocks)
        return found

    def clause_before(self, pos: int, limit: int = 8) -> list[str]:
        """Up to ``limit`` words before ``pos`` in its clause, nearest last."""
        out = self._words_before(pos, limit)
        out.reverse()
        return out

    def clause_after(self, pos: int, limit: int = 8) -> list[str]:
        """Up to ``limit`` words after ``pos`` in its clause, nearest first."""
        return self._words_after(pos, limit)

    # The clause walks read the sentence's tokens, but cut only the blocks they walk through and
    # take a block's words by slicing its cut where a bisection puts ``pos``: a clause is a block
    # or two of its sentence, and the block at a match is cut already (``is_boundary``). Outside
    # blocks every character is a word, a \r\n pair aside; no word of a block is a space.

    def _words_after(self, pos: int, limit: int) -> list[str]:
        """Up to ``limit`` words of the clause starting at or after ``pos``, spaces left out."""
        s, e = self.sentence_of(pos)
        text = self.view.text
        starts, ends, blocks = self._blocks(s, e)
        out: list[str] = []
        i = pos + 1 if s < pos < e and text[pos - 1 : pos + 1] == "\r\n" else pos  # inside a \r\n word
        k = bisect.bisect_right(ends, i)  # the first block ending after i
        while i < e and len(out) < limit:
            if k < len(starts) and starts[k] <= i:
                block = blocks[k]
                words = self.segmenter.cut_block(block)
                offset = i - starts[k]  # the first word starting there or after:
                first = bisect.bisect_left(self.segmenter.block_ends(block), offset) + 1 if offset else 0
                stop = _first_breaking(words, range(first, len(words))) if _CLAUSE_BREAK_CHAR.search(block) else None
                out.extend(words[first : min(len(words) if stop is None else stop, first + limit - len(out))])
                if stop is not None:
                    break
                i = ends[k]
                k += 1
            elif text[i] == " ":  # between English words, usually: ends the clause only beside Chinese or at an edge
                if i == s or i + 1 >= e:
                    break
                left, right = text[i - 1], text[i + 1]  # Chinese is at U+3400 or beyond
                if (left >= "\u3400" and is_han(left)) or (right >= "\u3400" and is_han(right)):
                    break
                i += 1
            else:
                size = 2 if text[i : i + 2] == "\r\n" and i + 2 <= e else 1
                word = text[i : i + size]
                if self._breaks_clause(i, word, s, e):
                    break
                if not word.isspace():
                    out.append(word)
                i += size
        return out

    def _words_before(self, pos: int, limit: int) -> list[str]:
        """Up to ``limit`` words of the clause ending at or before ``pos``, nearest first."""
        s, e = self.sentence_of(pos)
        text = self.view.text
        starts, ends, blocks = self._blocks(s, e)
        out: list[str] = []
        i = pos - 1 if s < pos < e and text[pos - 1 : pos + 1] == "\r\n" else pos
        k = bisect.bisect_left(starts, i) - 1  # the last block starting before i
        while i > s and len(out) < limit:
            if k >= 0 and ends[k] >= i:
                block = blocks[k]
                words = self.segmenter.cut_block(block)
                upto = bisect.bisect_right(self.segmenter.block_ends(block), i - starts[k])  # the words ending by i
                stop = _first_breaking(words, range(upto - 1, -1, -1)) if _CLAUSE_BREAK_CHAR.search(block) else None
                first = 0 if stop is None else stop + 1
                out.extend(reversed(words[max(first, upto - (limit - len(out))) : upto]))
                if stop is not None:
                    break
                i = starts[k]
                k -= 1
            elif text[i - 1] == " ":  # as in _words_after
                if i - 1 == s or i >= e:
                    break
                left, right = text[i - 2], text[i]
                if (left >= "\u3400" and is_han(left)) or (right >= "\u3400" and is_han(right)):
                    break
                i -= 1
            else:
                size = 2 if i - 2 >= s and text[i - 2 : i] == "\r\n" else 1
                word = text[i - size : i]
                if self._breaks_clause(i - size, word, s, e):
                    break
                if not word.isspace():
                    out.append(word)
                i -= size
        return out

    def _breaks_clause(self, start: int, word: str, s: int, e: int) -> bool:
        """Whether the word at ``start`` of the sentence ``[s, e)`` ends a clause: punctuation does,
        and a space beside Chinese or at either end of the sentence (not between English words)."""
        if not _breaking(word):
            return False
        if not word.isspace():
            return True
        text = self.view.text
        end = start + len(word)
        return start == s or end >= e or is_han(text[start - 1]) or is_han(text[end])

    def clause_window(self, start: int, end: int, ahead: int = 0) -> Optional[tuple[str, int, int, int, int, int, int]]:
        """What the clause walks and the tests of a match's clause read about view span
        ``[start, end)``, as a value two matches share exactly when those read the same: the text
        from the mark before the match (``_WALL``) to the end of the clause after it, at least
        ``ahead`` characters past ``end``, the match's place in it, and the bounds of the
        sentences of ``start`` and ``end`` within it. None when that stretch is long."""
        text = self.view.text
        n = len(text)
        s1, e1 = self.sentence_of(start)
        s2, e2 = (s1, e1) if end < e1 else self.sentence_of(end)
        lo = max(s1, start - _WINDOW)
        wall = _LAST_WALL.match(text, lo, start)
        if wall is not None:
            a = wall.end() - 1  # the mark itself
        elif lo == s1:
            a = max(0, s1 - 1)  # with the character that ends the sentence before
        else:
            return None
        stop = CLAUSE_END_CHARS.search(text, end, min(n, end + _WINDOW))
        if stop is not None:
            z = stop.end()
        elif end + _WINDOW >= n:
            z = n
        else:
            return None
        z = max(z, min(n, end + ahead))
        # The sentences' bounds within the window (-1: before it, -2: after it).
        return (
            text[a:z], start - a, end - a,
            s1 - a if s1 >= a else -1, e1 - a if e1 <= z else -2,
            s2 - a if s2 >= a else -1, e2 - a if e2 <= z else -2,
        )

    def sentence_before(self, pos: int) -> str:
        s, _ = self.sentence_of(pos)
        return self.view.text[s:pos]

    @_once
    def quoted(self) -> list[tuple[int, int]]:
        """Spans of the view inside quotation marks (the customer's own words, usually)."""
        spans: list[tuple[int, int]] = []
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

    @_once
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


def _first_breaking(words: tuple[str, ...], order: range) -> Optional[int]:
    """The first index in ``order`` of a word of a block that ends a clause (a dot), if any."""
    return next((i for i in order if _breaking(words[i])), None)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
