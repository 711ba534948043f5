"""A cheap test run before a rule's regular expression: characters the text must hold for the
pattern to have any chance of matching.

A rule pattern runs over every draft, but most drafts lack something each pattern needs (a 你 or
您, a digit, a Latin letter). Calling the regex engine costs a few microseconds even when nothing
matches, so each pattern gets *clauses*: sets of characters of which the text must hold at least
one. They are worked out once from ``regex``'s own parse of the pattern (so its syntax, scoped
flags and case folding are read exactly as the engine reads them), and only from constructs whose
meaning is certain: literal characters and small positive character sets that a match must
consume. Anything else (look-arounds, properties, fuzzy matching, back-references, optional parts)
adds no clause, so the test can only skip a pattern that could not have matched.

Case-insensitive characters are compared by their case foldings (``regex``'s own table and
Python's): the clause holds each one's first character, and a text's characters include its folded
forms, so ``ß`` against ``ss``, ``K`` (Kelvin) against ``k``, ``İ`` against ``i`` are covered.
"""
from __future__ import annotations

import re as _re
import threading
from typing import Any, Iterable

import regex

VERSION = 16
"""Bump when the analysis changes, so cached clauses from an older analysis are not used."""

MAX_CLAUSES = 4
_MAX_RANGE = 512  # larger character ranges ([一-龥]) add no clause: too broad to be worth testing

try:
    from regex import _regex
    from regex import _regex_core as _core

    _FOLD = _core.FULL_CASE_FOLDING
    _IGNORECASE = int(_core.IGNORECASE)
    _FULLCASE = int(_core.FULLCASE)
except (ImportError, AttributeError):  # another regex build: no pre-check, patterns always run
    _core = None

_DIGIT = regex.compile(r"\d")
_ND = None
if _core is not None:
    try:
        _ND = _core._parse_pattern(_core.Source(r"\d"), _core.Info(0, str, {})).items[0].value
    except Exception:  # another regex build: no digit-run pre-check
        _ND = None


def _fold(text: str) -> str:
    return _regex.fold_case(_FOLD, text)


def text_chars(text: str) -> frozenset[str]:
    """The characters a pre-check compares against: the text's own and those of its case foldings
    and upper case (``regex``'s table and Python's differ: ``regex`` folds İ to İ yet matches it
    with i, and matches ı with I)."""
    chars = set(text)
    if text.isascii():
        lowered = text.lower()
        if lowered != text:
            chars.update(lowered)
        return frozenset(chars)
    for folded in (_fold(text) if _core is not None else "", text.lower(), text.casefold(), text.upper()):
        if folded != text:
            chars.update(folded)
    return frozenset(chars)


def may_match(clauses: Iterable[frozenset[str]], chars: frozenset[str]) -> bool:
    """False only when some clause has no character in ``chars`` (the pattern cannot match)."""
    for clause in clauses:
        if clause.isdisjoint(chars):
            return False
    return True


def _parse(pattern: str, flags: int, fixed_flags: bool = False) -> Any:
    """``regex``'s own parse tree of ``pattern``, or None when it cannot be read whole (a syntax
    error; with ``fixed_flags``, a global flag set inside the pattern). Analyses of the tree
    below give no pre-check rather than a wrong one, so every failure means None."""
    if _core is None or not isinstance(pattern, str):
        return None
    try:
        source = _core.Source(pattern)
        info = _core.Info(flags, source.char_type, {})
        before = info.flags
        source.ignore_space = bool(info.flags & regex.VERBOSE)
        parsed = _core._parse_pattern(source, info)
    except Exception:
        return None
    if not source.at_end() or (fixed_flags and info.flags != before):
        return None
    return parsed


def required(pattern: str, flags: int) -> tuple[str, ...]:
    """The clauses of ``pattern`` compiled with ``flags``, each as a string of characters, fewest
    characters first; ``()`` when nothing certain can be said (the pattern always runs)."""
    parsed = _parse(pattern, flags)
    if parsed is None:
        return ()
    try:
        clauses = _need(parsed)
    except Exception:  # an unknown node: no pre-check
        return ()
    unique = sorted({c for c in clauses if c}, key=lambda c: (len(c), sorted(c)))
    return tuple("".join(sorted(c)) for c in unique[:MAX_CLAUSES])


