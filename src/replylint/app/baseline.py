"""Baselines: adopt replylint on a repository with existing findings, and fail only on new ones.

A finding's fingerprint is its rule, its file (relative to the baseline file's folder, so the
baseline works from any working folder), the matched text and which occurrence of that text it is
in the file for that rule: lines may move, be added or removed above it and it stays the same
finding; a second, new occurrence of the same words is new."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..atomic import write_atomic
from ..errors import ConfigError
from ..report.diagnostic import Diagnostic

if TYPE_CHECKING:
    from .run import FileResult

BASELINE_VERSION = 1
DEFAULT_BASELINE = ".replylint-baseline.json"


def _relative(path: str, folder: Path) -> str:
    if path == "-":
        return "<stdin>"
    return PurePosixPath(*Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder))).parts).as_posix()


def fingerprints(result: "FileResult", folder: Path) -> list[tuple[Diagnostic, dict[str, Any]]]:
    """Each diagnostic of ``result`` with its baseline entry (rule, path, match, occurrence, fingerprint)."""
    rel = _relative(result.path, folder)
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for d in result.diagnostics:
        matched = result.source.text[d.start:d.end]
        nth = seen[(d.rule, matched)]
        seen[(d.rule, matched)] += 1
        key = "\0".join((d.rule, rel, matched, str(nth)))
        entry = {"rule": d.rule, "path": rel, "match": matched, "occurrence": nth,
                 "fingerprint": _sha256(key)}
        out.append((d, entry))
    return out


def write_baseline(path: Path, results: Iterable["FileResult"]) -> int:
    """Write every finding of ``results`` to ``path`` (atomically); the number written."""
    folder = path.parent
    entries = [e for r in results for _, e in fingerprints(r, folder)]
    data = {"version": BASELINE_VERSION, "tool": "replylint", "findings": entries}
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return len(entries)


def read_baseline(path: Path) -> set[str]:
    """The fingerprints in a baseline file; a missing or malformed one is a usage error (exit 2)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found (write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: not a replylint baseline: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path}: not a replylint baseline (version {BASELINE_VERSION} expected)")
    try:
        return {str(e["fingerprint"]) for e in data["findings"]}
    except (TypeError, KeyError):
        raise ConfigError(f"{path}: not a replylint baseline: an entry has no fingerprint") from None


def without_baseline(results: Sequence["FileResult"], path: Path) -> tuple[list["FileResult"], int]:
    """``results`` less the findings recorded in the baseline at ``path``, and how many were hidden."""
    from .run import FileResult

    known = read_baseline(path)
    out, hidden = [], 0
    for r in results:
        kept = [d for d, e in fingerprints(r, path.parent) if e["fingerprint"] not in known]
        hidden += len(r.diagnostics) - len(kept)
        out.append(FileResult(r.source, kept, r.errors))
    return out, hidden


def _sha256(text: str) -> str:
    import hashlib  # only when a baseline is written or read: a check without one starts without it

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
