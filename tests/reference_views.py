"""Reference implementations the engine's fast paths are tested against (kept out of src/)."""
from __future__ import annotations

from itertools import repeat
from typing import Callable, Iterable, Mapping, Optional

from replylint.text.normalize import View, positions


def derive(view: View, pieces: Iterable[tuple[str, int, int]]) -> View:
    """A new view from ``(text, start, end)`` pieces given in ``view``'s coordinates."""
    out: list[str] = []
    starts = positions(size=view.original_length)
    ends = positions(size=view.original_length)
    for text, s, e in pieces:
        if not text:
            continue
        o_start, o_end = view.span(s, e)
        out.append(text)
        starts.extend(repeat(o_start, len(text)))
        ends.extend(repeat(o_end, len(text)))
    return View("".join(out), starts, ends, view.original_length)


def transform(
    view: View,
    drop: Optional[Callable[[str, str, str], bool]] = None,
    table: Optional[Mapping[str, str]] = None,
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
    return derive(view, pieces)