def _top(node: Any) -> Any:
    """The node a pattern comes down to once groups and one-item sequences around it are taken off."""
    while True:
        if type(node) is _core.Sequence and len(node.items) == 1:
            node = node.items[0]
        elif type(node) in (_core.Group, _core.Atomic):
            node = node.subpattern
        else:
            return node


def _alternation(node: Any) -> Any:
    """``_top``, and also through a sequence whose other items consume nothing: the alternation
    of ``\\b(?<hit>calm down|listen to me|…)\\b`` is at the top for what a match holds."""
    while True:
        node = _top(node)
        if type(node) is not _core.Sequence:
            return node
        consuming = [item for item in node.items if type(item) not in _ZERO_WIDTH]
        if len(consuming) != 1:
            return node
        node = consuming[0]


def required_alternatives(pattern: str, flags: int) -> tuple[tuple[str, ...], ...]:
    """For a pattern that is an alternation at its top (a|b|c), the clauses of each alternative,
    as ``required`` gives them: a text can match only if it meets every clause of one of them.
    Finer than ``required``, which merges the alternatives' clauses (加…v|v我|扣我 needs 我 or 加,
    and v or 我: any text with 我 passes). ``()`` when not an alternation or an alternative has
    no clause."""
    node = _parse(pattern, flags)
    if node is None:
        return ()
    try:
        node = _top(node)
        if type(node) is not _core.Branch:
            return ()
        out = []
        for branch in node.branches:
            unique = sorted({c for c in _need(branch) if c}, key=lambda c: (len(c), sorted(c)))
            if not unique:
                return ()
            out.append(tuple("".join(sorted(c)) for c in unique[:MAX_CLAUSES]))
        return tuple(out)
    except Exception:  # as in required(): no pre-check
        return ()


def _keys(ch: str, case_flags: int) -> frozenset[str]:
    """Characters of which a text matching ``ch`` holds one (among ``text_chars``): case-blind,
    its first folded character by either table, as ``regex`` matches İ with i but folds İ to İ."""
    if not case_flags & _IGNORECASE:
        return frozenset(ch)
    return frozenset(f[0] for f in (ch, _fold(ch), ch.lower(), ch.casefold(), ch.upper()) if f)


def _set_chars(node: Any, case_flags: int) -> "frozenset[str] | None":
    """The characters a positive set of characters and small ranges can match, or None."""
    if isinstance(node, _core.Character):
        if node.positive and not node.zerowidth:
            return _keys(chr(node.value), case_flags)
        return None
    if isinstance(node, _core.Range):
        if node.positive and not node.zerowidth and node.upper - node.lower <= _MAX_RANGE:
            return frozenset().union(*(_keys(chr(c), case_flags) for c in range(node.lower, node.upper + 1)))
        return None
    if type(node) is _core.SetUnion and node.positive and not node.zerowidth:
        out: set[str] = set()
        for item in node.items:
            chars = _set_chars(item, node.case_flags)
            if chars is None:
                return None
            out |= chars
        return frozenset(out)
    return None


def _need(node: Any) -> list[frozenset[str]]:
    """Clauses every match of ``node`` satisfies ([] when none is certain)."""
    if isinstance(node, _core.Sequence):
        return [c for item in node.items for c in _need(item)]
    if isinstance(node, _core.StringSet):  # a named list: its words are not known here
        return []
    if type(node) is _core.Branch:
        alternatives = [sorted(_need(b), key=len) for b in node.branches]
        if not alternatives or any(not a for a in alternatives):
            return []
        # Whichever alternative matches satisfies its j-th clause, so the union of every
        # alternative's j-th clause is itself a clause.
        depth = min(min(map(len, alternatives)), MAX_CLAUSES)
        return [frozenset().union(*(a[j] for a in alternatives)) for j in range(depth)]
    if type(node) in (_core.Group, _core.Atomic):
        return _need(node.subpattern)
    if type(node) in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        return _need(node.subpattern) if node.min_count >= 1 else []
    if type(node) is _core.Character:
        chars = _set_chars(node, node.case_flags)
        return [chars] if chars else []
    if type(node) in (_core.String, _core.Literal):
        return [_keys(chr(c), node.case_flags) for c in node.characters]
    if type(node) in (_core.SetUnion, _core.Range):
        chars = _set_chars(node, node.case_flags)
        return [chars] if chars else []
    return []


