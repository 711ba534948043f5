"""Compiled rule patterns kept between runs, so a start does not parse every rule's regex again.

The ``regex`` module parses and optimises a pattern in Python (about half a millisecond each; the
rules have around a hundred), then hands the result to its C core. Its own pickle support stores
that result, and unpickling calls the C core directly. The pickles are kept in the user's cache
folder, keyed by pattern, flags and ``regex`` version; a pattern not found there (new, edited, or
invalid) is compiled normally, so errors are raised exactly as before. Only the C core's compile
may be called while unpickling, so a tampered cache file cannot run other code.
"""
from __future__ import annotations

import atexit
import functools
import io
import marshal
import pickle
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Optional

import regex

from ..atomic import write_atomic
from . import prefilter

_KEEP_UNUSED = 2000  # entries from earlier runs kept when saving (rules being edited add new keys)

_lock = threading.Lock()
# (pattern, flags) -> pickled pattern; (pattern, flags, "needs" or "pairs", version) -> its pre-check clauses.
_stored: Optional[dict[tuple, Any]] = None
_used: dict[tuple, Any] = {}
_live: dict[tuple, Any] = {}  # (pattern, flags) -> the pattern compiled in this process
_dirty = False


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if name == "compile" and module in ("regex._regex", "_regex"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the pattern cache")


def _path() -> Path:
    from ..text.dictionary import cache_dir

    py = "%d%d" % sys.version_info[:2]
    return cache_dir() / f"patterns-py{py}-regex{regex.__version__}.marshal"


def _load() -> dict[tuple, Any]:
    try:
        with open(_path(), "rb") as f:
            data = marshal.load(f)
        if isinstance(data, dict):
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    return {}


def compile(pattern: str, flags: int = 0) -> Any:
    """``regex.compile(pattern, flags)``, from the cache when this pattern was compiled before."""
    global _stored, _dirty
    if not isinstance(pattern, str):
        return regex.compile(pattern, flags)
    key = (pattern, int(flags))
    live = _live.get(key)
    if live is not None:  # rules compiled for both draft kinds share their patterns
        return live
    compiled = _compile(pattern, flags, key)
    _live[key] = compiled
    return compiled


def deferred(pattern: str, flags: int = 0) -> Callable[[], Any]:
    """A function giving ``compile(pattern, flags)``. A pattern in the cache is unpickled at the
    first call (a start lints a draft or two, whose characters let few of the rules' patterns
    run); any other is compiled now, so an invalid pattern fails where it always did."""
    global _stored
    key = (pattern, int(flags))
    if isinstance(pattern, str) and key not in _live:
        with _lock:
            if _stored is None:
                _stored = _load()
            data = _stored.get(key)
            if data is not None:
                _used[key] = data
        if data is not None:
            return functools.partial(compile, pattern, flags)
    compiled = compile(pattern, flags)
    return lambda: compiled


def _compile(pattern: str, flags: int, key: tuple) -> Any:
    global _stored, _dirty
    with _lock:
        if _stored is None:
            _stored = _load()
        data = _stored.get(key)
    if data is not None:
        try:
            compiled = _Unpickler(io.BytesIO(data)).load()
            if compiled.pattern == pattern:
                _used[key] = data
                return compiled
        except Exception:  # a damaged entry: compile afresh
            pass
    compiled = regex.compile(pattern, flags)
    _remember(key, pickle.dumps(compiled))
    return compiled


def needs(pattern: str, flags: int = 0) -> tuple[frozenset[str], ...]:
    """``prefilter.required(pattern, flags)`` as sets, from the cache when worked out before (the
    analysis parses the pattern in Python, which is what the cache exists to avoid at start)."""
    valid = lambda v: isinstance(v, tuple) and all(isinstance(c, str) and c for c in v)
    return tuple(frozenset(c) for c in _analysis(pattern, flags, "needs", prefilter.required, valid))


def pairs(pattern: str, flags: int = 0) -> tuple[frozenset[str], ...]:
    """``prefilter.required_pairs(pattern, flags)`` as sets of pairs, cached like ``needs``."""
    valid = lambda v: isinstance(v, tuple) and all(isinstance(c, str) and c and len(c) % 2 == 0 for c in v)
    found = tuple(prefilter.split_pairs(c) for c in _analysis(pattern, flags, "pairs", prefilter.required_pairs, valid))
    prefilter.register_pairs(found)
    return found


def _analysis(pattern: str, flags: int, name: str, work: Any, valid: Any) -> Any:
    """``work(pattern, flags)``, from the cache when worked out before by this analysis version."""
    global _stored
    key = (pattern, int(flags), name, prefilter.VERSION)
    with _lock:
        if _stored is None:
            _stored = _load()
        value = _stored.get(key)
    if value is None or not valid(value):
        value = work(pattern, flags)
        _remember(key, value)
    else:
        with _lock:
            _used[key] = value
    return value


def first(pattern: str, flags: int = 0) -> str:
    """``prefilter.first_chars(pattern, flags)``, cached like ``needs``."""
    return _analysis(pattern, flags, "first", prefilter.first_chars, lambda v: isinstance(v, str))


def alternatives(pattern: str, flags: int = 0) -> tuple[tuple[frozenset[str], ...], ...]:
    """``prefilter.required_alternatives(pattern, flags)`` as sets, cached like ``needs``."""
    valid = lambda v: isinstance(v, tuple) and all(
        isinstance(a, tuple) and a and all(isinstance(c, str) and c for c in a) for a in v
    )
    found = _analysis(pattern, flags, "alternatives", prefilter.required_alternatives, valid)
    return tuple(tuple(frozenset(c) for c in alt) for alt in found)


def digit_run(pattern: str, flags: int = 0) -> int:
    """``prefilter.digit_run(pattern, flags)``, cached like ``needs``."""
    return _analysis(pattern, flags, "digits", prefilter.digit_run, lambda v: type(v) is int and v >= 0)


RULE_FLAGS = regex.VERSION1 | regex.IGNORECASE
"""The flags of every rule pattern: case-insensitive, with simple (one character for one) case
folding. The views patterns search are fully case folded already (``normalize``: ß is ss there),
and ``regex``'s full case folding, its default in VERSION1, costs about four times as much per
character searched."""

_SIMPLE_CASE = "(?-f)"


def deferred_rule(pattern: str, scanning: bool = True) -> Callable[[], Any]:
    """A rule's pattern compiled with ``RULE_FLAGS``, as ``deferred`` gives ``compile``; an invalid
    pattern raises the error ``regex`` gives for the pattern as written. With ``scanning``, a look-ahead for the
    characters every match starts with (``prefilter.first_chars``) is put in front when they are
    known: the same matches and groups, found without trying the pattern at every position."""
    chars = first(pattern, RULE_FLAGS) if scanning else ""
    if chars:
        try:
            return deferred(f"{_SIMPLE_CASE}(?=[{chars}]){pattern}", RULE_FLAGS)
        except (regex.error, ValueError, TypeError, OverflowError):
            pass
    try:
        return deferred(_SIMPLE_CASE + pattern, RULE_FLAGS)
    except (regex.error, ValueError, TypeError, OverflowError):
        regex.compile(pattern, RULE_FLAGS)  # raises the error at its place in the pattern as written
        raise


def _remember(key: tuple, value: Any) -> None:
    global _dirty
    with _lock:
        assert _stored is not None
        _used[key] = value
        _stored[key] = value
        if not _dirty:
            _dirty = True
            atexit.register(save)


def save() -> None:
    """Write the cache if this process compiled something new; never fails the run."""
    global _dirty
    with _lock:
        if not _dirty or _stored is None:
            return
        _dirty = False
        keep = dict(list(_stored.items())[-_KEEP_UNUSED:])
        keep.update(_used)
    try:
        write_atomic(_path(), marshal.dumps(keep), keep_mode=False, sync=False)
    except (OSError, ValueError):
        pass
