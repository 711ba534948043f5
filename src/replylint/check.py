"""Linting files: each source's drafts through the linter, findings placed in the file."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Optional

from .diagnostic import Diagnostic, Fix
from .linter import Linter
from .positions import LineIndex
from .sources import Segment, Source, iter_paths, read_source


@dataclass
class FileResult:
    source: Source
    diagnostics: list[Diagnostic]

    @property
    def path(self) -> str:
        return self.source.path


def lint_source(linter: Linter, source: Source, kind: Optional[str] = None) -> FileResult:
    """Findings for every draft of ``source``, with lines and columns counted in the file."""
    index = LineIndex(source.text)
    settings = linter.config.for_path(source.path)
    out: list[Diagnostic] = []
    for seg in source.segments:
        draft_kind = kind or seg.kind or source.kind or settings.kind
        for d in linter.lint(seg.text, kind=draft_kind, path=source.path):
            if d.rule in seg.ignore:
                continue
            out.append(place(d, seg, index, source.path))
    return FileResult(source, out)


def place(d: Diagnostic, seg: Segment, index: LineIndex, path: str) -> Diagnostic:
    start, end = seg.file_offset(d.start), seg.file_offset(d.end)
    line, column = index.position(start)
    end_line, end_column = index.position(end)
    fix = None
    if d.fix is not None:
        fix = Fix(seg.file_offset(d.fix.start), seg.file_offset(d.fix.end), d.fix.replacement, d.fix.safe)
    return replace(
        d, path=path, start=start, end=end, line=line, column=column,
        end_line=end_line, end_column=end_column, fix=fix,
    )


def lint_paths(linter: Linter, paths: Iterable[str], kind: Optional[str] = None) -> Iterator[FileResult]:
    for path in iter_paths(list(paths), linter.config):
        yield lint_source(linter, read_source(path), kind)