# -- pairs of adjacent characters ------------------------------------------------------------
# Characters alone say little when a pattern's certain characters are common (你/您, 不, 会): most
# drafts hold them somewhere. Which of them stand *next to each other* says more: a pattern that
# must match 你先, 您就 or 你们千万 needs one of the pairs 你先, 您就, 你们 in the text. Pairs are
# only read from runs of Han characters a match must consume in a row: they have no case, no case
# folding and no other spelling in ``regex``, so the pair in the pattern is exactly the pair in the
# text.

MAX_PAIR_CLAUSES = 2
_MAX_SET = 64  # a larger set of characters ends a run
_MAX_STRINGS = 256  # a part matching more strings than this ends a run
_MAX_PAIRS = 2048


def _plain(code: int) -> bool:
    """A CJK ideograph (main or extension A block): no case, no folding, no other form."""
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF) and _fold(chr(code)) == chr(code)


def _strings(node: Any) -> "frozenset[str] | None":
    """Every string ``node`` can match, when they are few and made of plain ideographs only."""
    return _finite(node, _plain_leaf, False)


def _plain_leaf(code: int, case_flags: int) -> "frozenset[str] | None":
    return frozenset((chr(code),)) if _plain(code) else None


def _finite(node: Any, leaf: Any, wider: bool) -> "frozenset[str] | None":
    """Every string ``node`` can match, when they are few (None otherwise): ``leaf(code,
    case_flags)`` gives the strings one character stands for (None: not certain). With ``wider``,
    what consumes nothing is the empty string and a small property is its characters (the literal
    factors); without, both end a run (pairs, first characters)."""
    t = type(node)
    if wider and t in _ZERO_WIDTH:
        return frozenset(("",))
    if wider and t is _core.Property:
        return None if node.zerowidth or getattr(node, "encoding", 0) else _property(node)
    if t is _core.Character:
        return leaf(node.value, node.case_flags) if node.positive and not node.zerowidth else None
    if t in (_core.String, _core.Literal):
        if not node.characters and not wider:
            return None
        out: "frozenset[str] | None" = frozenset(("",))
        for code in node.characters:
            part = leaf(code, node.case_flags)
            if part is None:
                return None
            out = _concat(out, part)  # type: ignore[arg-type]
            if out is None:
                return None
        return out
    if t is _core.Range:
        if not node.positive or node.zerowidth or node.upper - node.lower >= _MAX_SET:
            return None
        found: set[str] = set()
        for code in range(node.lower, node.upper + 1):
            part = leaf(code, node.case_flags)
            if part is None:
                return None
            found |= part
        return frozenset(found)
    if t is _core.SetUnion:
        if not node.positive or node.zerowidth or any(type(i) not in (_core.Character, _core.Range) for i in node.items):
            return None
        found = set()
        for item in node.items:
            part = _finite(item, leaf, wider)
            if part is None:
                return None
            found |= part
        return frozenset(found) if len(found) <= _MAX_SET else None
    if t is _core.Sequence:
        out = frozenset(("",))
        for item in node.items:
            part = _finite(item, leaf, wider)
            if part is None:
                return None
            out = _concat(out, part)
            if out is None:
                return None
        return out
    if t is _core.Branch:
        found = set()
        for branch in node.branches:
            part = _finite(branch, leaf, wider)
            if part is None:
                return None
            found |= part
        return frozenset(found) if len(found) <= _MAX_STRINGS else None
    if t in (_core.Group, _core.Atomic):
        return _finite(node.subpattern, leaf, wider)
    if t in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        if node.max_count is None or node.max_count > 3:
            return None
        part = _finite(node.subpattern, leaf, wider)
        if part is None:
            return None
        found = set()
        power: "frozenset[str] | None" = frozenset(("",))
        for count in range(node.max_count + 1):
            if count >= node.min_count:
                found |= power  # type: ignore[arg-type]
            power = _concat(power, part)  # type: ignore[arg-type]
            if power is None:
                return None
        return frozenset(found) if len(found) <= _MAX_STRINGS else None
    return None


