"""Output formats for `replylint check`: each a function from results (and the rules that ran) to
text. Reporters take ``rules=`` as a keyword; those that don't need it ignore it.

A reporter's module is imported when it is asked for (sarif pulls in importlib.metadata, which a
start that prints text need not pay for)."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Protocol, Sequence

if TYPE_CHECKING:
    from ...app.run import FileResult


class Reporter(Protocol):
    def __call__(self, results: Sequence["FileResult"], **context: Any) -> str: ...


class _Lazy(Mapping[str, Reporter]):
    """Format name → reporter, importing ``module:function`` on first use."""

    def __init__(self, targets: dict[str, str]) -> None:
        self._targets = targets

    def __getitem__(self, name: str) -> Reporter:
        module, function = self._targets[name].split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


REPORTERS: Mapping[str, Reporter] = _Lazy({
    "text": "text:report_text",
    "json": "json:report_json",
    "sarif": "sarif:report_sarif",
    "github": "github:report_github",
})

STATISTICS: Mapping[str, Reporter] = _Lazy({
    "text": "statistics:report_statistics_text",
    "json": "statistics:report_statistics_json",
})
