"""Template collections (JSON, JSONL, YAML, CSV): each entry with a text field is its own draft.

Which values are entries, whatever the format:
- a string in a top-level list (or a JSONL line that is a string);
- a mapping that has a text field holding a string: at the top level, in a top-level list, or as
  a value (list item) of a top-level mapping (``{"refund": {"text": …}}``, ``{"templates": [{…}]}``),
  also inside nested groups (``{"售前": {"refund": {"text": …}}}``);
- the values of a keyed collection (``{"title": "text"}``, and nested groups of them): a mapping
  whose values are all strings (or such groups, or lists of prose), at least one of them prose and
  none of them a token (a name, version, path or switch: ``1.0.0``, ``dist/``, ``true``).
Anything else is not a draft and is skipped without a word, so configuration files that happen to
be JSON or YAML (package.json, .pre-commit-config.yaml) yield no drafts and no errors; well-known
configuration files (``known.py``) are not read at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

import regex

from ...errors import InputError
from ...report.suppressions import Suppression, split_rules
from ...text.draft import KINDS
from .base import TEXT_FIELDS, Parsed, Segment

Test = Callable[[Any], bool]
StrOf = Callable[[Any], Optional[str]]

MAX_DEPTH = 4
"""How deep groups of templates may nest (``{"售前": {"催付": {"t1": "…"}}}``)."""

_HAN = regex.compile(r"\p{Han}")
_WORD = regex.compile(r"[^\W\d_]{2,}")
_TOKEN = regex.compile(r"\d|[/\\:@_=]|\.(?=.)")
_IDENTIFIER = regex.compile(r"[a-z][a-z0-9\-]*")
_KEY_WORDS = regex.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def is_prose(value: str) -> bool:
    """Whether a string reads as a reply: two Chinese characters, or three words."""
    return len(_HAN.findall(value, overlapped=False)[:2]) >= 2 or len(_WORD.findall(value)[:3]) >= 3


def is_token(value: str) -> bool:
    """A configuration value rather than text: one run without spaces or Chinese that is a name,
    version, path, URL or switch (``1.0.0``, ``dist/``, ``true``, ``shop-bot``); a short reply in
    one word (``Thanks!``, ``Noted.``) is not one."""
    v = value.strip()
    if not v or any(c.isspace() for c in v) or _HAN.search(v):
        return False
    return bool(_TOKEN.search(v.rstrip(".!?"))) or bool(_IDENTIFIER.fullmatch(v))


def text_key(keys: Iterable[str], fields: Sequence[str], exact: bool) -> Optional[str]:
    """The key holding an entry's text: the first of ``fields`` present, else (unless ``exact``,
    i.e. --text-field was given) a key made of one of their words (``reply_text``, ``bodyZh``)."""
    keys = list(keys)
    for f in fields:
        if f in keys:
            return f
    if exact:
        return None
    for k in keys:
        if any(w.lower() in TEXT_FIELDS for w in _KEY_WORDS.findall(k)):
            return k
    return None


@dataclass
class Entry:
    """One draft found in a collection: its text with the file offset of every character (and of
    its end), and the entry's own settings as found (checked by ``collect``)."""

    text: str
    offsets: Sequence[int]
    where: str
    label: Optional[str] = None
    kind: Any = None
    platform: Any = None
    ignore: Any = None
    ignore_span: Optional[tuple[int, int]] = None


def candidates(
    value: Any, is_map: Test, is_list: Test, has_text: Test, str_of: Optional[StrOf] = None
) -> list[tuple[Optional[str], Any]]:
    """``(label, value)`` of the values that may be entries, following the shapes above.
    ``is_map``/``is_list``/``has_text`` let each format use its own nodes; ``str_of`` gives a
    string node's text (None for anything else) and enables keyed collections."""
    if is_list(value):
        return [(None, v) for v in _items(value)]
    if is_map(value):
        if has_text(value):
            return [(None, value)]
        return _group(value, None, is_map, is_list, has_text, str_of, 0)
    return []


