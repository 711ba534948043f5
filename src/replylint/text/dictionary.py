"""jieba's dictionary as a memory-mapped hash table, built once into the user's cache folder.

jieba loads its whole prefix dictionary (half a million entries) into a dict on every start,
which costs a process 0.5-0.9 s even from its marshal cache. A linter only looks up a few hundred
fragments per draft, so the same data is kept here in a file that is mapped, not read: opening it
costs well under a millisecond, and each lookup touches a page or two.

The table holds exactly what jieba's ``Tokenizer.FREQ`` holds (every word with its frequency,
every prefix of a word with 0), built by jieba's own rules from jieba's installed ``dict.txt``,
plus jieba's HMM tables for unknown words. It is rebuilt when that file changes, written atomically
(temporary file, then rename); when no cache can be written, jieba itself is loaded instead.

The header carries a CRC-32 of everything else in the file (and of itself), checked at every
open: a table damaged on disk is rebuilt, never read (a bad slot could point anywhere). The check
reads the whole table once, about 6 ms for jieba's 13 MB table (docs/reliability.md).
"""
from __future__ import annotations

import marshal
import mmap
import os
import struct
import sys
import zlib
from pathlib import Path
from typing import Any, Optional, Protocol

FORMAT = b"RLDICT04"
_MAGIC = b"RLDICT"  # every version's magic starts so: the files _remove_stale may delete
_HEADER = struct.Struct("<8sIIQQQI")  # magic, slots, entries, total, hmm offset, hmm length, CRC-32
_HEADER_SIZE = 64
_SLOT = struct.Struct("<II")  # file offset of the entry (0: empty), frequency


class FrequencyTable(Protocol):
    """What the segmenter needs from a dictionary."""

    total: int

    def get(self, word: str) -> Optional[int]:
        """None: no word starts with ``word``; 0: only a prefix; otherwise its frequency."""

    def hmm(self) -> tuple[Any, Any, Any]:
        """jieba's (start, transition, emission) log-probabilities for unknown words."""


def jieba_dictionary() -> Path:
    """The ``dict.txt`` jieba uses by default, found without importing jieba (which is slow)."""
    from importlib.util import find_spec

    spec = find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "dict.txt"


