"""Template collections (JSON, JSONL, YAML, CSV): each entry with a text field is its own draft.

Which values are entries, whatever the format:
- a string in a top-level list (or a JSONL line that is a string);
- a mapping that has a text field holding a string: at the top level, in a top-level list, or as
  a value (list item) of a top-level mapping (``{"refund": {"text": …}}``, ``{"templates": [{…}]}``).
Anything else is not a draft and is skipped without a word, so configuration files that happen to
be JSON or YAML (package.json, .pre-commit-config.yaml) yield no drafts and no errors.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from ...errors import InputError
from ...report.suppressions import Suppression, split_rules
from ...text.draft import KINDS
from .base import Parsed, Segment

Test = Callable[[Any], bool]


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
    value: Any, is_map: Test, is_list: Test, has_text: Test
) -> list[tuple[Optional[str], Any]]:
    """``(label, value)`` of the values that may be entries, following the shapes above.
    ``is_map``/``is_list``/``has_text`` let each format use its own nodes."""
    if is_list(value):
        return [(None, v) for v in _items(value)]
    if is_map(value):
        if has_text(value):
            return [(None, value)]
        out: list[tuple[Optional[str], Any]] = []
        for key, v in _pairs(value):
            if is_map(v) and has_text(v):
                out.append((key, v))
            elif is_list(v):
                out.extend((key, x) for x in _items(v) if is_map(x) and has_text(x))
        return out
    return []


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
