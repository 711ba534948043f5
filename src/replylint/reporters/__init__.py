"""Output formats for `replylint check`: each a function from results (and the rules that ran) to
text. Reporters take ``rules=`` as a keyword; those that don't need it ignore it."""
from __future__ import annotations

from typing import Any, Protocol, Sequence

from ..check import FileResult
from .github import report_github
from .json import report_json
from .sarif import report_sarif
from .statistics import report_statistics_json, report_statistics_text
from .text import report_text


class Reporter(Protocol):
    def __call__(self, results: Sequence[FileResult], **context: Any) -> str: ...


REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "sarif": report_sarif,
    "github": report_github,
}

STATISTICS: dict[str, Reporter] = {
    "text": report_statistics_text,
    "json": report_statistics_json,
}
