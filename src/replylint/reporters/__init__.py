"""Output formats for `replylint check`: each a function from results to text."""
from __future__ import annotations

from typing import Callable, Sequence

from ..check import FileResult
from .json import report_json
from .text import report_text

Reporter = Callable[[Sequence[FileResult]], str]

REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
}
