"""What a start would otherwise work out again for every rule pattern, kept between runs.

Two kinds of plain data are kept in the user's cache folder, keyed by pattern, flags and (in the
file name) the Python and ``regex`` versions: each pattern's analyses (its pre-checks,
``prefilter``, and its work bound, ``work``: both parse the pattern in Python) and the fact that
a pattern compiles. A pattern known to compile is compiled at its first use rather than at start
(a start lints a draft or two, whose characters let few of the rules' patterns run); any other is
compiled at once, so an invalid pattern fails where it always did.

Compiled patterns are not kept. ``regex`` pickles a pattern as the C core's code list, which the
core runs without validating it: mutated bytes crashed the process, and a crafted list could make
a pattern match nothing while its ``.pattern`` and flags looked right. No check short of compiling
the pattern again can prove a code list right, so none is trusted (docs/reliability.md gives the
cost at start). The file is JSON behind a header (magic, length, CRC-32) and every entry is checked
for its shape before use; a file that fails the check is ignored and written afresh, and a cache
folder another user could write is not used at all (``cachefiles``).
"""
from __future__ import annotations

import atexit
import json
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Optional

import regex

from ..errors import RuleFileError
from . import prefilter, work

_KEEP_UNUSED = 2000  # entries from earlier runs kept when saving (rules being edited add new keys)
_MAGIC = b"RLPATS04"
_MAX_BYTES = 64 << 20
_NAMES = ("compiles", "needs", "pairs", "first", "alternatives", "digits", "factors", "work")

_lock = threading.Lock()
# (pattern, flags, name, version) -> plain data: True for "compiles", a pre-check analysis otherwise.
_stored: Optional[dict[tuple, Any]] = None
_used: dict[tuple, Any] = {}
_live: dict[tuple, Any] = {}  # (pattern, flags) -> the pattern compiled in this process
_dirty = False


def _path() -> Path:
    from ..text.dictionary import cache_dir

    py = "%d%d" % sys.version_info[:2]
    return cache_dir() / f"patterns-py{py}-regex{regex.__version__}.json"


def _tuples(value: Any) -> Any:
    """JSON's lists back as the tuples they were (a start converts every entry: no call per leaf)."""
    if type(value) is not list:
        return value
    return tuple([_tuples(v) if type(v) is list else v for v in value])


def decode_cache(data: bytes) -> dict[tuple, Any]:
    """The entries of a cache file's bytes; ValueError unless header, length, checksum and the
    shape of every entry are right (values are checked again by their users)."""
    from ..cachefiles import unseal

    groups = json.loads(unseal(_MAGIC, data).decode("utf-8"))
    if type(groups) is not list:
        raise ValueError("pattern cache is not a list")
    names = frozenset(_NAMES)
    out: dict[tuple, Any] = {}
    for group in groups:
        if not (type(group) is list and len(group) == 3 and type(group[0]) is str and type(group[1]) is int
                and type(group[2]) is list):
            raise ValueError("pattern cache entry of the wrong shape")
        pattern, flags, rows = group
        for row in rows:
            if not (type(row) is list and len(row) == 3 and type(row[0]) is str and row[0] in names and type(row[1]) is int):
                raise ValueError("pattern cache entry of the wrong shape")
            value = row[2]
            out[(pattern, flags, row[0], row[1])] = _tuples(value) if type(value) is list else value
    return out


def encode_cache(entries: dict[tuple, Any]) -> bytes:
    """A cache file's bytes for ``entries`` (the inverse of ``decode_cache``): each pattern once,
    with its analyses, since the patterns are most of the bytes (a start reads them all)."""
    groups: dict[tuple[str, int], list] = {}
    for (pattern, flags, name, version), value in entries.items():
        groups.setdefault((pattern, flags), []).append([name, version, value])
    from ..cachefiles import seal

    payload = json.dumps([[p, f, rows] for (p, f), rows in groups.items()], ensure_ascii=False,
                         separators=(",", ":")).encode("utf-8")
    return seal(_MAGIC, payload)


def _load() -> dict[tuple, Any]:
    from ..cachefiles import read_regular

    try:
        data = read_regular(_path(), _MAX_BYTES)
        return decode_cache(data) if len(data) <= _MAX_BYTES else {}
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return {}  # missing, untrusted or damaged: rewritten at exit


def _known_to_compile(pattern: str, flags: int) -> bool:
    global _stored
    key = (pattern, int(flags), "compiles", 0)
    with _lock:
        if _stored is None:
            _stored = _load()
        known = _stored.get(key) is True
        if known:
            _used[key] = True
    return known


