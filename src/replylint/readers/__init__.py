"""One reader per input format, chosen by file extension; anything else is plain text."""
from __future__ import annotations

from pathlib import PurePath

from . import csvdoc, eml, jsondoc, markdown, plain, yamldoc
from .base import IGNORE_FIELD, TEXT_FIELDS, Parsed, ReadOptions, Segment

__all__ = ["IGNORE_FIELD", "TEXT_FIELDS", "FORMATS", "Parsed", "ReadOptions", "Segment", "parse"]

# Extensions read as something other than plain text.
FORMATS = (".md", ".markdown", ".eml", ".json", ".jsonl", ".yaml", ".yml", ".csv")


def parse(path: str, text: str, data: bytes, codec: str, options: ReadOptions) -> Parsed:
    """The drafts and suppressions of a decoded file, by its extension."""
    ext = PurePath(path).suffix.lower() if path != "-" else ""
    if ext in (".md", ".markdown"):
        return markdown.read(text)
    if ext == ".eml":
        return eml.read(text, data, codec, path)
    if ext == ".json":
        return jsondoc.read(text, path, options)
    if ext == ".jsonl":
        return jsondoc.read_lines(text, path, options)
    if ext in (".yaml", ".yml"):
        return yamldoc.read(text, path, options)
    if ext == ".csv":
        return csvdoc.read(text, path, options)
    return plain.read(text)
