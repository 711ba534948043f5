"""CSV template collections: a header row, then one draft per row from the text column (the first
of the text field names present), with optional kind, platform and suppression columns."""
from __future__ import annotations

import csv
from typing import Iterator, Optional

from ...errors import InputError
from ...text.positions import LineIndex
from .base import Parsed, ReadOptions, split_lines
from .entries import Entry, collect, is_prose


def read(text: str, path: str, options: ReadOptions) -> Parsed:
    index = LineIndex(text)
    rows = _rows(text, path)
    header = next(rows, None)
    if header is None:
        return Parsed()
    names = [v for v, _ in header[1]]
    column = next((names.index(f) for f in options.text_fields if f in names), None)
    if column is None:
        # No text column: worth a warning only when some cells read like texts (a column of another name).
        sample = [value for _, (_, fields) in zip(range(50), rows) for value, _ in fields]
        return Parsed(quiet=sum(map(is_prose, sample)) < 2)
    extra = {k: names.index(k) for k in ("kind", "platform", options.ignore_field) if k in names}
    entries = []
    for _, fields in rows:
        if column >= len(fields):
            continue
        value, offsets = fields[column]
        line, col = index.position(offsets[0])
        e = Entry(value, offsets, f"{line}:{col}")

        def cell(name: str) -> Optional[str]:
            i = extra.get(name)
            return fields[i][0] if i is not None and i < len(fields) and fields[i][0] else None

        e.kind, e.platform = cell("kind"), cell("platform")
        ignore = cell(options.ignore_field)
        if ignore is not None:
            e.ignore = ignore
            at = fields[extra[options.ignore_field]][1]
            e.ignore_span = (at[0], at[-1])
        entries.append(e)
    return collect(path, entries, len(text))


def _rows(text: str, path: str) -> Iterator[tuple[int, list[tuple[str, list[int]]]]]:
    """``(start, [(value, offsets)…])`` per record: values from the stdlib reader, offsets from
    re-reading the record's own lines (falling back to the field's start for odd dialects)."""
    lines = split_lines(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    reader = csv.reader(lines, strict=True)
    done = 0
    try:
        for row in reader:
            lo, hi = starts[done], starts[reader.line_num]
            done = reader.line_num
            if not row:
                continue
            yield lo, _place(row, text, lo, hi)
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: invalid CSV: {exc}") from None


def _place(row: list[str], text: str, lo: int, hi: int) -> list[tuple[str, list[int]]]:
    scanned = _scan(text, lo, hi)
    if [v for v, _ in scanned] != row:
        return [(v, [lo] * (len(v) + 1)) for v in row]
    return scanned


def _scan(text: str, lo: int, hi: int) -> list[tuple[str, list[int]]]:
    """The fields of one excel-dialect record in ``text[lo:hi]`` with each character's offset."""
    fields = []
    i = lo
    end = len(text[lo:hi].rstrip("\r\n")) + lo
    while True:
        chars: list[str] = []
        offs: list[int] = []
        if i < end and text[i] == '"':
            i += 1
            while i < hi and not (text[i] == '"' and text[i + 1 : i + 2] != '"'):
                chars.append(text[i])
                offs.append(i)
                i += 2 if text[i] == '"' else 1
            offs.append(i)  # the closing quote (strict: a comma or the record's end follows)
            i += 1
        else:
            while i < end and text[i] != ",":
                chars.append(text[i])
                offs.append(i)
                i += 1
            offs.append(i)
        fields.append(("".join(chars), offs))
        if i >= end:
            return fields
        i += 1  # the comma