class LazyPattern:
    """A pattern known to compile, compiled when first used: its attributes (search, finditer,
    groupindex…) are copied onto it then, so later look-ups cost what they cost on the pattern."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.__dict__["_args"] = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        pattern, flags = self._args
        try:
            compiled = regex.compile(pattern, flags)
        except (regex.error, ValueError, TypeError, OverflowError) as exc:  # the cache said it compiles
            raise RuleFileError(f"pattern {pattern[:60]!r} does not compile: {exc}") from None
        for attr in _PATTERN_ATTRS:
            self.__dict__[attr] = getattr(compiled, attr)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._args[0]!r}, {self._args[1]})"


_PATTERN_ATTRS = tuple(a for a in dir(regex.compile("")) if not a.startswith("_"))


def compile(pattern: str, flags: int = 0) -> Any:
    """``regex.compile(pattern, flags)``, once per process for each pattern and flags; a pattern
    the cache knows to compile is compiled at its first use (a ``LazyPattern``)."""
    if not isinstance(pattern, str):
        return regex.compile(pattern, flags)
    key = (pattern, int(flags))
    live = _live.get(key)
    if live is not None:  # rules compiled for both draft kinds share their patterns
        return live
    if _known_to_compile(pattern, flags):
        compiled: Any = LazyPattern(pattern, int(flags))
    else:
        compiled = regex.compile(pattern, flags)
        _remember((pattern, int(flags), "compiles", 0), True)
    _live[key] = compiled
    return compiled


def deferred(pattern: str, flags: int = 0) -> Callable[[], Any]:
    """A function giving ``compile(pattern, flags)``. A pattern known to compile is compiled at
    its first use; any other is compiled now, so an invalid pattern fails where it always did."""
    compiled = compile(pattern, flags)
    if isinstance(compiled, LazyPattern):
        def load() -> Any:
            _ = compiled.pattern  # compiled here, when asked for, not inside a timed search
            return compiled

        return load
    return lambda: compiled


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
    known = _used.get(key)  # checked already in this process (each draft kind compiles the rules)
    if known is not None:
        return known
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


def factor_alternatives(pattern: str, flags: int = 0) -> tuple[tuple[frozenset[str], ...], ...]:
    """``prefilter.factor_alternatives(pattern, flags)`` as sets, cached like ``needs``."""
    valid = lambda v: isinstance(v, tuple) and all(
        isinstance(a, tuple) and a and all(isinstance(c, tuple) and c and all(isinstance(x, str) and x for x in c) for c in a)
        for a in v
    )
    found = _analysis(pattern, flags, "factors", prefilter.factor_alternatives, valid)
    return tuple(tuple(frozenset(c) for c in a) for a in found)


def digit_run(pattern: str, flags: int = 0) -> int:
    """``prefilter.digit_run(pattern, flags)``, cached like ``needs``."""
    return _analysis(pattern, flags, "digits", prefilter.digit_run, lambda v: type(v) is int and v >= 0)


RULE_FLAGS = regex.VERSION1 | regex.IGNORECASE
"""The flags of every rule pattern: case-insensitive, with simple (one character for one) case
folding. The views patterns search are fully case folded already (``normalize``: ß is ss there),
and ``regex``'s full case folding, its default in VERSION1, costs about four times as much per
character searched."""

_SIMPLE_CASE = "(?-f)"


def rule_work(pattern: str) -> "tuple[float, ...] | None":
    """``work.search_bound`` of a rule's pattern as ``deferred_rule`` compiles it (the look-ahead
    it may put in front adds a test per position, which the bound counts), cached like ``needs``."""
    valid = lambda v: isinstance(v, tuple) and all(type(c) in (int, float) and 0 <= c < float("inf") for c in v)
    # Kept under the pattern as written, beside its other analyses (the file holds each pattern once).
    found = _analysis(pattern, RULE_FLAGS, "work", lambda p, f: work.search_bound(_SIMPLE_CASE + p, f) or (), valid)
    return tuple(float(c) for c in found) if found else None


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
    """Write the cache if this process worked out something new; never fails the run."""
    global _dirty
    with _lock:
        if not _dirty or _stored is None:
            return
        _dirty = False
        # Entries of an older analysis version are never read again (the version is in the key).
        current = [(k, v) for k, v in _stored.items() if k[2] == "compiles" or k[3] == prefilter.VERSION]
        keep = dict(current[-_KEEP_UNUSED:])
        keep.update(_used)
    from ..cachefiles import save_quietly

    try:
        data = encode_cache(keep)
    except (ValueError, TypeError):
        return
    save_quietly(_path(), data)
