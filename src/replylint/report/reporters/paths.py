"""How a linted file is named in CI output: relative to the working folder, forward slashes."""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Optional
from urllib.parse import quote

STDIN = "-"


def ci_path(path: str) -> Optional[str]:
    """The path CI tools expect (relative to the checkout, ``/``-separated); None for stdin."""
    if path == STDIN:
        return None
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(Path.cwd().resolve())
        except (ValueError, OSError):
            return p.as_posix()
    rel = os.path.normpath(p)
    return PurePosixPath(*Path(rel).parts).as_posix()


def artifact_uri(path: str) -> str:
    """An RFC 3986 URI reference for SARIF: relative and percent-encoded, or file:// if outside."""
    shown = ci_path(path)
    if shown is None:
        return "stdin"
    if Path(shown).is_absolute():
        return Path(shown).as_uri()
    # os.fsencode: a name that is not UTF-8 on disk (held as surrogate escapes) is percent-encoded
    # byte for byte instead of failing to encode.
    return quote(os.fsencode(shown), safe="/")
