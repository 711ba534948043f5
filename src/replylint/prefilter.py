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

from typing import Any, Iterable

import regex

VERSION = 2
"""Bump when the analysis changes, so cached clauses from an older analysis are not used."""

MAX_CLAUSES = 4
_MAX_RANGE = 512  # larger character ranges ([一-龥]) add no clause: too broad to be worth testing

try:
    from regex import _regex, _regex_core as _core

    _FOLD = _core.FULL_CASE_FOLDING
    _IGNORECASE = int(_core.IGNORECASE)
except (ImportError, AttributeError):  # another regex build: no pre-check, patterns always run
    _core = None


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


def required(pattern: str, flags: int) -> tuple[str, ...]:
    """The clauses of ``pattern`` compiled with ``flags``, each as a string of characters, fewest
    characters first; ``()`` when nothing certain can be said (the pattern always runs)."""
    if _core is None or not isinstance(pattern, str):
        return ()
    try:
        source = _core.Source(pattern)
        info = _core.Info(flags, source.char_type, {})
        source.ignore_space = bool(info.flags & regex.VERBOSE)
        parsed = _core._parse_pattern(source, info)
        if not source.at_end():
            return ()
        clauses = _need(parsed)
    except Exception:  # a global flag mid-pattern, a syntax error, an unknown node: no pre-check
        return ()
    unique = sorted({c for c in clauses if c}, key=lambda c: (len(c), sorted(c)))
    return tuple("".join(sorted(c)) for c in unique[:MAX_CLAUSES])


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
