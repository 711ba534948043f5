"""What every reader produces: drafts (segments) placed in their file, and the suppressions found."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from ...report.suppressions import Suppression

# Fields tried, in order, for an entry's text when no --text-field is given.
TEXT_FIELDS = ("text", "content", "body", "reply", "template", "message")
IGNORE_FIELD = "replylint-ignore"


@dataclass
class Segment:
    """One draft inside a file. ``offsets[i]`` is the file offset of the draft's i-th character
    (one more entry for its end); without them the draft is the file text from ``start`` on."""

    text: str
    start: int = 0
    kind: Optional[str] = None
    label: Optional[str] = None
    offsets: Optional[Sequence[int]] = None
    ignore: tuple[str, ...] = ()
    platform: Optional[str] = None

    def file_offset(self, offset: int) -> int:
        if self.offsets is not None:
            return self.offsets[min(offset, len(self.offsets) - 1)]
        return self.start + offset


@dataclass(frozen=True)
class ReadOptions:
    """How to read files: a forced codec, the field holding an entry's text, the suppression field."""

    encoding: Optional[str] = None
    text_field: Optional[str] = None
    ignore_field: str = IGNORE_FIELD
    markdown_templates: str = "auto"
    markdown_fences: tuple[str, ...] = ()

    @property
    def text_fields(self) -> tuple[str, ...]:
        return (self.text_field,) if self.text_field else TEXT_FIELDS


@dataclass
class Parsed:
    segments: list[Segment] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quiet: bool = False
    """No drafts here is expected (a tool's configuration, data without prose): no warning."""


def split_lines(text: str) -> list[str]:
    """Lines with their ends, broken at LF only (as LineIndex counts them, unlike str.splitlines)."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out
