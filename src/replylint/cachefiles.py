"""The user's cache folder, trusted only when only this user can write it, and its files read only
when they are regular files (never through a link someone planted there).

The jieba table (``text/dictionary.py``) and the pattern cache (``matching/cache.py``) are kept
there; both also carry a checksum of their own, so a damaged file is rebuilt rather than used.
"""
from __future__ import annotations

import os
import stat
import struct
import zlib
from pathlib import Path
from typing import Optional

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class UntrustedCache(OSError):
    """The cache folder or file could be written by someone else, or is not a regular file."""


def check_folder(folder: Path) -> None:
    """Raise UntrustedCache unless ``folder`` is a folder owned by this user and not writable by
    group or others (on systems with owners; Windows folders are not checked)."""
    st = os.stat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise UntrustedCache(0, "not a folder", str(folder))
    if hasattr(os, "geteuid"):
        if st.st_uid != os.geteuid():
            raise UntrustedCache(0, "cache folder owned by another user", str(folder))
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise UntrustedCache(0, "cache folder writable by other users", str(folder))


def ensure_folder(folder: Path) -> Path:
    """``folder`` created (mode 0700) if missing, then checked as ``check_folder`` does."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    check_folder(folder)
    return folder


def open_regular(path: Path) -> int:
    """A read-only descriptor for ``path`` if it is a regular file owned by this user; a link, a
    FIFO or a device at that name raises (OSError or UntrustedCache) instead of being opened."""
    check_folder(path.parent)
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UntrustedCache(0, "not a regular file", str(path))
        if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
            raise UntrustedCache(0, "cache file owned by another user", str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, limit: Optional[int] = None) -> bytes:
    """The bytes of ``path`` opened with ``open_regular`` (at most ``limit`` + 1 bytes)."""
    fd = open_regular(path)
    try:
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read() if limit is None else f.read(limit + 1)
    finally:
        os.close(fd)


# -- sealed files: plain data behind a header (magic, payload length, CRC-32 of the payload) -------
_HEADER = struct.Struct("<8sQI")


def seal(magic: bytes, payload: bytes) -> bytes:
    """``payload`` behind a header naming what it is (``magic``) and checking it."""
    return _HEADER.pack(magic, len(payload), zlib.crc32(payload)) + payload


def unseal(magic: bytes, data: bytes) -> bytes:
    """The payload of a ``seal``ed file's bytes; ValueError unless the header is ``magic``'s and
    the length and the checksum are right."""
    if len(data) < _HEADER.size:
        raise ValueError("truncated cache file")
    found, length, crc = _HEADER.unpack_from(data)
    payload = data[_HEADER.size:]
    if found != magic or length != len(payload) or zlib.crc32(payload) != crc:
        raise ValueError("cache file fails its check")
    return payload


def save_quietly(path: Path, data: bytes) -> None:
    """Write a cache file atomically in a folder only this user can write; a cache that cannot be
    written is no reason to fail the run."""
    from .atomic import write_atomic

    try:
        ensure_folder(path.parent)
        write_atomic(path, data, keep_mode=False, sync=False)
    except (OSError, ValueError, TypeError):
        pass
