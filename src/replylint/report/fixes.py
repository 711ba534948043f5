"""`--fix` and `--diff`: apply the replacements rules mark as safe, until the text settles, and
write each file back atomically in its own encoding, BOM and line endings.

Fixes are applied in passes: in each pass the applicable fixes are taken in a fixed order
(position, then rule, then replacement) and any fix that overlaps one already taken waits for the
next pass, where the text is linted again. A file is left untouched if anything goes wrong.
"""
from __future__ import annotations

import codecs
import difflib
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Optional, Sequence

from ..app.run import FileResult, lint_source
from ..atomic import ChangedOnDisk, rewrite_in_place
from ..engine import Linter
from ..errors import ReplylintError
from ..input.sources import ReadOptions, load_source, read_options
from .diagnostic import Diagnostic, Fix

MAX_PASSES = 10
NOT_VERBATIM = "fix_skipped"


class FixError(ReplylintError):
    """A file that could not be fixed; it is left as it was."""


@dataclass
class FixedFile:
    """One file after fixing: its text before and after, and the findings that remain."""

    path: str
    original: str
    result: FileResult
    applied: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def fixed(self) -> str:
        return self.result.source.text

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def applicable(d: Diagnostic, unsafe: bool = False) -> bool:
    """Whether --fix may apply ``d``'s fix: safe (or --unsafe-fixes) and the draft verbatim in the file."""
    return d.fix is not None and (d.fix.safe or unsafe) and NOT_VERBATIM not in d.extra


