"""One reader per input format, chosen by file extension; anything else is plain text.

Each format's module is imported only when a file of that format is read (yaml, email and csv
cost a start more than linting a short draft does)."""
from __future__ import annotations

import importlib
import os
from pathlib import PurePath

from .base import IGNORE_FIELD, TEXT_FIELDS, Parsed, ReadOptions, Segment

__all__ = ["IGNORE_FIELD", "TEXT_FIELDS", "FORMATS", "Parsed", "ReadOptions", "Segment", "parse"]

# Extensions read as something other than plain text.
FORMATS = (".md", ".markdown", ".eml", ".json", ".jsonl", ".yaml", ".yml", ".csv")


_LOADED: dict = {}


def _reader(name: str):
    module = _LOADED.get(name)
    if module is None:  # import_module costs a few µs even for a loaded module: once per format
        module = _LOADED[name] = importlib.import_module(f"{__name__}.{name}")
    return module


def _suffix(path: str) -> str:
    """``PurePath(path).suffix``, without building a path object for an ordinary file name."""
    name = path.rpartition("/")[2]
    if os.altsep is not None or os.sep != "/" or name in ("", ".", ".."):
        return PurePath(path).suffix
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def parse(path: str, text: str, data: bytes, codec: str, options: ReadOptions) -> Parsed:
    """The drafts and suppressions of a decoded file, by its extension."""
    ext = _suffix(path).lower() if path != "-" else ""
    if ext in (".md", ".markdown"):
        return _reader("markdown").read(text, options)
    if ext == ".eml":
        return _reader("eml").read(text, data, codec, path)
    if ext == ".json":
        return _reader("jsondoc").read(text, path, options)
    if ext == ".jsonl":
        return _reader("jsondoc").read_lines(text, path, options)
    if ext in (".yaml", ".yml"):
        return _reader("yamldoc").read(text, path, options)
    if ext == ".csv":
        return _reader("csvdoc").read(text, path, options)
    return _reader("plain").read(text)
