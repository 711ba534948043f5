"""Rule files as parsed before, kept between runs: TOML parsed in Python was a quarter of building
a linter at a cold start, and the same files are read at every start.

An entry is the file's text and its parsed data (as JSON, which the parser's output always is for
a rule file: strings, numbers, booleans, arrays and tables). It is used only when the text read
now is the text parsed then, so an edited file is parsed again. The file is JSON behind a header
(magic, length, CRC-32) in the user's cache folder, trusted as ``cachefiles`` trusts it; anything
wrong with it and it is ignored and written afresh.
"""
from __future__ import annotations

import atexit
import json
import sys
import threading
from pathlib import Path
from typing import Any, Optional

from ..cachefiles import save_quietly, seal, unseal

_MAGIC = b"RLRULE01"
_MAX_BYTES = 32 << 20
_KEEP = 256  # files kept (the bundled rules and a team's, with room for edits)

_lock = threading.Lock()
_entries: Optional[dict[str, tuple[str, str]]] = None  # path → (text, data as JSON)
_dirty = False


def _path() -> Path:
    from ..text.dictionary import cache_dir

    return cache_dir() / ("rules-py%d%d.json" % sys.version_info[:2])


def decode(data: bytes) -> dict[str, tuple[str, str]]:
    """The entries of a cache file's bytes; ValueError unless its header, checksum and shape are right."""
    rows = json.loads(unseal(_MAGIC, data).decode("utf-8"))
    if not isinstance(rows, dict) or not all(
        isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v) for v in rows.values()
    ):
        raise ValueError("rule cache of the wrong shape")
    return {k: (v[0], v[1]) for k, v in rows.items()}


def encode(entries: dict[str, tuple[str, str]]) -> bytes:
    return seal(_MAGIC, json.dumps({k: list(v) for k, v in entries.items()}, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _load() -> dict[str, tuple[str, str]]:
    from ..cachefiles import read_regular

    try:
        return decode(read_regular(_path(), _MAX_BYTES))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return {}


def parsed(path: Path, text: str) -> Optional[dict[str, Any]]:
    """The data ``text`` parsed to when it was last the text of ``path``, or None."""
    global _entries
    with _lock:
        if _entries is None:
            _entries = _load()
        found = _entries.get(str(path))
    if found is None or found[0] != text:
        return None
    try:
        data = json.loads(found[1])
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def remember(path: Path, text: str, data: dict[str, Any]) -> None:
    """Keep what ``text`` (now the text of ``path``) parsed to, for the next start."""
    global _entries, _dirty
    try:
        blob = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # a date or a NaN: JSON would not give it back as it was
        return
    with _lock:
        if _entries is None:
            _entries = _load()
        _entries.pop(str(path), None)  # the newest last: the oldest go first when there are too many
        _entries[str(path)] = (text, blob)
        if not _dirty:
            _dirty = True
            atexit.register(save)


def save() -> None:
    """Write the cache if this process parsed something new; never fails the run."""
    global _dirty
    with _lock:
        if not _dirty or _entries is None:
            return
        _dirty = False
        keep = dict(list(_entries.items())[-_KEEP:])
    save_quietly(_path(), encode(keep))
