"""Rule files as parsed before, kept between runs: TOML parsed in Python was a quarter of building
a linter at a cold start, and the same files are read at every start.

An entry is a file's text, its parsed data (as JSON, which the parser's output always is for a
rule file: strings, numbers, booleans, arrays and tables) and the path it was last parsed from;
it is found by the text. So an edited file is parsed again, and its entry for the text before is
dropped (a rule being written does not leave every version behind), and the same rules read from
several places (checkouts, worktrees, the copies a benchmark makes) are kept once. Found by path,
they were kept once per place, and a start read them all: 219 entries, 3.3 MB and 20 ms of a 200 ms
start on a machine that had run benchmarks. The file is JSON behind a header (magic, length,
CRC-32) in the user's cache folder, trusted as ``cachefiles`` trusts it; anything wrong with it and
it is ignored and written afresh.
"""
from __future__ import annotations

import atexit
import json
import sys
import threading
from pathlib import Path
from typing import Any, Optional

from ..cachefiles import save_quietly, seal, unseal

_MAGIC = b"RLRULE02"  # 01 found entries by path
_MAX_BYTES = 32 << 20
_KEEP = 256  # texts kept (the bundled rules and a team's, with room for edits)

_lock = threading.Lock()
_entries: Optional[dict[str, tuple[str, str]]] = None  # text → (its data as JSON, the path last parsed from)
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


def parsed(text: str) -> Optional[dict[str, Any]]:
    """The data ``text`` (a rule file's) parsed to when it was last parsed, or None."""
    global _entries
    with _lock:
        if _entries is None:
            _entries = _load()
        found = _entries.get(text)
    if found is None:
        return None
    try:
        data = json.loads(found[0])
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def remember(path: Path, text: str, data: dict[str, Any]) -> None:
    """Keep what ``text`` (now the text of ``path``) parsed to, for the next start, in place of what
    was last parsed from ``path``."""
    global _entries, _dirty
    try:
        blob = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # a date or a NaN: JSON would not give it back as it was
        return
    with _lock:
        if _entries is None:
            _entries = _load()
        where = str(path)
        for old in [t for t, (_, last) in _entries.items() if last == where]:
            del _entries[old]  # the file's text before this edit (or this one, to put it last)
        _entries.pop(text, None)  # the newest last: the oldest go first when there are too many
        _entries[text] = (blob, where)
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
