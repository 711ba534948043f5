"""GitHub Actions workflow commands: one `::error …::message` line per finding, shown as an
annotation on the pull request's diff."""
from __future__ import annotations

from typing import Any, Sequence

from ...app.run import FileResult
from .paths import ci_path

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The message part: GitHub decodes %25, %0D and %0A there."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property: also ``:`` and ``,``, which would end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(results: Sequence[FileResult], **_: Any) -> str:
    """Columns are 1-based code points; ``endColumn`` is exclusive, like the other formats."""
    out: list[str] = []
    for r in results:
        path = ci_path(r.path)
        for d in r.diagnostics:
            props = []
            if path is not None:
                props.append(f"file={escape_property(path)}")
            props += [f"line={d.line}", f"endLine={d.end_line}", f"col={d.column}", f"endColumn={d.end_column}"]
            props.append(f"title={escape_property(f'replylint ({d.rule})')}")
            message = d.message
            if d.suggestions:
                message += "\nsuggestion: " + " / ".join(d.suggestions)
            out.append(f"::{LEVELS[d.severity]} {','.join(props)}::{escape_data(message)}")
    return "".join(line + "\n" for line in out)
