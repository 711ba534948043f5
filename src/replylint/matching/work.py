"""How much work a search of a rule pattern can take, read from the pattern: the timeout's fast path.

The engine's timeout (``matching.timeout``) is what stops a catastrophic pattern, but it costs every
search a clock reading at the start and at each match (about a microsecond, more than many searches
themselves). A backtracking engine's work on a text of ``n`` characters is bounded by the pattern's
shape: at one start position, each part is tried once for every way the parts before it matched,
so a search costs at most ``2 (n + 1) · T`` element tests (an attempt at each position, and
another where a match was empty), where ``T`` is worked out below. For most
rule patterns (literals, alternations of words, bounded repeats, repeats of one character) ``T`` is
a constant or a low power of ``n``; a repeat of something that can match in more than one way
(``(a|a)+``, ``(a+)+``), a back-reference or a construct not read here gives no bound, and such a
pattern always runs under the timeout. A search whose bound fits well inside its budget
(``RulePattern.unguarded``) runs without the clock.

The bound is a polynomial in ``n + 1``, kept as its coefficients (``Poly``). For each node of
``regex``'s own parse tree:

- ``T``: element tests to try every way the node can match at one position (including failures);
- ``M``: how many ways it can match there (what it hands on to the parts after it);
- ``w``: the fewest characters a match consumes.

A sequence ``A B`` takes ``T(A) + M(A) · T(B)`` and matches in ``M(A) · M(B)`` ways; alternatives
add up, but only those that can start with the text's character at a place go past their first
test. What follows a node (its *follow*: the characters the text after it must start with) sharpens
this: a run of one character followed by what cannot start with that character can go on from one
count only. The end of the pattern, of a look-around and of an atomic group is reached once: the
first way there ends the attempt (so a look-around or an atomic group matches in one way).
Look-behinds are matched backwards, so inside them nothing is sharpened by order.

Bounds are cached with the other analyses (``cache.rule_work``), under ``prefilter.VERSION``: bump
it when this analysis changes.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Iterable, Optional, Sequence

from .prefilter import _core, _finite, _parse, _property, _regex

Poly = tuple[float, ...]
"""``(c0, c1, …, cd)``: at most ``c0 + c1 · (n + 1) + … + cd · (n + 1) ** d`` on a text of ``n``
characters (``evaluate``)."""

SECONDS_PER_TEST = 10e-9
"""What a test is taken to cost at most: several times what ``regex`` spends on one."""

MATCH_TESTS = 20.0
"""What making a match object costs, in tests."""

UNGUARDED_SHARE = 0.25
"""The share of a search's budget its worst case may reach for it to run without the clock."""

First = Optional[tuple[frozenset[str], Poly]]
"""What the text at a place must start with for a node to match there: the keys (``_key``) of
the characters it may start by consuming, and the tests (a bound, as ``Poly``) made before failing
on any other; None when not certain. ``END`` (no keys, no test) is the end of the pattern, of a
look-around or of an atomic group: the first way to reach it ends the attempt."""

_ONE: Poly = (1.0,)
_ZERO: Poly = (0.0,)
END: First = (frozenset(), _ZERO)
_N: Poly = (0.0, 1.0)  # n + 1: the counts a repeat of one character can take over the text


class _Unbounded(Exception):
    """The pattern (or a node the analysis does not read) has no polynomial bound."""


def _trim(c: list[float]) -> Poly:
    while len(c) > 1 and c[-1] == 0.0:
        c.pop()
    return tuple(c)


def _add(a: Poly, b: Poly) -> Poly:
    if len(a) < len(b):
        a, b = b, a
    return _trim([x + (b[i] if i < len(b) else 0.0) for i, x in enumerate(a)])