def _concat(a: frozenset[str], b: frozenset[str]) -> "frozenset[str] | None":
    if len(a) * len(b) > _MAX_STRINGS * 4:
        return None
    out = frozenset(x + y for x in a for y in b)
    return out if len(out) <= _MAX_STRINGS else None


def _run_pairs(run: list[frozenset[str]]) -> list[frozenset[str]]:
    """Clauses of a run of parts matched one right after the other: the first two characters and
    the last two of whatever the run matches (none when it may match fewer than two)."""
    if not run:
        return []
    heads: set[str] = {""}
    for part in run:
        heads = {h if len(h) >= 2 else (h + s)[:2] for h in heads for s in part}
        if len(heads) > _MAX_PAIRS:
            return []
    tails: set[str] = {""}
    for part in reversed(run):
        tails = {t if len(t) >= 2 else (s + t)[-2:] for t in tails for s in part}
        if len(tails) > _MAX_PAIRS:
            return []
    if any(len(h) < 2 for h in heads) or any(len(t) < 2 for t in tails):
        return []
    return [frozenset(heads), frozenset(tails)]


def _pairs(node: Any) -> list[frozenset[str]]:
    """Pair clauses every match of ``node`` satisfies ([] when none is certain)."""
    whole = _strings(node)
    if whole is not None:
        return _run_pairs([whole])
    t = type(node)
    if t is _core.Sequence:
        out: list[frozenset[str]] = []
        run: list[frozenset[str]] = []
        for item in node.items:
            part = _strings(item)
            if part is not None:
                run.append(part)
                continue
            out += _run_pairs(run)
            run = []
            out += _pairs(item)
        return out + _run_pairs(run)
    if t is _core.Branch:
        chosen = []
        for branch in node.branches:
            clauses = _pairs(branch)
            if not clauses:
                return []
            chosen.append(min(clauses, key=len))
        return [frozenset().union(*chosen)]
    if t in (_core.Group, _core.Atomic):
        return _pairs(node.subpattern)
    if t in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        return _pairs(node.subpattern) if node.min_count >= 1 else []
    return []


def required_pairs(pattern: str, flags: int) -> tuple[str, ...]:
    """Pair clauses of ``pattern``: each a string of two-character pairs (``你先您先``) of which any
    text it matches holds at least one; fewest pairs first; ``()`` when none is certain."""
    parsed = _parse(pattern, flags)
    if parsed is None:
        return ()
    try:
        clauses = _pairs(parsed)
    except Exception:  # as in required(): no pre-check
        return ()
    unique = sorted({c for c in clauses if c}, key=lambda c: (len(c), sorted(c)))
    return tuple("".join(sorted(c)) for c in unique[:MAX_PAIR_CLAUSES])


# -- the characters a match starts with ---------------------------------------------------------
# Many rule patterns begin with look-behinds ((?<![给帮…])(?:你|您)…): ``regex`` then cannot scan
# for a literal and tries the whole pattern at every position of the text. When every match must
# start by consuming one of a few plain ideographs, a look-ahead for them put in front lets the
# engine skip the other positions; it matches exactly the same strings (it only fails where the
# pattern could not have matched) and adds no group.

_ZERO_WIDTH = tuple(
    getattr(_core, name)
    for name in (
        "LookAround", "Boundary", "DefaultBoundary", "DefaultEndOfWord", "DefaultStartOfWord", "EndOfLine",
        "EndOfLineU", "EndOfString", "EndOfStringLine", "EndOfStringLineU", "EndOfWord", "StartOfLine",
        "StartOfLineU", "StartOfString", "StartOfWord", "SearchAnchor",
    )
    if _core is not None and hasattr(_core, name)
)


_SEARCH_ANCHOR = getattr(_core, "SearchAnchor", None) if _core is not None else None


