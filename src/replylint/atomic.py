"""Writing files without harming anything else on disk.

Two writers, for two kinds of file:

- ``write_atomic`` (cache files the linter owns): a temp file created exclusively beside the target,
  then ``os.replace``. Links are never followed: a link at the target's name is replaced by a regular
  file, and whatever it pointed at is left alone. A reader never sees half a file, and on any failure
  the old file stays as it was and the temp file is removed.
- ``rewrite_in_place`` (a user's file, for ``--fix``): the same inode is written, so the file keeps
  its owner, group, mode, hard links, ACLs and extended attributes. A snapshot of the old bytes is
  written and synced beside it first (restored on failure), and the file is read again right before
  it is written: a file that changed since it was read, or is changed while it is written, is reported
  and never counted as fixed.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Union

Chunks = Union[bytes, Iterable[bytes]]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class ChangedOnDisk(OSError):
    """The file is not what was read: someone edited, replaced or appended to it meanwhile."""


def write_atomic(path: Union[str, Path], data: Chunks, keep_mode: bool = True, sync: bool = True) -> None:
    """Replace ``path`` by a regular file holding ``data`` (bytes, or chunks of bytes written in
    order). A link at ``path`` is replaced, never written through; ``keep_mode`` keeps an existing
    regular file's permissions (new files get 0600 from ``mkstemp``)."""
    target = Path(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(target))
    mode = stat.S_IMODE(st.st_mode) if keep_mode and st is not None and stat.S_ISREG(st.st_mode) else None
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # here, not at import: a check that writes nothing need not load it (4-7 ms)

    # mkstemp opens with O_CREAT | O_EXCL, which never follows a link planted at the temp name.
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".replylint-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in [data] if isinstance(data, (bytes, bytearray, memoryview)) else data:
                fh.write(chunk)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)  # renames over a link itself, not its target
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _pread(fd: int, n: int, at: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, n, at)
    os.lseek(fd, at, os.SEEK_SET)  # Windows has no pread
    return os.read(fd, n)


def _pwrite(fd: int, data: memoryview, at: int) -> int:
    if hasattr(os, "pwrite"):
        return os.pwrite(fd, data, at)
    os.lseek(fd, at, os.SEEK_SET)
    return os.write(fd, data)


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    at = 0
    while True:
        chunk = _pread(fd, 1 << 20, at)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        at += len(chunk)


def _write_all(fd: int, data: bytes) -> None:
    view, at = memoryview(data), 0
    while at < len(view):
        at += _pwrite(fd, view[at:], at)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def _snapshot(target: Path, data: bytes) -> str:
    """The old bytes, synced to a file beside ``target``: what a crash mid-write can be undone from."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".replylint-backup", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return name


def rewrite_in_place(path: Union[str, Path], expected: bytes, data: bytes) -> None:
    """Write ``data`` into the file at ``path`` (links followed: the user named it) if it still
    holds exactly ``expected``. Raises ChangedOnDisk when it does not, or when it changes while
    being written (the old bytes are then kept in a ``.replylint-backup`` file beside it, named in
    the message); other OSErrors when it cannot be written (the old bytes are put back)."""
    target = Path(os.path.realpath(path))
    fd = os.open(target, os.O_RDWR | _BINARY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(0, "not a regular file", str(path))
        if _read_all(fd) != expected:
            raise ChangedOnDisk(0, "changed on disk while being linted; not fixed", str(path))
        backup = _snapshot(target, expected)
        keep_backup = False
        try:
            # The last look before committing: same inode at that name, same bytes in it.
            now = os.stat(target)
            if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or _read_all(fd) != expected:
                raise ChangedOnDisk(0, "changed on disk while being fixed; not fixed", str(path))
            try:
                _write_all(fd, data)
            except OSError:
                try:
                    _write_all(fd, expected)
                except OSError:
                    keep_backup = True
                    raise OSError(0, f"cannot write fixes, and the old text could not be put back: it is in {backup}", str(path)) from None
                raise
            after = os.stat(target)
            if (after.st_dev, after.st_ino) != (st.st_dev, st.st_ino):
                # Saved by rename while we wrote: the new file is the user's; ours went to the old inode.
                raise ChangedOnDisk(0, "replaced on disk while being fixed; not fixed", str(path))
            if _read_all(fd) != data:
                keep_backup = True
                raise ChangedOnDisk(0, f"written to while being fixed; check it (the text before fixing is in {backup})", str(path))
        finally:
            if not keep_backup:
                try:
                    os.unlink(backup)
                except OSError:
                    pass
    finally:
        os.close(fd)
