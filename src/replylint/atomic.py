"""Writing a file in one step: a temp file beside it, then os.replace. A reader never sees half a
file, and on any failure the old file stays as it was and the temp file is removed."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Union

Chunks = Union[bytes, Iterable[bytes]]


def write_atomic(path: Union[str, Path], data: Chunks, keep_mode: bool = True, sync: bool = True) -> None:
    """Replace ``path`` by ``data`` (bytes, or chunks of bytes written in order). Links are followed,
    so the file they point at is replaced; ``keep_mode`` keeps an existing file's permissions."""
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode) if keep_mode and target.exists() else None
    target.parent.mkdir(parents=True, exist_ok=True)
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
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
