"""Normalised views of a draft, each mapping every character back to the original text.

Rules match against a view (width, case and script folded; placeholders masked) and report
spans in the writer's own text, so a view keeps for each of its characters the original
span it came from.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from array import array
from dataclasses import dataclass
from itertools import repeat
from typing import Iterable, Sequence

from .language import to_simplified_char

PLACEHOLDER = "\ue000"
"""Stands in for a masked template placeholder: not a word, a digit or a separator."""

_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u20e3\u180e") | frozenset(
    chr(c) for c in range(0xFE00, 0xFE10)
)


def positions(values: Iterable[int] = (), size: int = 0) -> "array[int]":
    """A compact sequence of offsets (4 bytes each; 8 beyond 2**31): views keep two per character,
    and Python lists of ints cost 36 bytes per entry on a long draft."""
    return array("i" if size < 2**31 else "q", values)


@dataclass(frozen=True, init=False)
class View:
    """A derived text plus, per character, the ``[start, end)`` it covers in the original.

    ``starts`` and ``ends`` are ranges when every character stands for itself (the usual case),
    else compact arrays."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]
    original_length: int

    def __init__(self, text: str, starts: Sequence[int], ends: Sequence[int], original_length: int) -> None:
        # One update of the instance's dict, not a frozen dataclass's setattr per field: every
        # draft makes one view or more.
        self.__dict__.update({"text": text, "starts": starts, "ends": ends, "original_length": original_length})

    @classmethod
    def identity(cls, text: str) -> "View":
        n = len(text)
        return cls(text, range(n), range(1, n + 1), n)

    def retext(self, text: str) -> "View":
        """The same characters' spans under another spelling, character for character (``text``
        as long: a one-for-one table applied)."""
        return View(text, self.starts, self.ends, self.original_length)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covered by view characters ``[start, end)``."""
        if start >= end:
            pos = self.starts[start] if start < len(self.text) else self.original_length
            return pos, pos
        return self.starts[start], self.ends[end - 1]


class Excerpt(View):
    """A view made of stretches of another kept in order (separators dropped between them): a
    character's span is looked up through its stretch, and the per-character ``starts`` and
    ``ends`` are built only when asked for. Most uses map back a match or two."""

    _base: View
    _offsets: list[int]
    _froms: list[int]

    def __init__(self, text: str, base: View, offsets: list[int], froms: list[int]) -> None:
        # offsets[i]: where stretch i starts in ``text``; froms[i]: where it starts in ``base``.
        self.__dict__.update({"text": text, "original_length": base.original_length, "_base": base, "_offsets": offsets, "_froms": froms})

    def _index(self, k: int) -> int:
        """The base view's character that character ``k`` of this one is."""
        i = bisect.bisect_right(self._offsets, k) - 1
        return self._froms[i] + k - self._offsets[i]

    def _arrays(self) -> tuple[Sequence[int], Sequence[int]]:
        found = self.__dict__.get("_positions")
        if found is None:
            base, n = self._base, len(self.text)
            starts, ends = positions(size=self.original_length), positions(size=self.original_length)
            for offset, end, first in zip(self._offsets, self._offsets[1:] + [n], self._froms):
                starts.extend(base.starts[first : first + end - offset])
                ends.extend(base.ends[first : first + end - offset])
            found = self.__dict__["_positions"] = (starts, ends)
        return found

    @property  # type: ignore[override]
    def starts(self) -> Sequence[int]:
        return self._arrays()[0]

    @property  # type: ignore[override]
    def ends(self) -> Sequence[int]:
        return self._arrays()[1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        base = self._base
        if start >= end:
            pos = base.starts[self._index(start)] if start < len(self.text) else self.original_length
            return pos, pos
        return base.starts[self._index(start)], base.ends[self._index(end - 1)]

    def retext(self, text: str) -> "Excerpt":
        """The same stretches spelled otherwise, character for character (``text`` as long)."""
        return Excerpt(text, self._base, self._offsets, self._froms)


_PUNCTUATION = {"’": "'", "‘": "'", "′": "'", "´": "'"}


@functools.lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """Width, compatibility forms, case (full folding: ß is ss) and traditional script folded, one
    character at a time."""
    if ch in _INVISIBLE:
        return ""
    if ch in _PUNCTUATION:
        return _PUNCTUATION[ch]
    folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
    return "".join(to_simplified_char(c) for c in folded.casefold())


class _Folding(dict):
    """``str.translate`` table: code point → its ``fold_char``, filled on first sight. Characters
    that do not fold to exactly one character are noted in ``irregular``: a text without any
    maps one to one onto its folded form."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()
        self._finder: "tuple[int, re.Pattern[str]] | None" = None  # built for that many irregular characters

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = ch if ch.isascii() and not ch.isupper() else fold_char(ch)
        if len(folded) != 1:
            self.irregular.add(ch)
        if len(self) < 65536:  # a text of every code point must not grow it without bound
            self[code] = folded
        return folded

    def finder(self) -> "re.Pattern[str]":
        """A regex finding the irregular characters seen so far."""
        # ``irregular`` only grows, so its size says whether the regex is up to date.
        if self._finder is None or self._finder[0] != len(self.irregular):
            chars = list(self.irregular)
            body = "".join(sorted(re.escape(c) for c in chars))
            self._finder = (len(chars), re.compile(f"[{body}]" if body else "(?!)"))
        return self._finder[1]


_FOLDING = _Folding()


def fold_text(text: str) -> str:
    """``fold_char`` of each character (ASCII other than upper case left as it is), by one
    ``str.translate``: what the base view does to a text, without the view."""
    return text.translate(_FOLDING)


def normalize(
    text: str, masks: Iterable[tuple[int, int]] = (), removed: Iterable[tuple[int, int]] = ()
) -> View:
    """The base view every rule matches against; ``masks`` become one placeholder character each,
    ``removed`` spans (quoted earlier messages) are left out."""
    n = len(text)
    folded = text.translate(_FOLDING)
    masked = sorted([(s, e, PLACEHOLDER) for s, e in masks] + [(s, e, "") for s, e in removed])
    if not masked and _FOLDING.finder().search(text) is None:  # after the translate: it notes what is irregular
        return View(folded, range(n), range(1, n + 1), n)
    out: list[str] = []
    starts = positions(size=n)
    ends = positions(size=n)

    def regular(a: int, b: int) -> None:
        """Characters ``[a, b)`` of the text, folded, each from its own place."""
        pos = a
        for m in _FOLDING.finder().finditer(text, a, b):
            i = m.start()
            if i > pos:
                out.append(text[pos:i].translate(_FOLDING))
                starts.extend(range(pos, i))
                ends.extend(range(pos + 1, i + 1))
            one = _FOLDING[ord(text[i])]
            out.append(one)
            starts.extend(repeat(i, len(one)))
            ends.extend(repeat(i + 1, len(one)))
            pos = i + 1
        if b > pos:
            out.append(text[pos:b].translate(_FOLDING))
            starts.extend(range(pos, b))
            ends.extend(range(pos + 1, b + 1))

    i = 0
    for s, e, stand_in in masked:
        if s >= n:
            break
        if s > i:
            regular(i, min(s, n))
            i = s
        if e > i and s <= i:
            if stand_in:
                out.append(stand_in)
                starts.append(i)
                ends.append(e)
            i = e
    if i < n:
        regular(i, n)
    return View("".join(out), starts, ends, n)
