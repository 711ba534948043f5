"""Linting files: each source's drafts through the linter, findings placed in the file."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Iterable, Iterator, Optional

from ..engine import Linter
from ..errors import InputError
from ..input.sources import Segment, Source, iter_paths, read_options, read_source
from ..report import suppressions
from ..report.diagnostic import Diagnostic, Fix, LintError
from ..text.positions import LineIndex


@dataclass
class FileResult:
    source: Source
    diagnostics: list[Diagnostic]
    errors: list[LintError] = field(default_factory=list)
    """What kept the file (``rule`` None: unreadable, undecodable) or a rule on it (timed out) from
    being checked; the run goes on and exits 2."""

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def unreadable(self) -> bool:
        """Whether the file could not be linted at all (it then has no findings)."""
        return any(e.rule is None for e in self.errors)


def lint_source(linter: Linter, source: Source, kind: Optional[str] = None) -> FileResult:
    """Findings for every draft of ``source``, with lines and columns counted in the file."""
    index = LineIndex(source.text)
    settings = linter.settings_for(source.path)
    out: list[Diagnostic] = []
    errors: dict[str, LintError] = {}  # one per rule stopped, whichever draft of the file it was in
    name = "<stdin>" if source.path == "-" else source.path
    for seg in source.segments:
        # A kind the draft itself states (an entry's field, an e-mail body) beats --kind.
        draft_kind = seg.kind or kind or source.kind or settings.kind
        outcome = linter.run(seg.text, kind=draft_kind, platform=seg.platform, path=source.path)
        for stopped in outcome.timeouts:
            errors.setdefault(stopped.rule, LintError(source.path, f"{name}: {stopped}", stopped.rule))
        for d in outcome.diagnostics:
            if d.rule in seg.ignore:
                continue
            out.append(place(d, seg, index, source.path))
    out = suppressions.apply(out, source.suppressions)
    if linter.config.report_unused_suppressions and source.suppressions:
        known = [r.id for r in linter.all_rules]
        enabled = [r.id for r in linter.selected(settings)]
        out.extend(suppressions.unused(source.suppressions, source.text, known, enabled, source.path))
        out.sort(key=lambda d: (d.start, d.end, d.rule))
    return FileResult(source, out, list(errors.values()))


def place(d: Diagnostic, seg: Segment, index: LineIndex, path: str) -> Diagnostic:
    start, end = seg.file_offset(d.start), seg.file_offset(d.end)
    line, column = index.position(start)
    end_line, end_column = index.position(end)
    fix = None
    extra = d.extra
    if d.fix is not None:
        fix_start, fix_end = seg.file_offset(d.fix.start), seg.file_offset(d.fix.end)
        fix = Fix(fix_start, fix_end, d.fix.replacement, d.fix.safe)
        if not _verbatim(seg, d.fix.start, d.fix.end, index.text, path):
            extra = {**d.extra, "fix_skipped": "the draft is not stored verbatim in this file"}
    return replace(
        d, path=path, start=start, end=end, line=line, column=column,
        end_line=end_line, end_column=end_column, fix=fix, extra=extra,
    )


# Formats whose drafts are quoted or escaped in the file: their fixes are shown, never applied.
_ESCAPED_FORMATS = (".json", ".jsonl", ".yaml", ".yml", ".csv")


def _verbatim(seg: Segment, start: int, end: int, file_text: str, path: str) -> bool:
    """Whether the draft's ``[start, end)`` stands unchanged in the file, so --fix may edit it there."""
    if path != "-" and PurePath(path).suffix.lower() in _ESCAPED_FORMATS:
        return False
    first = seg.file_offset(start)
    if seg.offsets is not None and any(seg.file_offset(i + 1) != seg.file_offset(i) + 1 for i in range(start, end)):
        return False
    return file_text[first:first + end - start] == seg.text[start:end]


def lint_path(linter: Linter, path: str, kind: Optional[str] = None) -> FileResult:
    """One file (or ``-`` for stdin), read and linted; with ``strict``, a file that yields no
    drafts is an input error (the run checked nothing there)."""
    source = read_source(path, read_options(linter.config))
    if source.no_drafts and linter.config.strict:
        name = "<stdin>" if path == "-" else path
        raise InputError(f"{name}: no templates found (strict); see {source.no_drafts}")
    return lint_source(linter, source, kind)


def lint_paths(linter: Linter, paths: Iterable[str], kind: Optional[str] = None) -> Iterator[FileResult]:
    for path in iter_paths(list(paths), linter.config):
        yield lint_path(linter, path, kind)
