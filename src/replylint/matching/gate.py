"""The character pre-check of many rule patterns at once (``prefilter``): every clause of every
pattern is a bit, one pass over a draft's characters gives the bits of all the clauses they meet, and
a rule's gate keeps the patterns whose clauses are all met."""
from __future__ import annotations

import threading
from functools import reduce
from operator import or_
from typing import Sequence

from ..text.draft import Draft
from .pattern import RulePattern


class Clauses:
    """Every pattern clause (``prefilter``) of every rule, numbered once in the process: one pass
    over a draft's characters gives the bits of all the clauses they meet, shared by every rule."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, frozenset[str]], int] = {}
        # view name → (character → bits of its clauses, those characters); replaced, never changed,
        # so a lint running while a rule is compiled keeps a consistent pair.
        self._tables: dict[str, tuple[dict[str, int], frozenset[str]]] = {}
        self._lock = threading.Lock()

    def bit(self, view: str, clause: frozenset[str]) -> int:
        with self._lock:
            number = self._numbers.get((view, clause))
            if number is None:
                number = self._numbers[(view, clause)] = len(self._numbers)
                by_char = dict(self._tables.get(view, ({}, None))[0])
                for ch in clause:
                    by_char[ch] = by_char.get(ch, 0) | 1 << number
                self._tables[view] = (by_char, frozenset(by_char))
            return 1 << number

    def met(self, draft: Draft, view: str, chars: frozenset[str]) -> int:
        """The bits of the clauses of view ``view`` that ``chars`` (its characters) meet."""
        key = ("clauses", view, id(chars))
        found = draft.derived.get(key)
        table = self._tables[view]
        if found is None or found[0] is not chars or found[1] is not table:
            bits, keys = table
            found = draft.derived[key] = (chars, table, reduce(or_, map(bits.__getitem__, chars & keys), 0))
        return found[2]


CLAUSES = Clauses()


class Gate:
    """The character pre-check of a rule's patterns (``prefilter``) for all of them at once: the
    clauses met by a draft's characters (``CLAUSES``) are bits, and the patterns whose clauses
    are all met are kept per combination of the rule's bits (most drafts repeat a combination),
    instead of testing 16–45 patterns one by one per draft. Patterns stay in their order."""

    _LIMIT = 4096

    def __init__(self, patterns: Sequence[tuple[str, RulePattern]]) -> None:
        self.masks: list[tuple[int, tuple[int, ...]]] = []  # per pattern: all its clauses, each alternative's
        self.own = 0  # the bits of all this rule's clauses
        views: dict[str, None] = {}

        def mask_of(view: str, clauses: tuple[frozenset[str], ...]) -> int:
            mask = 0
            for clause in clauses:
                mask |= CLAUSES.bit(view, clause)
                views[view] = None
            self.own |= mask
            return mask

        for view, p in patterns:
            self.masks.append((mask_of(view, p.needs), tuple(mask_of(view, a) for a in p.alternatives)))
        self.views = tuple(views)
        self._passing: dict[int, tuple[int, ...]] = {}

    def passing(self, met: int) -> tuple[int, ...]:
        """Indices of the patterns whose clauses are all among the bits ``met`` (and, for an
        alternation, all those of one alternative)."""
        met &= self.own
        found = self._passing.get(met)
        if found is None:
            found = tuple(
                i
                for i, (mask, alternatives) in enumerate(self.masks)
                if not mask & ~met and (not alternatives or any(not a & ~met for a in alternatives))
            )
            if len(self._passing) >= self._LIMIT:
                self._passing.clear()
            self._passing[met] = found
        return found
