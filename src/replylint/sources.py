"""Reading what the user points at: files, folders and stdin, as drafts placed in their file."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Sequence

from .config import Config
from .errors import InputError


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

    def file_offset(self, offset: int) -> int:
        if self.offsets is not None:
            return self.offsets[min(offset, len(self.offsets) - 1)]
        return self.start + offset


@dataclass
class Source:
    """A file (or stdin) and the drafts found in it."""

    path: str
    text: str
    segments: list[Segment] = field(default_factory=list)
    encoding: str = "utf-8"
    kind: Optional[str] = None


def read_text(data: bytes, path: str) -> tuple[str, str]:
    """Decode a file: UTF-8 (with or without BOM) and UTF-16 with BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def load_source(path: str, data: bytes) -> Source:
    text, encoding = read_text(data, path)
    kind = "email" if path.lower().endswith(".eml") else None
    return Source(path, text, [Segment(text, 0, kind)], encoding, kind)


def iter_paths(paths: Sequence[str], config: Config) -> Iterator[str]:
    """Files named on the command line, and the files below named folders that the include and
    exclude globs select, in a stable order."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not config.is_excluded(Path(root) / d))
                for name in sorted(files):
                    f = Path(root) / name
                    if config.is_included(f) and not config.is_excluded(f):
                        yield str(f)
        elif p.exists():
            yield raw
        else:
            raise InputError(f"{raw}: no such file or folder")


def read_source(path: str) -> Source:
    if path == "-":
        return load_source("-", sys.stdin.buffer.read())
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return load_source(path, data)
