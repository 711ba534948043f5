"""GitHub Actions workflow commands: one `::error …::message` line per finding, shown as an
annotation on the pull request's diff."""
from __future__ import annotations

from typing import Any, Sequence

from ...app.run import FileResult
from ..diagnostic import LintError
from ..visible import visible
from .paths import ci_path

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The message part: GitHub decodes %25, %0D and %0A there."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property: also ``:`` and ``,``, which would end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(results: Sequence[FileResult], errors: Sequence[LintError] = (), **_: Any) -> str:
    """Columns are 1-based code points; ``endColumn`` is exclusive, like the other formats. A file
    (or a rule on it) that could not be checked is an ``::error`` annotation on that file, so the
    check never looks clean."""
    out: list[str] = []
    for e in errors:
        path = ci_path(e.path)
        props = [f"file={escape_property(visible(path, keep_newlines=True))}"] if path is not None else []
        title = "replylint: file not checked" if e.rule is None else f"replylint ({e.rule}): rule stopped"
        props.append(f"title={escape_property(title)}")
        out.append(f"::error {','.join(props)}::{escape_data(visible(e.message))}")
    for r in results:
        path = ci_path(r.path)
        for d in r.diagnostics:
            props = []
            if path is not None:
                props.append(f"file={escape_property(visible(path, keep_newlines=True))}")
            props += [f"line={d.line}", f"endLine={d.end_line}", f"col={d.column}", f"endColumn={d.end_column}"]
            props.append(f"title={escape_property(f'replylint ({d.rule})')}")
            message = d.message
            if d.suggestions:
                message += "\nsuggestion: " + " / ".join(d.suggestions)
            # The message's own line breaks are %0A-encoded; other controls (ESC…) are shown as pictures.
            out.append(f"::{LEVELS[d.severity]} {','.join(props)}::{escape_data(visible(message, keep_newlines=True))}")
    return "".join(line + "\n" for line in out)