def select_fixes(diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> list[Fix]:
    """Non-overlapping fixes in a deterministic order; two fixes starting at the same offset
    conflict too (their order would be arbitrary)."""
    candidates = sorted(
        {d.fix for d in diagnostics if d.fix is not None and applicable(d, unsafe)},
        key=lambda f: (f.start, f.end, f.replacement),
    )
    chosen: list[Fix] = []
    for f in candidates:
        last = chosen[-1] if chosen else None
        if last is not None and (f.start < last.end or f.start == last.start):
            continue
        chosen.append(f)
    return chosen


def apply_fixes(text: str, fixes: Sequence[Fix]) -> str:
    """``text`` with the (sorted, non-overlapping) ``fixes`` replaced."""
    parts: list[str] = []
    pos = 0
    for f in fixes:
        parts.append(text[pos:f.start])
        parts.append(f.replacement)
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def encode_like(text: str, encoding: str, original: Optional[bytes] = None) -> bytes:
    """Encode ``text`` as the file was: same codec, same BOM and byte order when ``original`` has one."""
    name = codecs.lookup(encoding).name
    boms = []
    if name.startswith("utf-32"):
        boms = [(codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")]
    elif name.startswith("utf-16"):
        boms = [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
    elif name.startswith("utf-8"):
        boms = [(codecs.BOM_UTF8, "utf-8")]
    if original is not None:
        for bom, codec in boms:
            if original.startswith(bom):
                return bom + text.encode(codec)
        if name == "utf-8-sig":
            return text.encode("utf-8")
    return text.encode(encoding)


def fix_result(linter: Linter, result: FileResult, kind: Optional[str] = None, unsafe: bool = False) -> FixedFile:
    """Apply fixes to one linted file (in memory), re-linting after each pass."""
    source = result.source
    out = FixedFile(source.path, source.text, result)
    skipped = sum(1 for d in result.diagnostics if d.fix is not None and (d.fix.safe or unsafe) and not applicable(d, unsafe))
    if skipped:
        out.notes.append(f"{skipped} fix(es) not applied: the drafts in this file are not stored verbatim "
                         "(only plain-text files such as .txt and .md are fixed)")
    current = result
    for _ in range(MAX_PASSES):
        chosen = select_fixes(current.diagnostics, unsafe)
        if not chosen:
            break
        text = apply_fixes(current.source.text, chosen)
        if text == current.source.text:
            break
        out.applied += len(chosen)
        try:
            data = encode_like(text, source.encoding)
        except UnicodeEncodeError:
            raise FixError(f"{_name(source.path)}: not fixed: a replacement cannot be written in {source.encoding}") from None
        current = lint_source(linter, load_source(source.path, data, _same_codec(linter, source.encoding)), kind)
        if current.source.text != text:
            raise FixError(f"{_name(source.path)}: fixed text does not survive re-encoding as {source.encoding}")
    else:
        if select_fixes(current.diagnostics, unsafe):
            out.notes.append(f"fixes did not settle after {MAX_PASSES} passes; run --fix again and report the rules involved")
    out.result = current
    return out


def _same_codec(linter: Linter, encoding: str) -> ReadOptions:
    """Read options that decode a fixed file with the codec it was read in, not a fresh guess
    (a short GB18030 text could otherwise be taken for Big5)."""
    return replace(read_options(linter.config), encoding=encoding)


def _name(path: str) -> str:
    return "<stdin>" if path == "-" else path


def unified_diff(fixed: FixedFile) -> str:
    """A patch that `git apply` / `patch -p1` understands."""
    name = _name(fixed.path).replace(os.sep, "/")
    a, b = fixed.original.splitlines(keepends=True), fixed.fixed.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(a, b, f"a/{name}", f"b/{name}"):
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def save(fixed: FixedFile, options: Optional[ReadOptions] = None) -> None:
    """Write a fixed file in place (owner, mode and hard links kept), unless it changed on disk
    since it was read, changes before the write, or would not round-trip."""
    path = fixed.path
    try:
        original = Path(path).read_bytes()
    except OSError as exc:
        raise FixError(f"{path}: cannot read: {exc.strerror or exc}") from None
    encoding = fixed.result.source.encoding
    if load_source(path, original, options).text != fixed.original:
        raise FixError(f"{path}: changed on disk while being linted; not fixed")
    if encode_like(fixed.original, encoding, original) != original:
        raise FixError(f"{path}: not fixed: its bytes do not survive decoding and re-encoding as {encoding} unchanged")
    try:
        data = encode_like(fixed.fixed, encoding, original)
    except UnicodeEncodeError:
        raise FixError(f"{path}: not fixed: a replacement cannot be written in {encoding}") from None
    try:
        rewrite_in_place(path, original, data)
    except ChangedOnDisk as exc:
        raise FixError(f"{path}: {exc.strerror}") from None
    except OSError as exc:
        raise FixError(f"{path}: cannot write fixes: {exc.strerror or exc}") from None


@dataclass
class FixRun:
    """What --fix or --diff did to every file of a run."""

    files: list[FixedFile]
    errors: list[str]

    @property
    def results(self) -> list[FileResult]:
        return [f.result for f in self.files]

    @property
    def changed(self) -> list[FixedFile]:
        return [f for f in self.files if f.changed]

    @property
    def applied(self) -> int:
        return sum(f.applied for f in self.changed)


def run_fixes(linter: Linter, results: Iterable[FileResult], kind: Optional[str] = None,
              unsafe: bool = False, write: bool = True) -> FixRun:
    """Fix every file; with ``write`` save the changed ones (not stdin). A file that fails keeps
    its text and its findings, and the failure is listed in ``errors``."""
    files: list[FixedFile] = []
    errors: list[str] = []
    for result in results:
        try:
            fixed = fix_result(linter, result, kind, unsafe)
            if write and fixed.changed and fixed.path != "-":
                save(fixed, _same_codec(linter, result.source.encoding))
        except FixError as exc:
            errors.append(str(exc))
            fixed = FixedFile(result.path, result.source.text, result)
        files.append(fixed)
    return FixRun(files, errors)


def report_fixes(linter: Linter, results: Sequence[FileResult], kind: Optional[str] = None,
                 unsafe: bool = False, write: bool = True) -> tuple[list[FileResult], bool, bool]:
    """The CLI's --fix / --diff: fix, print notes and errors to stderr, and to stdout the diff
    (``write=False``) or stdin's fixed text. Returns the remaining findings, whether anything
    failed and whether anything changed."""
    import click

    run = run_fixes(linter, results, kind, unsafe=unsafe, write=write)
    for f in run.files:
        for note in f.notes:
            click.echo(f"replylint: note: {_name(f.path)}: {note}", err=True)
    for error in run.errors:
        click.echo(f"replylint: error: {error}", err=True)
    changed = run.changed
    if not write:
        click.echo("".join(unified_diff(f) for f in changed), nl=False)
        click.echo(f"Would fix {run.applied} problem(s) in {len(changed)} file(s).", err=True)
    else:
        for f in run.files:
            if f.path == "-":
                # The bytes as written, in the file's encoding (click 8.5 deprecates get_binary_stream).
                sys.stdout.flush()
                sys.stdout.buffer.write(encode_like(f.fixed, f.result.source.encoding))
                sys.stdout.buffer.flush()
        click.echo(f"Fixed {run.applied} problem(s) in {len(changed)} file(s).", err=True)
    return run.results, bool(run.errors), bool(changed)
