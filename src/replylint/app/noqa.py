"""`--add-noqa`: a suppression comment above every line with a finding, where the file's format
can carry a comment the customer never sees (Markdown's HTML comments). Other formats cannot and
are named, so a team uses a baseline for them instead."""
from __future__ import annotations

from pathlib import Path, PurePath
from typing import Iterable, Mapping, Sequence

from ..atomic import write_atomic
from ..report.fixes import encode_like
from ..text.positions import LineIndex
from .run import FileResult

COMMENT_FORMATS = (".md", ".markdown")
"""Suffixes whose reader honours ``<!-- replylint-disable-next-line RULE -->``."""


def can_carry_comments(path: str) -> bool:
    return path != "-" and PurePath(path).suffix.lower() in COMMENT_FORMATS


def with_noqa(text: str, lines: Mapping[int, Sequence[str]]) -> str:
    """``text`` with every 1-based line in ``lines`` suppressed: a disable-next-line comment (same
    indentation) on its own line above it where a block starts there (after a blank line or at the
    top), else a disable-line comment at the end of the line, which does not split a paragraph."""
    index = LineIndex(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    out, prev = [], 0
    for line in sorted(lines):
        rules = " ".join(sorted(set(lines[line])))
        current = index.line_text(line)
        start = index.starts[line - 1]
        if line == 1 or not index.line_text(line - 1).strip():
            out.append(text[prev:start])
            indent = current[: len(current) - len(current.lstrip())]
            out.append(f"{indent}<!-- replylint-disable-next-line {rules} -->{newline}")
            prev = start
        else:
            end = start + len(current)
            out.append(text[prev:end])
            out.append(f" <!-- replylint-disable-line {rules} -->")
            prev = end
    out.append(text[prev:])
    return "".join(out)


def add_noqa(results: Iterable[FileResult]) -> tuple[int, list[str]]:
    """Insert the comments; the number of comments added and the files that cannot carry them."""
    added, cannot = 0, []
    for r in results:
        if not r.diagnostics:
            continue
        if not can_carry_comments(r.path):
            cannot.append(r.path)
            continue
        lines: dict[int, list[str]] = {}
        for d in r.diagnostics:
            lines.setdefault(d.line, []).append(d.rule)
        original = Path(r.path).read_bytes()
        if encode_like(r.source.text, r.source.encoding, original) != original:
            cannot.append(f"{r.path} (changed on disk, or its bytes do not round-trip)")
            continue
        text = with_noqa(r.source.text, lines)
        write_atomic(r.path, encode_like(text, r.source.encoding, original))
        added += len(lines)
    return added, cannot
