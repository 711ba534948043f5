"""Plain text: the whole file is one draft, cut at paragraph breaks when it is very large."""
from __future__ import annotations

from typing import Optional

from .base import Parsed, Segment

# Above this many characters a file is not one reply; it is linted in paragraph-aligned pieces
# so that time and memory stay proportional to its size (the engine is tuned for drafts).
MAX_DRAFT = 20_000


def pieces(text: str, limit: Optional[int] = None) -> list[tuple[int, int]]:
    """``[start, end)`` spans covering ``text``, each at most ``limit`` (default MAX_DRAFT) long,
    cut after a paragraph break, else a line break, else anywhere."""
    limit = limit or MAX_DRAFT
    if len(text) <= limit:
        return [(0, len(text))]
    spans = []
    start = 0
    while len(text) - start > limit:
        cut = text.rfind("\n\n", start, start + limit - 1) + 2
        if cut <= start + 1:
            cut = text.rfind("\n", start, start + limit) + 1
        if cut <= start:
            cut = start + limit
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def segments(text: str, kind: Optional[str] = None) -> list[Segment]:
    """The draft(s) of a text, placed at their offsets (one segment unless it is very large)."""
    return [Segment(text[s:e], s, kind) for s, e in pieces(text)]


def read(text: str) -> Parsed:
    return Parsed(segments(text))
