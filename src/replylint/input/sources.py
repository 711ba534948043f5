"""Reading what the user points at: files, folders and stdin, as drafts placed in their file.

Decoding is in ``readers.decode``, one module per format in ``readers``; this module walks
folders and turns a path into a ``Source``."""
from __future__ import annotations

import fnmatch
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Sequence

from ..config import Config
from ..errors import InputError
from ..report.suppressions import Suppression
from .readers import Parsed, ReadOptions, Segment, parse
from .readers.decode import BinaryFile, decode
from .readers.known import is_config_file

__all__ = ["ReadOptions", "Segment", "Source", "iter_paths", "load_source", "read_options", "read_source"]


@dataclass
class Source:
    """A file (or stdin) and the drafts found in it. ``encoding`` is the codec to write it back
    with; ``warnings`` are one-line notes for stderr (a skipped binary file, an unknown directive)."""

    path: str
    text: str
    segments: list[Segment] = field(default_factory=list)
    encoding: str = "utf-8"
    kind: Optional[str] = None
    suppressions: list[Suppression] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    no_drafts: Optional[str] = None
    """Set when a file that has text yields no drafts (and is not a tool's configuration): the
    setting to look at. A warning, an error with ``strict``."""


def read_options(config: Config) -> ReadOptions:
    """The reading settings of a config (forced encoding, text field, suppression field)."""
    return ReadOptions(
        encoding=config.encoding,
        text_field=config.text_field,
        ignore_field=config.ignore_field,
        markdown_templates=config.markdown_templates,
        markdown_fences=config.markdown_fences,
    )


def load_source(path: str, data: bytes, options: Optional[ReadOptions] = None) -> Source:
    """A Source from the bytes of ``path`` (its extension chooses the format)."""
    options = options or ReadOptions()
    name = "<stdin>" if path == "-" else path
    try:
        text, codec = decode(data, name, options.encoding)
    except BinaryFile:
        return Source(path, "", [], "utf-8", warnings=[f"{name}: binary file, skipped"])
    parsed = Parsed(quiet=True) if is_config_file(path) else parse(path, text, data, codec, options)
    kind = "email" if path.lower().endswith(".eml") else None
    warnings = [f"{name}:{w}" for w in parsed.warnings]
    source = Source(path, text, parsed.segments, codec, kind, parsed.suppressions, warnings)
    if not parsed.quiet and text.strip() and not any(s.text.strip() for s in parsed.segments):
        source.no_drafts = _hint(path, options)
        source.warnings.append(f"no templates found in {name}; see {source.no_drafts}")
    return source


def _hint(path: str, options: ReadOptions) -> str:
    """The setting that tells the reader where a file's templates are."""
    if path.lower().endswith((".md", ".markdown")):
        return "markdown-templates"
    return "--text-field"


def iter_paths(paths: Sequence[str], config: Config) -> Iterator[str]:
    """Files named on the command line, and the files below named folders that the include and
    exclude globs select, in a stable order. Symbolic links to folders are not followed inside a
    folder (no loops); broken links and other non-regular files there are passed over."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        p = Path(raw)
        if p.is_dir():
            yield from _walk(p, config)
        elif p.is_file():
            yield raw
        elif p.exists():
            raise InputError(f"{raw}: not a regular file (a FIFO, device or socket); pass - to read stdin")
        elif p.is_symlink():
            raise InputError(f"{raw}: broken or looping symbolic link")
        else:
            raise InputError(f"{raw}: no such file or folder")


def _walk(top: Path, config: Config) -> Iterator[str]:
    """``os.walk`` (no links to folders followed, hidden folders skipped) over ``os.scandir``
    entries, which know their type without a ``stat`` per file."""
    root = str(top)
    try:
        with os.scandir(root) as it:
            entries = list(it)
    except OSError as exc:
        raise InputError(f"{exc.filename}: cannot read folder: {exc.strerror or exc}") from None
    files: list[os.DirEntry] = []
    dirs: list[os.DirEntry] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(entry)
    for entry in sorted(files, key=lambda e: e.name):
        f = _join(root, entry.name)
        if _is_file(entry) and config.selects_file(f, entry.name):
            yield f
    for entry in sorted(dirs, key=lambda e: e.name):
        d = Path(_join(root, entry.name))
        if (entry.name.startswith(".") and not _walks_dot_folder(entry.name, config)) or config.is_excluded(d):
            continue
        try:
            link = entry.is_symlink()
        except OSError:
            link = False
        if not link:
            yield from _walk(d, config)


WALKED_DOT_FOLDERS = (".github",)
"""Dot-folders walked by default: .github holds saved replies (.github/replies.yml)."""


def _walks_dot_folder(name: str, config: Config) -> bool:
    """Folders starting with a dot (.git, .venv, .vscode) are tools' own; .github is walked, and
    so is any folder an include glob names (``.templates/**``, ``**/.replies/*.md``)."""
    if name in WALKED_DOT_FOLDERS:
        return True
    return any(
        part.startswith(".") and part not in (".", "..") and fnmatch.fnmatchcase(name, part)
        for g in config.include
        for part in g.replace("\\", "/").split("/")[:-1]
    )


def _is_file(entry: os.DirEntry) -> bool:
    """``Path.is_file``: a regular file or a link to one; False for a broken or looping link."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _join(root: str, name: str) -> str:
    """``str(Path(root) / name)`` for a name read from the folder (no separators in it)."""
    return name if root == "." else os.path.join(root, name)


def read_source(path: str, options: Optional[ReadOptions] = None) -> Source:
    """Read and decode one path (``-`` is stdin, read as plain text)."""
    if path == "-":
        return load_source("-", sys.stdin.buffer.read(), options)
    try:
        data = _read_bytes(path)
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except MemoryError:
        raise InputError(f"{path}: too large to read") from None
    return load_source(path, data, options)


def _read_bytes(path: str) -> bytes:
    """``Path(path).read_bytes()`` through the descriptor calls alone (a third of its cost per
    file, which counts when a folder holds thousands of short drafts)."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below then refuses it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file (a FIFO, device or socket); pass - to read stdin")
        if info.st_size < 1 << 20:
            # One read of one byte more than the file holds: a regular file reads short only at its
            # end, so a short read is the whole file (a file that grew meanwhile reads on below).
            first = os.read(fd, info.st_size + 1)
            if len(first) <= info.st_size:
                return first
            chunks = [first]
        else:
            chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)
