"""Text: `path:line:col: rule severity message`, the line, and a caret under the span that lines
up under Chinese text (wide characters take two columns)."""
from __future__ import annotations

from typing import Any, Sequence

from ...app.run import FileResult
from ...text.positions import LineIndex, display_width


def caret_lines(line_text: str, column: int, end_column: int | None) -> list[str]:
    """The source line and a marker line under columns ``[column, end_column)`` (1-based)."""
    shown = line_text.replace("\t", " ")
    before = shown[: column - 1]
    span = shown[column - 1 : (end_column - 1) if end_column else len(shown)]
    width = max(display_width(span), 1)
    return [f"    {shown}", "    " + " " * display_width(before) + "^" * width]


def report_text(results: Sequence[FileResult], **_: Any) -> str:
    out: list[str] = []
    for r in results:
        if not r.diagnostics:
            continue
        index = LineIndex(r.source.text)
        name = "<stdin>" if r.path == "-" else r.path
        for d in r.diagnostics:
            out.append(f"{name}:{d.line}:{d.column}: {d.rule} {d.severity} {d.message}")
            end_col = d.end_column if d.end_line == d.line else None
            out.extend(caret_lines(index.line_text(d.line), d.column, end_col))
            if d.suggestions:
                # A suggested letter opening spans lines; keep each finding's block intact.
                out.append("    suggestion: " + " / ".join(x.replace("\n", " ⏎ ") for x in d.suggestions))
    return "\n".join(out) + ("\n" if out else "")
