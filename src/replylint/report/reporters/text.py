"""Text: `path:line:col: rule severity message`, the line, and a caret under the span that lines
up under Chinese text (wide characters take two columns).

The shown line is a window of at most ``WINDOW`` columns around the span, cut from the file around
the finding's offsets, so the output is linear in the input however long a line is (a one-line
JSON file of 244 KB with many findings once printed a gigabyte). Control characters of drafts and
file names are shown as pictures (`report/visible.py`)."""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from ...app.run import FileResult
from ...text.positions import LineIndex, char_width, display_width
from ..diagnostic import Diagnostic
from ..visible import visible

WINDOW = 120
"""Display columns of source shown per finding."""
ELLIPSIS = "…"

Style = Callable[[str, str], str]


def _plain(text: str, _role: str) -> str:
    return text


def caret_lines(line_text: str, column: int, end_column: Optional[int], width: int = WINDOW) -> list[str]:
    """The source line (clipped to ``width`` columns around the span) and a marker line under
    columns ``[column, end_column)`` (1-based)."""
    end = (end_column - 1) if end_column else len(line_text)
    return _window(line_text, column - 1, end, width)


def _window(line: str, start: int, end: int, width: int, cut_left: bool = False, cut_right: bool = False) -> list[str]:
    """Clip ``line`` to about ``width`` display columns keeping ``[start, end)`` (code points in
    ``line``) in view; ``cut_left``/``cut_right`` say the line already continues beyond ``line``."""
    shown = visible(line.replace("\t", " "))
    span_width = display_width(shown[start:end])
    if not cut_left and not cut_right and display_width(shown) <= width:
        left, right = 0, len(shown)
    else:
        # Room either side of the span: a third before it, the rest after, then whatever one side
        # leaves to the other; a span wider than the window shows from its start.
        budget = max(width - span_width, 0)
        right, used_right = _grow_right(shown, min(end, len(shown)), budget - budget // 3)
        left, used_left = _grow_left(shown, start, budget - used_right)
        right, _ = _grow_right(shown, right, budget - used_left - used_right)
        if span_width > width:
            right, _ = _grow_right(shown, start, width)
        cut_left = cut_left or left > 0
        cut_right = cut_right or right < len(shown)
    prefix = ELLIPSIS if cut_left else ""
    suffix = ELLIPSIS if cut_right else ""
    before = shown[left:start]
    caret_width = max(display_width(shown[start:min(end, right)]), 1)
    return [f"    {prefix}{shown[left:right]}{suffix}",
            "    " + " " * (display_width(prefix) + display_width(before)) + "^" * caret_width]


def _grow_right(shown: str, right: int, room: int) -> tuple[int, int]:
    used = 0
    while right < len(shown) and used + char_width(shown[right]) <= room:
        used += char_width(shown[right])
        right += 1
    return right, used


def _grow_left(shown: str, left: int, room: int) -> tuple[int, int]:
    used = 0
    while left > 0 and used + char_width(shown[left - 1]) <= room:
        left -= 1
        used += char_width(shown[left])
    return left, used


# Code points of context cut from the file either side of a span: enough for WINDOW columns
# whatever the characters' widths, without ever slicing a whole long line.
_CONTEXT = 2 * WINDOW


def _source_lines(index: LineIndex, d: Diagnostic) -> list[str]:
    text = index.text
    start, end = d.start, d.end if d.end_line == d.line else None
    line_start = start - (d.column - 1)
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    if end is None:
        end = line_end
    lo = max(line_start, start - _CONTEXT)
    hi = min(line_end, max(end, start) + _CONTEXT)
    piece = text[lo:hi]
    if hi == line_end and piece.endswith("\r"):
        piece = piece[:-1]
    span_end = min(end, lo + len(piece)) - lo
    return _window(piece, start - lo, span_end, WINDOW, cut_left=lo > line_start, cut_right=hi < line_end)


def fix_note(d: Diagnostic) -> Optional[str]:
    """How to apply the finding's fix from the command line, or None when --fix cannot."""
    if d.fix is None or d.extra.get("fix_skipped"):
        return None
    return "--fix" if d.fix.safe else "--fix --unsafe-fixes"


def report_text(results: Sequence[FileResult], style: Style = _plain, **_: Any) -> str:
    out: list[str] = []
    for r in results:
        if not r.diagnostics:
            continue
        index = LineIndex(r.source.text)
        name = style(visible("<stdin>" if r.path == "-" else r.path), "path")
        for d in r.diagnostics:
            head = f"{name}:{d.line}:{d.column}: {style(d.rule, 'rule')} {style(d.severity, d.severity)} {visible(d.message)}"
            out.append(head)
            out.extend(_source_lines(index, d))
            if d.suggestions:
                # A suggested letter opening spans lines; keep each finding's block intact.
                out.append("    suggestion: " + " / ".join(visible(x.replace("\n", " ⏎ ")) for x in d.suggestions))
            how = fix_note(d)
            if how is not None:
                shown = visible(d.fix.replacement.replace("\n", " ⏎ ")) if d.fix else ""
                out.append("    " + style(f"[*] fixable with {how}", "fix") + (f" → “{shown}”" if shown else ""))
    return "\n".join(out) + ("\n" if out else "")