def _first(node: Any) -> "tuple[frozenset[str], bool] | None":
    """The characters a match of ``node`` may start by consuming, and whether it may consume
    nothing (then what follows may start the match); None when that is not certain."""
    t = type(node)
    if t is _SEARCH_ANCHOR:
        return None  # \G matches where the search starts: the search must start at the text's start
    if t is _core.Sequence:
        out: set[str] = set()
        for item in node.items:
            found = _first(item)
            if found is None:
                return None
            out |= found[0]
            if not found[1]:
                return frozenset(out), False
        return frozenset(out), True
    if t is _core.Branch:
        out = set()
        empty = False
        for branch in node.branches:
            found = _first(branch)
            if found is None:
                return None
            out |= found[0]
            empty = empty or found[1]
        return frozenset(out), empty
    if t in (_core.Group, _core.Atomic):
        return _first(node.subpattern)
    if t in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        found = _first(node.subpattern)
        if found is None:
            return None
        return found[0], found[1] or node.min_count == 0
    if t in _ZERO_WIDTH:
        return frozenset(), True
    if t in (_core.Character, _core.String, _core.Literal, _core.Range, _core.SetUnion):
        strings = _strings(node)  # plain ideographs only: no case, so the look-ahead reads them alike
        if not strings or "" in strings:
            return None
        return frozenset(s[0] for s in strings), False
    return None  # properties, any, references, fuzzy, \K, conditionals…: not certain


MAX_FIRST = 64


def first_chars(pattern: str, flags: int) -> str:
    """The characters every match of ``pattern`` starts with (plain ideographs), sorted; ``""``
    when not certain, too many, or when the pattern may match the empty string."""
    parsed = _parse(pattern, flags, fixed_flags=True)
    if parsed is None:
        return ""
    try:
        found = _first(parsed)
    except Exception:  # as in required(): no look-ahead
        return ""
    if found is None or found[1] or not found[0] or len(found[0]) > MAX_FIRST:
        return ""
    return "".join(sorted(found[0]))


# -- runs of digits ----------------------------------------------------------------------------
# A phone pattern (1[3-9]\d{9}) needs eleven digits in a row. Most drafts have no such run even
# counting look-alikes (一, ③) and separators between them, which a rule can tell without building
# the view the pattern matches.


def _is_digit_part(node: Any) -> bool:
    """Whether every character ``node`` matches is a digit (``\\d``): \\d itself, or digits."""
    t = type(node)
    if getattr(node, "zerowidth", False) or not getattr(node, "positive", False):
        return False
    if t is _core.Property:
        return node.value == _ND
    if t is _core.Character:
        return _DIGIT.fullmatch(chr(node.value)) is not None
    if t is _core.Range:
        return node.upper - node.lower < 64 and all(_DIGIT.fullmatch(chr(c)) for c in range(node.lower, node.upper + 1))
    if t is _core.SetUnion:
        return bool(node.items) and all(_is_digit_part(i) for i in node.items)
    return False


def _digits(node: Any) -> "tuple[int, int, int, bool]":
    """For every match of ``node``: (digits it surely starts with, digits it surely ends with, the
    longest run of digits it surely holds, whether it is all digits)."""
    t = type(node)
    if _is_digit_part(node):
        return 1, 1, 1, True
    if t is _core.Sequence:
        lead = tail = best = 0
        whole = True
        for item in node.items:
            if type(item) in _ZERO_WIDTH:  # consumes nothing: digits on both sides are adjacent
                continue
            s, e, b, all_digits = _digits(item)
            best = max(best, b, tail + s)
            if whole:
                lead += s
            tail = tail + s if all_digits else e
            whole = whole and all_digits
        return lead, tail, max(best, tail, lead), whole
    if t is _core.Branch:
        parts = [_digits(b) for b in node.branches]
        if not parts:
            return 0, 0, 0, False
        return (min(p[0] for p in parts), min(p[1] for p in parts), min(p[2] for p in parts), all(p[3] for p in parts))
    if t in (_core.Group, _core.Atomic):
        return _digits(node.subpattern)
    if t in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        s, e, b, all_digits = _digits(node.subpattern)
        if node.min_count == 0:
            return 0, 0, 0, all_digits and s > 0  # may be empty: an empty part of digits keeps a run going
        if all_digits:
            n = s * node.min_count
            return n, n, n, True
        return s, e, b, False
    return 0, 0, 0, False


