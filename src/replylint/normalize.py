"""Normalised views of a draft, each mapping every character back to the original text.

Rules match against a view (width, case and script folded; placeholders masked) and report
spans in the writer's own text, so a view keeps for each of its characters the original
span it came from.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from .language import to_simplified_char

PLACEHOLDER = "\ue000"
"""Stands in for a masked template placeholder: not a word, a digit or a separator."""

_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u20e3\u180e") | frozenset(
    chr(c) for c in range(0xFE00, 0xFE10)
)


@dataclass(frozen=True)
class View:
    """A derived text plus, per character, the ``[start, end)`` it covers in the original."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]
    original_length: int

    @classmethod
    def identity(cls, text: str) -> "View":
        n = len(text)
        return cls(text, range(n), range(1, n + 1), n)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covered by view characters ``[start, end)``."""
        if start >= end:
            pos = self.starts[start] if start < len(self.text) else self.original_length
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def derive(self, pieces: Iterable[tuple[str, int, int]]) -> "View":
        """Build a new view from ``(text, start, end)`` pieces given in this view's coordinates."""
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for text, s, e in pieces:
            o_start, o_end = self.span(s, e)
            for ch in text:
                out.append(ch)
                starts.append(o_start)
                ends.append(o_end)
        return View("".join(out), starts, ends, self.original_length)


_PUNCTUATION = {"’": "'", "‘": "'", "′": "'", "´": "'"}


@functools.lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """Width, compatibility forms, case and traditional script folded, one character at a time."""
    if ch in _INVISIBLE:
        return ""
    if ch in _PUNCTUATION:
        return _PUNCTUATION[ch]
    folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
    return "".join(to_simplified_char(c) for c in folded.lower())


def normalize(
    text: str, masks: Iterable[tuple[int, int]] = (), removed: Iterable[tuple[int, int]] = ()
) -> View:
    """The base view every rule matches against; ``masks`` become one placeholder character each,
    ``removed`` spans (quoted earlier messages) are left out."""
    masked = sorted([(s, e, PLACEHOLDER) for s, e in masks] + [(s, e, "") for s, e in removed])
    pieces: list[tuple[str, int, int]] = []
    i = 0
    m = 0
    n = len(text)
    while i < n:
        if m < len(masked) and masked[m][0] <= i:
            s, e, stand_in = masked[m]
            m += 1
            if e > i:
                pieces.append((stand_in, i, e))
                i = e
            continue
        ch = text[i]
        folded = ch if ch.isascii() and not ch.isupper() else fold_char(ch)
        pieces.append((folded, i, i + 1))
        i += 1
    return View.identity(text).derive(pieces)


def transform(
    view: View,
    drop: Callable[[str, str, str], bool] | None = None,
    table: Mapping[str, str] | None = None,
) -> View:
    """A further view: characters for which ``drop(prev, ch, next)`` holds are removed, and the
    longest keys of ``table`` found at each position are replaced by their values."""
    text = view.text
    keys_by_first: dict[str, list[str]] = {}
    for key in table or {}:
        keys_by_first.setdefault(key[0], []).append(key)
    for keys in keys_by_first.values():
        keys.sort(key=len, reverse=True)
    pieces: list[tuple[str, int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        hit = None
        for key in keys_by_first.get(ch, ()):
            if text.startswith(key, i):
                hit = key
                break
        if hit is not None:
            pieces.append((table[hit], i, i + len(hit)))  # type: ignore[index]
            i += len(hit)
            continue
        if drop is not None and drop(text[i - 1] if i else "", ch, text[i + 1] if i + 1 < n else ""):
            i += 1
            continue
        pieces.append((ch, i, i + 1))
        i += 1
    return view.derive(pieces)