def _group(
    value: Any, label: Optional[str], is_map: Test, is_list: Test, has_text: Test, str_of: Optional[StrOf], depth: int
) -> list[tuple[Optional[str], Any]]:
    """The entries of a mapping that has no text field itself: its values with a text field, the
    items with one of its lists, and, in a keyed collection, its strings and lists of prose."""
    pairs = _pairs(value)
    keyed = str_of is not None and _is_keyed(pairs, is_map, is_list, has_text, str_of)
    out: list[tuple[Optional[str], Any]] = []
    for key, v in pairs:
        name = key if label is None else f"{label}/{key}"
        if is_map(v) and has_text(v):
            out.append((name, v))
        elif is_list(v):
            items = _items(v)
            if keyed and all(str_of(x) is not None for x in items):  # type: ignore[misc]
                out.extend((name, x) for x in items)
            else:
                out.extend((name, x) for x in items if is_map(x) and has_text(x))
        elif is_map(v) and depth < MAX_DEPTH:
            out.extend(_group(v, name, is_map, is_list, has_text, str_of, depth + 1))
        elif keyed and str_of(v) is not None:  # type: ignore[misc]
            out.append((name, v))
    return out


def _is_keyed(pairs: list[tuple[Optional[str], Any]], is_map: Test, is_list: Test, has_text: Test, str_of: StrOf) -> bool:
    """A keyed collection: every value a string (or a group, or a list of strings), at least one
    prose, none a token; a mapping with entries of its own (values with a text field) is not one,
    its strings are the collection's description."""
    prose = False
    for _, v in pairs:
        if is_map(v):
            if has_text(v):
                return False
            continue
        values = _items(v) if is_list(v) else [v]
        for x in values:
            s = str_of(x)
            if s is None or is_token(s):
                return False
            prose = prose or is_prose(s)
    return prose


def has_prose(value: Any, is_map: Test, is_list: Test, str_of: StrOf, budget: int = 5000) -> bool:
    """Whether the document reads like texts whose field was missed: two prose strings or more,
    a quarter of its strings at least. Data without prose, and configuration (a description
    among names, versions and switches), find no templates without it being a surprise."""
    stack = [value]
    prose = strings = 0
    while stack and budget > 0:
        budget -= 1
        v = stack.pop()
        s = str_of(v)
        if s is not None:
            strings += 1
            prose += is_prose(s)
        elif is_map(v):
            stack.extend(x for _, x in _pairs(v))
        elif is_list(v):
            stack.extend(_items(v))
    return prose >= 2 and prose * 4 >= strings


def _items(value: Any) -> list[Any]:
    return list(getattr(value, "value", value))


def _pairs(value: Any) -> list[tuple[Optional[str], Any]]:
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    return [(getattr(k, "value", None), v) for k, v in value.value]  # a YAML MappingNode


def collect(path: str, entries: Sequence[Entry], file_size: int) -> Parsed:
    """Segments and field suppressions for the entries, after checking their settings."""
    parsed = Parsed()
    for e in entries:
        kind = e.kind
        if kind is not None and kind not in KINDS:
            raise InputError(f"{path}:{e.where}: entry kind must be one of {', '.join(KINDS)}, got {kind!r}")
        platform = e.platform
        if platform is not None and not isinstance(platform, str):
            raise InputError(f"{path}:{e.where}: entry platform must be a string, got {platform!r}")
        if not e.text.strip():
            continue
        seg = Segment(
            e.text, e.offsets[0], str(kind) if kind else None, e.label, e.offsets,
            platform=str(platform) if platform else None,
        )
        parsed.segments.append(seg)
        if e.ignore is not None:
            rules = _ignore_rules(path, e)
            if rules == ():
                continue
            at, at_end = e.ignore_span or (e.offsets[0], e.offsets[0])
            end = min(e.offsets[-1] + 1, file_size)
            parsed.suppressions.append(Suppression(rules, e.offsets[0], end, at, at_end))
    return parsed


def _ignore_rules(path: str, e: Entry) -> Optional[tuple[str, ...]]:
    """The rules an entry's suppression field names: ``()`` for none, ``None`` for ``ALL``."""
    value = e.ignore
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        joined = ",".join(value)
        return split_rules(joined) if joined.strip(" ,") else ()
    raise InputError(f"{path}:{e.where}: the suppression field must be a rule id or a list of them, got {value!r}")
