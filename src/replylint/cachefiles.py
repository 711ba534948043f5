"""The user's cache folder, trusted only when only this user can write it, and its files read only
when they are regular files (never through a link someone planted there).

The jieba table (``text/dictionary.py``) and the pattern cache (``matching/cache.py``) are kept
there; both also carry a checksum of their own, so a damaged file is rebuilt rather than used.
"""
from __future__ import annotations

import os
import stat
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
