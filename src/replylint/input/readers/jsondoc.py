"""JSON and JSONL template collections, every string placed at its exact place in the file
(escapes such as ``\\n`` and ``\\u4f60`` count as the characters they stand for)."""
from __future__ import annotations

import json
import json.decoder
import json.scanner
from typing import Any, Optional, Sequence

from ...errors import InputError
from ...text.normalize import positions
from ...text.positions import LineIndex
from .base import Parsed, ReadOptions, split_lines
from .entries import Entry, candidates, collect, has_prose, text_key


class _Str(str):
    """A decoded JSON string that knows where its raw text starts (just after the quote)."""

    pos: int = 0


def _parse_string(s: str, end: int, strict: bool = True) -> tuple[_Str, int]:
    value, new_end = json.decoder.py_scanstring(s, end, strict)
    out = _Str(value)
    out.pos = end
    return out, new_end


def _parse_int(digits: str) -> Any:
    """An integer; one longer than Python converts (4,300 digits) stays exact as a Decimal (a
    number is never draft text, but it must not stop the file from being read)."""
    if len(digits) < 4000:
        return int(digits)
    from decimal import Decimal

    return Decimal(digits)


def _decoder() -> json.JSONDecoder:
    dec = json.JSONDecoder(parse_int=_parse_int)
    dec.parse_string = _parse_string  # type: ignore[attr-defined]
    dec.scan_once = json.scanner.py_make_scanner(dec)  # the C scanner would not call it
    return dec