def _mul(a: Poly, b: Poly) -> Poly:
    out = [0.0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return _trim(out)


def _pow(a: Poly, k: int) -> Poly:
    out = _ONE
    for _ in range(k):
        out = _mul(out, a)
    return out


def _max(a: Poly, b: Poly) -> Poly:
    """A polynomial at least as large as both for every text length."""
    if len(a) < len(b):
        a, b = b, a
    return tuple(max(x, b[i]) if i < len(b) else x for i, x in enumerate(a))


def _below(a: Poly, b: Poly) -> bool:
    """Whether ``a`` is at most ``b`` for every text length (coefficient by coefficient)."""
    return len(a) <= len(b) and all(x <= y for x, y in zip(a, b))


def evaluate(bound: Poly, n: int) -> float:
    """The bound on a text of ``n`` characters."""
    return sum(c * (n + 1) ** k for k, c in enumerate(bound))


def search_bound(pattern: str, flags: int) -> Optional[Poly]:
    """A search of ``pattern`` compiled with ``flags`` over a text of ``n`` characters makes at
    most ``evaluate(bound, n)`` element tests; None when no bound is certain."""
    t = attempt_bound(pattern, flags)
    if t is None:
        return None
    # An attempt at every position (after the look-ahead's test), and after an empty match another
    # at its position for a longer one; each may end in a match, which costs the making of its object.
    bound = _mul((0.0, 2.0), _add(t, (1.0 + MATCH_TESTS,)))
    return bound if all(map(math.isfinite, bound)) else None


def attempt_bound(pattern: str, flags: int) -> Optional[Poly]:
    """``T`` of the whole pattern: the tests of one attempt at one position, every way tried."""
    if _core is None or "(?r" in pattern or flags & int(_core.REVERSE):
        return None  # a pattern matched backwards as a whole: not read here
    parsed = _parse(pattern, flags)
    if parsed is None:
        return None
    try:
        t, _, _ = _cost(parsed, END, False)
    except (_Unbounded, RecursionError, OverflowError):
        return None
    except Exception:  # another regex build's tree: no bound
        return None
    return t if all(map(math.isfinite, t)) else None


def longest(bound: Optional[Poly], steps: float) -> int:
    """The longest text on which a search within ``bound`` makes at most ``steps`` tests (-1: none)."""
    if bound is None or evaluate(bound, 0) > steps:
        return -1
    if len(bound) == 1:
        return 1 << 62
    low, high = 0, 1
    while evaluate(bound, high) <= steps:  # the bound grows with n: double, then halve the gap
        low, high = high, high * 2
    while high - low > 1:
        mid = (low + high) // 2
        if evaluate(bound, mid) <= steps:
            low = mid
        else:
            high = mid
    return low


_SETS = tuple(getattr(_core, n) for n in ("SetUnion", "SetInter", "SetDiff", "SetSymDiff") if _core is not None)
_ONE_CHAR = tuple(getattr(_core, n) for n in ("Character", "Range", "Property", "Any", "AnyAll", "AnyU") if _core is not None)
_ASSERTIONS = tuple(
    getattr(_core, name)
    for name in (
        "Boundary", "DefaultBoundary", "DefaultEndOfWord", "DefaultStartOfWord", "EndOfLine", "EndOfLineU",
        "EndOfString", "EndOfStringLine", "EndOfStringLineU", "EndOfWord", "StartOfLine", "StartOfLineU",
        "StartOfString", "StartOfWord", "SearchAnchor",
    )
    if _core is not None and hasattr(_core, name)
)
_REPEATS = tuple(getattr(_core, n) for n in ("GreedyRepeat", "LazyRepeat", "PossessiveRepeat") if _core is not None)


def _cost(node: Any, follow: First, reverse: bool) -> tuple[Poly, Poly, int]:
    """``(T, M, w)`` of ``node`` (see the module's docstring), matched backwards with ``reverse``;
    raises ``_Unbounded``."""
    t = type(node)
    if t in _ONE_CHAR or t in _SETS:
        return _ONE, _ONE, 0 if getattr(node, "zerowidth", False) else 1
    if t in (_core.String, _core.Literal):
        k = len(node.characters)
        return (float(max(k, 1)),), _ONE, k
    if t in _ASSERTIONS:
        return _ONE, _ONE, 0
    if t is _core.Sequence:
        if not reverse:
            return _chain([_cost(item, _lead(node.items[i + 1 :], follow), False) for i, item in enumerate(node.items)])
        # Inside a look-behind: matched backwards, or forwards in a look-ahead within it.
        parts = [_cost(item, None, True) for item in node.items]
        forwards, ways, width = _chain(parts)
        backwards, _, _ = _chain(parts[::-1])
        return _max(forwards, backwards), ways, width
    if t is _core.Branch:
        return _branch(node, follow, reverse)
    if t is _core.Group:
        return _cost(node.subpattern, follow, reverse)
    if t is _core.Atomic:
        ti, _, wi = _cost(node.subpattern, END, reverse)
        return ti, _ONE, wi
    if t is _core.LookAround:
        ti, _, _ = _cost(node.subpattern, END, reverse or node.behind)
        return _add(ti, _ONE), _ONE, 0
    if t in _REPEATS:
        return _repeat(node, follow, reverse)
    raise _Unbounded(t.__name__)  # references, conditionals, fuzzy, named lists, recursion, \K…


def _chain(parts: list[tuple[Poly, Poly, int]]) -> tuple[Poly, Poly, int]:
    """Parts matched one after the other: each is tried once for every way those before matched."""
    total, ways, width = _ZERO, _ONE, 0
    for ti, mi, wi in parts:
        total = _add(total, _mul(ways, ti))
        ways = _mul(ways, mi)
        width += wi
    return total, ways, width


def _branch(node: Any, follow: First, reverse: bool) -> tuple[Poly, Poly, int]:
    """Alternatives are tried in turn, but one whose first character differs from the text's
    fails at its first test: at a place, only the alternatives that can start with the text's
    character there (grouped by the characters they start with) cost more than that, or match."""
    parts = [_cost(b, follow, reverse) for b in node.branches]
    width = min(w for _, _, w in parts)
    if reverse:
        total, ways = _ZERO, _ZERO
        for ti, mi, _ in parts:
            total, ways = _add(total, ti), _add(ways, mi)
        return total, ways, width
    firsts = [_first(b) for b in node.branches]
    keys = {c for f in firsts if f is not None for c in f[0]}
    # A text character no alternative is known to start with passes only the unknown ones.
    groups = [[f is None or c in f[0] for f in firsts] for c in keys] + [[f is None for f in firsts]]
    total, ways = _ZERO, _ZERO
    for passes in groups:
        t_here, m_here = _ZERO, _ZERO
        for (ti, mi, _), f, passing in zip(parts, firsts, passes):
            if passing:
                t_here, m_here = _add(t_here, ti), _add(m_here, mi)
            elif f is not None:
                t_here = _add(t_here, f[1])
        total, ways = _max(total, t_here), _max(ways, m_here)
    sharper = _word_ways(node.branches, [m for _, m, _ in parts])
    if sharper is not None and _below(sharper, ways):
        ways = sharper
    return total, ways, width


def _repeat(node: Any, follow: First, reverse: bool) -> tuple[Poly, Poly, int]:
    body = node.subpattern
    low, high = node.min_count, node.max_count
    possessive = type(node) is _core.PossessiveRepeat
    if possessive:
        follow = END  # an atomic group around a greedy repeat
    # After one repetition come another or what follows the repeat.
    after: First = None
    again = None if reverse else _first(body)
    if not reverse:
        if high == 1:
            after = follow
        elif again is not None and follow is not None:
            after = (again[0] | follow[0], _add(again[1], follow[1]))
    tb, mb, wb = _cost(body, after, reverse)
    if high is None:
        # Unbounded: only a body matching in one way and consuming at least a character keeps
        # the ways to the number of repetitions (at most n + 1).
        if mb != _ONE or wb == 0:
            raise _Unbounded("repeat")
        total, ways = _mul(_N, tb), _N
    elif high == 0:
        return _ONE, _ONE, 0
    elif mb == _ONE:
        total, ways = _mul((float(high),), tb), (float(high - low + 1),)
    else:
        # Each of the first k repetitions may have matched in any of its ways before the next is tried.
        total = _mul((float(high),), _mul(_pow(mb, high - 1), tb))
        ways = _mul((float(high - low + 1),), _pow(mb, high))
    if possessive:
        return total, _ONE, low * wb
    if not reverse and follow is not None and mb == _ONE and (
        _disjoint(body, follow[0]) or (again is not None and again[0].isdisjoint(follow[0]))
    ):
        # Repetitions that match one way each, followed by what cannot start as another one
        # does: of the counts tried, only the last the text allows can go on (at any other the
        # text goes on with a repetition, and what follows fails at its first test).
        return _add(total, _mul(ways, follow[1])), _ONE, low * wb
    return total, ways, low * wb


def _disjoint(body: Any, keys: frozenset[str]) -> bool:
    """Whether ``body``, one character, matches none of the characters ``keys`` stand for."""
    if not (type(body) in _ONE_CHAR or type(body) in _SETS) or getattr(body, "zerowidth", False):
        return False
    if getattr(body, "case_flags", 0) & int(_core.FULLCASE):
        return False
    try:
        for key in keys:
            cases = _cases(ord(key))
            if cases is None or any(body.matches(c) for c in cases):
                return False
    except Exception:  # a node without a character test (Any…): not certain
        return False
    return True


def _first(node: Any) -> First:
    """What every match of ``node`` starts by consuming (``First``; never ``END``)."""
    t = type(node)
    if t in (_core.String, _core.Literal):
        if not node.characters or node.case_flags & int(_core.FULLCASE):
            return None
        key = _key(node.characters[0])
        return (frozenset((key,)), _ONE) if key else None
    if t is _core.Sequence:
        return _lead(node.items, None)
    if t is _core.Branch:
        chars: set[str] = set()
        tests = _ZERO
        for b in node.branches:
            found = _first(b)
            if found is None:
                return None
            chars |= found[0]
            tests = _add(tests, found[1])
        return frozenset(chars), tests
    if t in (_core.Group, _core.Atomic):
        return _first(node.subpattern)
    if t in _REPEATS:
        return _first(node.subpattern) if node.min_count >= 1 else None
    keys = _char_keys(node)
    return (keys, _ONE) if keys else None


def _lead(items: Sequence[Any], follow: First) -> First:
    """What a run of ``items`` followed by ``follow`` starts by consuming: optional items,
    assertions and look-arounds may be passed over (their tests counted)."""
    chars: set[str] = set()
    tests = _ZERO
    for item in items:
        if type(item) in _ASSERTIONS:
            tests = _add(tests, _ONE)
            continue
        if type(item) is _core.LookAround:
            try:
                found_cost, _, _ = _cost(item, None, False)
            except _Unbounded:
                return None
            tests = _add(tests, found_cost)
            continue
        optional = type(item) in _REPEATS and item.min_count == 0
        found = _first(item.subpattern if optional else item)
        if found is None:
            return None
        chars |= found[0]
        tests = _add(tests, found[1])
        if not optional:
            return frozenset(chars), tests
    if follow is None:
        return None
    return frozenset(chars | follow[0]), _add(tests, follow[1])


_MAX_KEYS = 4096


def _char_keys(node: Any) -> "frozenset[str] | None":
    """The keys (``_key``) of every character a one-character node matches, when they are
    certain and at most ``_MAX_KEYS``."""
    t = type(node)
    if getattr(node, "zerowidth", False) or not getattr(node, "positive", False):
        return None
    if getattr(node, "case_flags", 0) & int(_core.FULLCASE):
        return None
    codes: Iterable[int]
    if t is _core.Character:
        codes = (node.value,)
    elif t is _core.Range:
        if node.upper - node.lower >= _MAX_KEYS:
            return None
        codes = range(node.lower, node.upper + 1)
    elif t is _core.Property:
        found = _property(node)
        if found is None:
            return None
        codes = map(ord, found)
    elif t is _core.SetUnion:
        out: set[str] = set()
        for item in node.items:
            keys = _char_keys(item)
            if keys is None:
                return None
            out |= keys
        return frozenset(out) if len(out) <= _MAX_KEYS else None
    else:
        return None
    out = set()
    for code in codes:
        key = _key(code)
        if key is None:
            return None
        out.add(key)
    return frozenset(out) if len(out) <= _MAX_KEYS else None


def _word_ways(branches: list[Any], ways: list[Poly]) -> Optional[Poly]:
    """Ways alternatives of literal words can match at one place: only those whose words are
    prefixes of one another can both match there (the longest word read decides which). Words are
    compared by their characters' keys (``_key``); None when a word is not certain."""
    words = []
    for branch in branches:
        found = _finite(branch, _leaf_key, False)
        if not found:
            return None
        words.append(found)
    best = _ZERO
    for x in frozenset().union(*words):
        here = _ZERO
        for found, m in zip(words, ways):
            if any(x.startswith(s) for s in found):
                here = _add(here, m)
        best = _max(best, here)
    return best


def _leaf_key(code: int, case_flags: int) -> "frozenset[str] | None":
    """``_key`` as ``prefilter._finite`` asks for a character's strings."""
    if case_flags & int(_core.FULLCASE):
        return None  # (?f): ß matches ss — strings of other lengths
    key = _key(code)
    return frozenset((key,)) if key else None


def _key(code: int) -> "str | None":
    """The character standing for every character that may be matched with ``code`` in either
    case: the least of its case class (closed under ``regex``'s case relation, which is not an
    equivalence for the dotted and dotless i). Case-blind or not, a character matches only
    members of its class, so two characters with different keys never match the same one."""
    cases = _cases(code)
    return chr(min(cases)) if cases is not None else None


@functools.lru_cache(maxsize=8192)
def _cases(code: int) -> "frozenset[int] | None":
    """The case class of ``code``: every character reached from it by ``regex``'s simple case
    relation, step by step."""
    flags = int(_core.IGNORECASE)
    found = {code}
    todo = [code]
    try:
        while todo:
            for c in _regex.get_all_cases(flags, todo.pop()):
                if c not in found:
                    found.add(c)
                    todo.append(c)
    except Exception:  # another regex build
        return None
    return frozenset(found)