def digit_run(pattern: str, flags: int) -> int:
    """The longest run of consecutive digits every match of ``pattern`` holds (0: none certain)."""
    parsed = _parse(pattern, flags)
    if parsed is None:
        return 0
    try:
        return _digits(parsed)[2]
    except Exception:  # as in required(): no pre-check
        return 0


def split_pairs(clause: str) -> frozenset[str]:
    """A stored pair clause back as a set of pairs."""
    return frozenset(clause[i : i + 2] for i in range(0, len(clause), 2))


PAIRS_LIMIT = 50_000
"""Texts longer than this skip the pair test (a set of all their pairs would cost more than it saves)."""


def text_pairs(text: str) -> "frozenset[str] | None":
    """The pairs of adjacent characters of ``text``; None for a text too long to be worth it."""
    if len(text) > PAIRS_LIMIT:
        return None
    return frozenset(map(str.__add__, text, text[1:]))


_pair_heads: set[str] = set()  # the first characters of every pair clause handed out (regex_cache.pairs)
_pair_lock = threading.Lock()
_pair_scan: Any = None  # (pair_version, a search for the pairs starting with one of them)
pair_version = 0
"""Changes when a pair clause brings a new first character: a draft's pairs were collected for
the clauses known then (``Draft.pairs`` collects them again)."""


def register_pairs(clauses: Iterable[frozenset[str]]) -> None:
    """Note the first characters of pair clauses that will be tested against ``relevant_pairs``."""
    global pair_version
    heads = {pair[0] for clause in clauses for pair in clause}
    if not heads <= _pair_heads:
        with _pair_lock:
            _pair_heads.update(heads)
            pair_version += 1


def relevant_pairs(text: str) -> "frozenset[str] | None":
    """``text_pairs(text)`` less the pairs no registered clause can hold (those whose first
    character starts no pair of any clause): a clause meets one set exactly when it meets the
    other, and these are found by ``re`` in C (most of a draft's ~100 pairs are never asked for)."""
    global _pair_scan
    if len(text) > PAIRS_LIMIT:
        return None
    scan = _pair_scan
    if scan is None or scan[0] != pair_version:
        with _pair_lock:
            heads = "".join(sorted(_pair_heads))
            rx = _re.compile("(?=([" + _re.escape(heads) + "](?s:.)))") if heads else None
            scan = _pair_scan = (pair_version, rx)
    return frozenset(scan[1].findall(text)) if scan[1] is not None else frozenset()


# -- literal factors: strings one of which every match holds ------------------------------------
# The sharpest pre-check of all, and one that many patterns share a single pass for (``triggers``):
# a set of strings such that every match contains one of them (你先 or 您先; guarantee or promise).
# Read from runs of parts whose strings are few and certain, as ``_strings`` reads runs of
# ideographs, but over every character whose case variants are known: a Latin letter stands for
# its lower case alone, because the views patterns search are fully case folded (``normalize``);
# any other character for every character ``regex`` matches it with under the rule's flags.

_MAX_FACTOR_STRINGS = 256


def _char_variants(code: int, case_flags: int) -> "frozenset[str] | None":
    ch = chr(code)
    if not case_flags & _IGNORECASE:
        return frozenset(ch)
    if ch.isascii():
        return frozenset(ch.lower())
    if case_flags & _FULLCASE:
        return None  # (?f): ß matches ss, ﬁ fi — strings of other lengths, not case variants
    try:
        return frozenset(map(chr, _regex.get_all_cases(case_flags, code)))
    except Exception:  # another regex build: not certain
        return None


def view_strings(clause: Iterable[str]) -> "frozenset[str] | None":
    """Every character of a folded view that a rule pattern (case-blind, simple folding) matches
    with one of ``clause``'s: a character clause (``needs``) as strings the linter's one pass can
    look for in the view itself; None when not certain."""
    if _core is None:
        return None
    out: set[str] = set()
    for ch in clause:
        found = _char_variants(ord(ch), _IGNORECASE)
        if found is None:
            return None
        out |= found | {ch}
    return frozenset(out)


_MAX_PROPERTY = 4096
_property_chars: dict[tuple[int, bool, int], "frozenset[str] | None"] = {}


_EVERY_CHAR: "str | None" = None