def loads(text: str, path: str, base: int = 0, index: Optional[LineIndex] = None) -> Any:
    """Parse JSON whose string values are ``_Str`` with file offsets (``base`` is where ``text``
    starts in the file); errors name the line and column in the file."""
    try:
        value = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        line, col = (index.position(base + exc.pos) if index else (exc.lineno, exc.colno))
        raise InputError(f"{path}:{line}:{col}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None
    _shift(value, base)
    return value


def _shift(value: Any, base: int, depth: int = 0) -> None:
    if not base or depth > 3:
        return
    if isinstance(value, _Str):
        value.pos += base
    elif isinstance(value, dict):
        for v in value.values():
            _shift(v, base, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _shift(v, base, depth + 1)


def string_offsets(raw: str, pos: int, length: int) -> Sequence[int]:
    """File offsets of the ``length`` decoded characters of the string starting at ``pos``, and of
    its closing quote: a ``range`` when nothing is escaped, else a compact array (a list would
    cost 36 bytes a character on a long string)."""
    if "\\" not in raw[pos : pos + length]:
        return range(pos, pos + length + 1)
    out = positions(size=len(raw))
    i = pos
    while len(out) < length:
        out.append(i)
        if raw[i] != "\\":
            i += 1
        elif raw[i + 1] != "u":
            i += 2
        else:
            cp = int(raw[i + 2 : i + 6], 16)
            pair = 0xD800 <= cp < 0xDC00 and raw[i + 6 : i + 8] == "\\u"
            if pair and 0xDC00 <= int(raw[i + 8 : i + 12], 16) < 0xE000:
                i += 12
            else:
                i += 6
    out.append(i)
    return out


def read(text: str, path: str, options: ReadOptions) -> Parsed:
    if not text.strip():
        return Parsed(quiet=True)
    index = LineIndex(text)
    value = loads(text, path, 0, index)
    parsed = collect(path, _entries(value, text, index, options), len(text))
    if not parsed.segments:
        parsed.quiet = not has_prose(value, _is_map, _is_list, _str_of)
    return parsed


def _is_map(v: Any) -> bool:
    return isinstance(v, dict)


def _is_list(v: Any) -> bool:
    return isinstance(v, list)


def _str_of(v: Any) -> Optional[str]:
    return v if isinstance(v, _Str) else None


def read_lines(text: str, path: str, options: ReadOptions) -> Parsed:
    """JSONL: one entry (a string or a mapping with a text field) per line."""
    index = LineIndex(text)
    entries: list[Entry] = []
    pos = 0
    for line in split_lines(text):
        body = line.rstrip("\r\n")
        if body.strip():
            value = _quick_line(body, pos, options)
            if value is None:
                value = loads(body, path, pos, index)
            entries.extend(_entries(value, text, index, options, lines=True))
        pos += len(line)
    return collect(path, entries, len(text))


_C_SCAN = json.scanner.make_scanner(json.JSONDecoder(parse_int=_parse_int))  # the C scanner: strings not placed
_WS = json.decoder.WHITESPACE.match


def _quick_line(body: str, base: int, options: ReadOptions) -> Any:
    """The value of a JSONL line as ``loads`` gives it, parsed by the C scanner: only the line's
    own string, or the top-level string values of its mapping, are placed (``_Str``), which is
    all ``_entries`` reads of an ordinary line. None when the line is anything else (an entry
    nested deeper, an ignore list, invalid JSON): ``loads`` then parses it the slow way, and so
    reports errors exactly as before."""
    try:
        start = _WS(body, 0).end()
        first = body[start : start + 1]
        if first == '"':
            raw, end = json.decoder.scanstring(body, start + 1, True)
            value: Any = _Str(raw)
            value.pos = base + start + 1
        elif first == "{":
            places: list[int] = []

            def scan(s: str, at: int) -> tuple[Any, int]:
                places.append(at)
                return _C_SCAN(s, at)

            pairs, end = json.decoder.JSONObject((body, start + 1), True, scan, None, list)
            value = {}
            for (key, v), at in zip(pairs, places):
                if type(v) is str:
                    v = _Str(v)
                    v.pos = base + at + 1
                value[key] = v
            if not any(isinstance(value.get(f), _Str) for f in options.text_fields):
                return None
            if not isinstance(value.get(options.ignore_field), (str, type(None))):
                return None
        else:
            return None
    except Exception:  # anything unusual: the slow parse decides, as before
        return None
    if _WS(body, end).end() != len(body):
        return None
    return value


def _entries(value: Any, raw: str, index: LineIndex, options: ReadOptions, lines: bool = False) -> list[Entry]:
    fields = options.text_fields
    exact = options.text_field is not None

    def text_of(v: Any) -> Optional[_Str]:
        key = text_key((k for k, x in v.items() if isinstance(x, _Str)), fields, exact)
        return None if key is None else v[key]

    def has_text(v: Any) -> bool:
        return text_of(v) is not None

    def is_map(v: Any) -> bool:
        return isinstance(v, dict)

    def is_list(v: Any) -> bool:
        return isinstance(v, list) and not lines

    if lines and isinstance(value, _Str):
        found: list[tuple[Optional[str], Any]] = [(None, value)]
        top = None
    else:
        top = text_of(value) if isinstance(value, dict) else None
        found = [(None, value)] if top is not None else candidates(
            value, is_map, is_list, has_text, None if lines else _str_of
        )
    out = []
    for label, v in found:
        s = v if isinstance(v, _Str) else (top if v is value else text_of(v)) if isinstance(v, dict) else None
        if s is None:
            continue
        offsets = string_offsets(raw, s.pos, len(s))
        line, col = index.position(s.pos - 1)
        e = Entry(str(s), offsets, f"{line}:{col}", label)
        if isinstance(v, dict):
            e.kind, e.platform = v.get("kind"), v.get("platform")
            ignore = v.get(options.ignore_field)
            if ignore is not None:
                e.ignore = [str(x) if isinstance(x, str) else x for x in ignore] if isinstance(ignore, list) else ignore
                at = ignore.pos - 1 if isinstance(ignore, _Str) else s.pos - 1
                e.ignore_span = (at, at + 1 + len(ignore)) if isinstance(ignore, _Str) else _first_item(ignore, at)
        out.append(e)
    return out


def _first_item(value: Any, fallback: int) -> tuple[int, int]:
    """Where an ignore list is reported: its first string, else the entry's text."""
    for x in value if isinstance(value, list) else ():
        if isinstance(x, _Str):
            return x.pos - 1, x.pos + len(x) + 1
    return fallback, fallback + 1