def cache_dir() -> Path:
    """``$REPLYLINT_CACHE_DIR``, else the platform's user cache folder."""
    env = os.environ.get("REPLYLINT_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "replylint"


def cache_path(source: Path) -> Path:
    """The table's file name names the dictionary it was built from, so a changed
    dictionary gets a new table instead of a stale one."""
    st = source.stat()
    key = f"{source.resolve()}|{st.st_size}|{st.st_mtime_ns}|{FORMAT.decode()}".encode()
    return cache_dir() / f"jieba-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.dict"


class MappedTable:
    """The table file, mapped read-only; lookups are memoised (the memo is bounded)."""

    MEMO_LIMIT = 200_000

    def __init__(self, path: Path) -> None:
        from ..cachefiles import open_regular

        fd = open_regular(path)
        try:
            self._mm = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        finally:
            os.close(fd)
        if len(self._mm) < _HEADER_SIZE:
            raise ValueError(f"{path}: truncated dictionary table")
        magic, nslots, self.entries, self.total, self._hmm_at, self._hmm_len, crc = _HEADER.unpack_from(self._mm)
        if (magic != FORMAT or not nslots or nslots & (nslots - 1) or len(self._mm) != self._hmm_at + self._hmm_len
                or self._hmm_at < _HEADER_SIZE + 8 * nslots):
            raise ValueError(f"{path}: not a dictionary table of this version")
        if _checksum(self._mm) != crc:
            raise ValueError(f"{path}: dictionary table damaged (checksum mismatch)")
        self._mask = nslots - 1
        self._slots = memoryview(self._mm)[_HEADER_SIZE : _HEADER_SIZE + 8 * nslots].cast("I")
        self._memo: dict[str, Optional[int]] = {}
        self._hmm: Optional[tuple[Any, Any, Any]] = None

    def get(self, word: str) -> Optional[int]:
        memo = self._memo
        if word in memo:
            return memo[word]
        key = word.encode("utf-8")
        n = len(key)
        mm, slots, mask = self._mm, self._slots, self._mask
        i = zlib.crc32(key) & mask
        found: Optional[int] = None
        while True:
            at = slots[2 * i]
            if not at:
                break
            if mm[at] == n and mm[at + 1 : at + 1 + n] == key:
                found = slots[2 * i + 1]
                break
            i = (i + 1) & mask
        if len(memo) >= self.MEMO_LIMIT:
            memo.clear()
        memo[word] = found
        return found

    def hmm(self) -> tuple[Any, Any, Any]:
        if self._hmm is None:
            self._hmm = marshal.loads(self._mm[self._hmm_at : self._hmm_at + self._hmm_len])
        return self._hmm


def _checksum(data: Any) -> int:
    """CRC-32 of a table: its header without the CRC field, then everything after the header."""
    view = memoryview(data)
    return zlib.crc32(view[_HEADER_SIZE:], zlib.crc32(view[: _HEADER.size - 4]))


class JiebaTable:
    """Fallback: jieba's own dictionary, loaded the slow way."""

    def __init__(self) -> None:
        import logging

        import jieba
        from jieba import finalseg

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        self._freq: dict[str, int] = tokenizer.FREQ
        self.total: int = tokenizer.total
        self._tables = (finalseg.start_P, finalseg.trans_P, finalseg.emit_P)

    def get(self, word: str) -> Optional[int]:
        return self._freq.get(word)

    def hmm(self) -> tuple[Any, Any, Any]:
        return self._tables


def read_dictionary(source: Path) -> tuple[dict[str, int], int]:
    """Words and prefixes with their frequencies, and the total, exactly as jieba's
    ``Tokenizer.gen_pfdict`` computes them (a later duplicate overrides, totals add up)."""
    freq: dict[str, int] = {}
    total = 0
    with open(source, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip().decode("utf-8")
            try:
                word, count = line.split(" ")[:2]
                n = int(count)
            except ValueError:
                raise ValueError(f"invalid dictionary entry in {source} at line {lineno}: {line}") from None
            freq[word] = n
            total += n
            for end in range(1, len(word)):
                freq.setdefault(word[:end], 0)
    return freq, total


def _hmm_tables() -> tuple[Any, Any, Any]:
    from jieba import finalseg

    return finalseg.start_P, finalseg.trans_P, finalseg.emit_P


def build(source: Path, target: Path) -> None:
    """Write the table for ``source`` to ``target`` atomically."""
    freq, total = read_dictionary(source)
    nslots = 1 << max(10, (2 * len(freq) - 1).bit_length())  # load factor at most 1/2
    mask = nslots - 1
    slots = [0] * (2 * nslots)
    blob = bytearray()
    base = _HEADER_SIZE + 8 * nslots
    for word, count in freq.items():
        key = word.encode("utf-8")
        if len(key) > 255:
            raise ValueError(f"{source}: word longer than 255 bytes: {word[:20]}…")
        i = zlib.crc32(key) & mask
        while slots[2 * i]:
            i = (i + 1) & mask
        slots[2 * i] = base + len(blob)
        slots[2 * i + 1] = count
        blob.append(len(key))
        blob += key
    hmm = marshal.dumps(_hmm_tables())
    hmm_at = base + len(blob)
    body = (struct.pack(f"<{2 * nslots}I", *slots), bytes(blob), hmm)
    crc = zlib.crc32(_HEADER.pack(FORMAT, nslots, len(freq), total, hmm_at, len(hmm), 0)[: _HEADER.size - 4])
    for part in body:
        crc = zlib.crc32(part, crc)
    header = _HEADER.pack(FORMAT, nslots, len(freq), total, hmm_at, len(hmm), crc).ljust(_HEADER_SIZE, b"\0")
    from ..atomic import write_atomic
    from ..cachefiles import ensure_folder

    ensure_folder(target.parent)
    write_atomic(target, (header, *body), keep_mode=False, sync=False)


def open_table() -> FrequencyTable:
    """The mapped table for jieba's dictionary, built first if needed; jieba itself when the
    table cannot be built or read (no writable cache folder, a big-endian machine)."""
    if sys.byteorder == "little":
        try:
            source = jieba_dictionary()
            target = cache_path(source)
            try:
                return MappedTable(target)
            except (OSError, ValueError):
                build(source, target)
                _remove_stale(target)
                return MappedTable(target)
        except (OSError, ValueError):
            pass
    return JiebaTable()


def _remove_stale(current: Path) -> None:
    """Delete tables built from an earlier dictionary (a jieba upgrade leaves one behind): only
    regular files whose header says they are a table of ours, of any version."""
    for old in current.parent.glob("jieba-*.dict"):
        if old == current:
            continue
        try:
            if not _is_our_table(old):
                continue
            old.unlink()
        except OSError:
            pass  # mapped by a running process on Windows, say; it goes next time


def _is_our_table(path: Path) -> bool:
    """Whether ``path`` is a regular file with a table header whose sizes match the file's."""
    import stat

    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode) or st.st_size < _HEADER_SIZE:
        return False
    with open(path, "rb") as f:
        head = f.read(_HEADER_SIZE)
    if not head.startswith(_MAGIC):
        return False
    magic, nslots, _entries, _total, hmm_at, hmm_len = struct.unpack_from("<8sIIQQQ", head)
    return st.st_size == hmm_at + hmm_len and nslots > 0 and not nslots & (nslots - 1)
