"""Reading TOML files, with errors that name the file and the line."""
from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from ..errors import ReplylintError

MAX_BYTES = 16 << 20  # no config or rule file is near this; /dev/zero would be read forever


def read_regular_file(path: Path, error: type[ReplylintError], limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file (links followed) of at most ``limit`` bytes;
    a folder, FIFO, device or socket is ``error``, never a hang. The open does not block on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a FIFO, device or socket)"
            raise error(f"{path}: {kind}; not read")
        if st.st_size > limit:
            raise error(f"{path}: {st.st_size:,} bytes, more than the {limit:,} read")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > limit:
                raise error(f"{path}: more than the {limit:,} bytes read")
            chunks.append(chunk)
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def load_toml(path: Path, error: type[ReplylintError], keep: bool = False) -> dict[str, Any]:
    """The tables of the TOML file ``path``; a problem with it is ``error``, naming the file and
    the line. With ``keep`` (rule files, read at every start), what a text parsed to is kept
    between runs (``rules.parsed``) and parsed again only when the text changes."""
    data = read_regular_file(path, error)
    try:
        text = data.decode("utf-8-sig")
        if keep:
            from . import parsed

            found = parsed.parsed(text)
            if found is None:
                found = tomllib.loads(text)
                parsed.remember(path, text, found)
            return found
        return tomllib.loads(text)
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        where = f"{path}:{m.group(1)}:{m.group(2)}" if m else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise error(f"{where}: invalid TOML: {reason}") from None
