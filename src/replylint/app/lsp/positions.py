"""Code-point offsets ↔ LSP positions (0-based line, character in the negotiated code units).

replylint counts code points; LSP counts UTF-16 code units unless client and server agree on
``utf-32`` or ``utf-8`` (LSP 3.17 ``positionEncoding``). A character outside the BMP (😀, 𠀀) is one
code point but two UTF-16 units, so every column after it shifts.
"""
from __future__ import annotations

import bisect
import re

ENCODINGS = ("utf-16", "utf-32", "utf-8")

# LSP ends a line at \r\n, \r or \n.
_LINE_END = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str) -> int:
    """How many code units ``text`` takes in ``encoding``."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _char_units(ch: str, encoding: str) -> int:
    cp = ord(ch)
    if encoding == "utf-32":
        return 1
    if encoding == "utf-16":
        return 2 if cp > 0xFFFF else 1
    return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4


_STEP = 64  # code points between checkpoints of the running unit count


class PositionMap:
    """One document's text, indexed once so that a conversion costs O(log n) plus at most 64
    characters, whatever the line's length (an 80,000-character line gets its diagnostics as fast
    as a short one)."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown position encoding {encoding!r}; expected one of {', '.join(ENCODINGS)}")
        self.text = text
        self.encoding = encoding
        self.starts = [0]
        self.ends = []  # where each line's content ends (before its terminator)
        for m in _LINE_END.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))
        # _marks[k]: code units in text[: k * _STEP] (not needed for utf-32, where units are code points).
        self._marks: list[int] = []
        if encoding != "utf-32" and not text.isascii():
            total = 0
            for k in range(0, len(text), _STEP):
                self._marks.append(total)
                total += units(text[k : k + _STEP], encoding)
            self._marks.append(total)

    def _units_to(self, offset: int) -> int:
        """Code units in ``text[:offset]``."""
        if not self._marks:
            return offset
        k = offset // _STEP
        return self._marks[k] + units(self.text[k * _STEP : offset], self.encoding)

    def position(self, offset: int) -> tuple[int, int]:
        """The LSP (line, character) of a code-point offset, clamped to the text."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        # An offset inside a \r\n pair sits at the end of the line's content.
        offset = min(offset, self.ends[line])
        return line, self._units_to(offset) - self._units_to(start)

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of an LSP position. Out-of-range positions are clamped as LSP asks:
        a character past the line's end means the end of the line, a line past the end means the
        end of the text; a position inside a surrogate pair or UTF-8 sequence rounds down."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.ends[line]
        if character <= 0:
            return start
        if not self._marks:
            return min(start + character, end)
        target = self._units_to(start) + character
        # The last offset in [start, end] whose units up to it are at most the target.
        lo, hi = start, end
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._units_to(mid) <= target:
                lo = mid
            else:
                hi = mid - 1
        return lo