def _property(node: Any) -> "frozenset[str] | None":
    """The characters a property (\\p{Extended_Pictographic}) matches, case variants included,
    when they are at most ``_MAX_PROPERTY``: the property is searched for, under the pattern's
    case flags, in a string of every code point (once per property and process)."""
    global _EVERY_CHAR
    key = (node.value, node.positive, int(node.case_flags))
    if key not in _property_chars:
        try:
            name, values = _core.PROPERTY_NAMES[node.value >> 16]
            spelled = "\\%s{%s=%s}" % ("p" if node.positive else "P", name, values[node.value & 0xFFFF])
            flags = regex.V1 | (regex.IGNORECASE if node.case_flags & _IGNORECASE else 0)
            rx = regex.compile("(?-f)" + spelled, flags)
            if _EVERY_CHAR is None:
                _EVERY_CHAR = "".join(map(chr, range(0x110000)))
            found = set()
            for m in rx.finditer(_EVERY_CHAR):
                found.add(m.group().lower() if m.group().isascii() else m.group())
                if len(found) > _MAX_PROPERTY:
                    break
            _property_chars[key] = frozenset(found) if len(found) <= _MAX_PROPERTY else None
        except Exception:  # another regex build, a property spelled otherwise: not certain
            _property_chars[key] = None
    return _property_chars[key]


def _exact(node: Any) -> "frozenset[str] | None":
    """Every string ``node`` can consume, when they are few and certain (None otherwise)."""
    return _finite(node, _char_variants, True)


def _shrink(found: frozenset[str]) -> "frozenset[str] | None":
    """``found``, or when it holds too many strings their beginnings (a text holding 我们负责
    holds 我们), as few as it takes."""
    for length in (None, 4, 3, 2, 1):
        if len(found) <= _MAX_FACTOR_STRINGS:
            return found
        found = frozenset(s[:length] for s in found)
    return found if len(found) <= _MAX_FACTOR_STRINGS else None


def _better(a: "frozenset[str] | None", b: "frozenset[str] | None") -> "frozenset[str] | None":
    """The sharper of two factor sets: its shortest string longer (up to three characters), then fewer strings."""
    if a is None or b is None:
        return a if b is None else b
    rank = lambda s: (min(3, min(map(len, s))), -len(s))
    return b if rank(b) > rank(a) else a


def _factor(node: Any) -> "frozenset[str] | None":
    """A set of non-empty strings one of which every match of ``node`` contains (None: none certain)."""
    best: "frozenset[str] | None" = None
    for clause in _clauses(node):
        best = _better(best, clause)
    return best


def _clauses(node: Any) -> "list[frozenset[str]]":
    """Sets of non-empty strings every match of ``node`` holds one of each of ([] when none is certain)."""
    whole = _exact(node)
    if whole is not None:
        return [whole] if whole and "" not in whole else []
    t = type(node)
    if t is _core.Sequence:
        out: list[frozenset[str]] = []
        run: "frozenset[str] | None" = frozenset(("",))
        for item in node.items:
            part = _exact(item)
            if part is not None:
                joined = _concat(run, part) if run is not None else None
                if joined is None:  # too many strings: what ran so far is one clause, a new run starts
                    if run and "" not in run:
                        out.append(run)
                    joined = part
                run = joined
                continue
            # A part that is not one of few strings may still start and end with one of few:
            # (?:[a-z0-9]+\.)+ ends with a dot, so that a top-level domain after it is .com, not com.
            start = _edge(item, first=True)
            joined = _concat(run, start) if run is not None and start else None
            if joined is not None:
                run = joined
            if run and "" not in run:
                out.append(run)
            out += _clauses(item)
            run = _edge(item, first=False) or frozenset(("",))
        if run and "" not in run:
            out.append(run)
        return out
    if t is _core.Branch:
        found: set[str] = set()
        for branch in node.branches:
            part = _factor(branch)
            if part is None:
                return []
            found |= part
        shrunk = _shrink(frozenset(found))
        return [shrunk] if shrunk else []
    if t in (_core.Group, _core.Atomic):
        return _clauses(node.subpattern)
    if t in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        if node.min_count < 1:
            return []
        part = _exact(node.subpattern)
        if part and "" not in part and node.min_count > 1:
            # x{3,}: three in a row, when that is few strings (!!! rather than !).
            power: "frozenset[str] | None" = part
            for _ in range(min(node.min_count, 4) - 1):
                power = _concat(power, part) if power is not None else None
            if power is not None:
                return [power]
        return _clauses(node.subpattern)
    return []


def _edge(node: Any, first: bool) -> "frozenset[str] | None":
    """Strings one of which every match of ``node`` starts with (``first``) or ends with, when they
    are few, certain and not empty (None otherwise). Few means ``_MAX_EDGE``: a class such as
    ``\\s`` would multiply every string it is joined to."""
    whole = _exact(node)
    if whole is not None:
        return whole if whole and "" not in whole and len(whole) <= _MAX_EDGE else None
    t = type(node)
    if t is _core.Sequence:
        return _edge(node.items[0 if first else -1], first) if node.items else None
    if t is _core.Branch:
        found: set[str] = set()
        for branch in node.branches:
            part = _edge(branch, first)
            if part is None:
                return None
            found |= part
        return frozenset(found) if len(found) <= _MAX_EDGE else None
    if t in (_core.Group, _core.Atomic):
        return _edge(node.subpattern, first)
    if t in (_core.GreedyRepeat, _core.LazyRepeat, _core.PossessiveRepeat):
        # At least once: the first repetition starts a match, the last ends it.
        return _edge(node.subpattern, first) if node.min_count >= 1 else None
    return None


_MAX_EDGE = 8


def _minimal(found: "frozenset[str]") -> tuple[str, ...]:
    # A string holding another of the set says nothing more: a text holding it holds the other.
    return tuple(sorted(s for s in found if not any(t != s and t in s for t in found)))


MAX_FACTOR_CLAUSES = 3
_FACTOR_LENGTH = 4  # characters of a factor kept (six for Latin text): longer ones say little more, and the pass holds fewer


def _capped(text: str) -> str:
    return text[: 6 if text.isascii() else _FACTOR_LENGTH]


_COMMON_MARKS = frozenset(" \t\n.,!?;:'\"-()/，。！？、；：…“”‘’（）~～·")


def _common_char(string: str) -> bool:
    """Whether ``string`` is a single character most texts hold: a letter or a digit (Han
    included) or common punctuation, where # or @ are rare."""
    return len(string) < 2 and (not string or string.isalnum() or string in _COMMON_MARKS)


def _chosen(found: "list[frozenset[str]]") -> tuple[tuple[str, ...], ...]:
    """The sharpest ``MAX_FACTOR_CLAUSES`` of ``found``, each as sorted minimal strings."""
    # A clause holding a character most texts hold (你, 了, e, .) is met by most texts: it is
    # chosen only when nothing sharper is there, and never as a second clause.
    rank = lambda c: (not any(map(_common_char, c)), min(3, min(map(len, c))), -len(c))
    chosen: list[tuple[str, ...]] = []
    # Equal ranks in the order of their strings, not of a set's hashes: the same on every machine.
    for clause in sorted(sorted(set(found), key=sorted), key=rank, reverse=True):
        minimal = _minimal(frozenset(map(_capped, clause)))
        if chosen and any(map(_common_char, minimal)):
            break
        if minimal not in chosen:
            chosen.append(minimal)
        if len(chosen) == MAX_FACTOR_CLAUSES:
            break
    return tuple(chosen)


def factor_alternatives(pattern: str, flags: int) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """What every match of ``pattern`` (compiled with ``flags`` and simple case folding, as rule
    patterns are) holds, as alternatives: a match meets one of them, holding a string of each of
    its clauses (the sharpest ``MAX_FACTOR_CLAUSES``). An alternation at the top gives one per
    branch, so that each branch's own clauses count; ``()`` when nothing is certain."""
    node = _parse("(?-f)" + pattern, flags)
    if node is None:
        return ()
    try:
        node = _alternation(node)
        branches = node.branches if type(node) is _core.Branch else [node]
        out = []
        for branch in branches:
            chosen = _chosen(_clauses(branch))
            if not chosen:
                return ()
            if chosen not in out:
                out.append(chosen)
        return tuple(out)
    except Exception:  # as in required(): no pre-check
        return ()
