"""One pass over a draft's view that says which rules, and which of their patterns, can fire.

Most rules find nothing in most drafts, and a rule that finds nothing used to cost as much Python
work as one that finds something: its pre-checks, gates and searches ran whatever the draft. Each
rule kind says what every finding of a rule needs (``RuleKind.triggers``: its words, its patterns'
literal factors from ``prefilter.factor_alternatives``) and which patterns it runs
(``RuleKind.rule_patterns``). One multi-string automaton (Aho–Corasick, ``ahocorasick_rs``, in
Rust) finds every such string a view holds in a single pass: a rule whose needs are not met is not
run, and a pattern whose literals are missing is not searched (``RulePattern.absent``). A rule that
cannot say (a sign-off that must be there, contact details however disguised) always runs."""
from __future__ import annotations

import re
from functools import reduce
from operator import itemgetter, or_
from typing import Hashable, Iterable, Optional

from .pattern import Needs, RulePattern

_first = itemgetter(0)
_FIRED_LIMIT = 4096
_SURROGATE = re.compile("[\ud800-\udfff]")


class Triggers:
    """Rules (by key) and what each needs (alternatives: sets of strings to hold one of each of);
    the patterns given are keys too, by their own alternatives (they are marked ``gated``)."""

    def __init__(
        self, needs: Iterable[tuple[Hashable, Optional[Iterable[Needs]]]], patterns: Iterable[RulePattern] = ()
    ) -> None:
        self.always: set[Hashable] = set()
        self.keys: set[Hashable] = set()
        clause_bits: dict[frozenset[str], int] = {}
        # string → (key, the bits of all the clauses of one alternative) for each alternative whose
        # first clause holds the string: a draft's strings lead only to the alternatives they start.
        starts: dict[str, list[tuple[Hashable, int]]] = {}
        sure: dict[str, set[Hashable]] = {}  # string → keys with an alternative of that one clause
        usable: dict[frozenset[str], bool] = {}

        def lookable(clause: frozenset[str]) -> bool:
            """Whether the automaton can look for the clause: no empty string (met by any text) and
            no lone surrogate (which it cannot hold)."""
            found = usable.get(clause)
            if found is None:
                found = usable[clause] = "" not in clause and not _SURROGATE.search("".join(clause))
            return found

        def add(key: Hashable, alternatives: Optional[Iterable[Needs]]) -> None:
            self.keys.add(key)
            if alternatives is None:
                self.always.add(key)
                return
            for alternative in alternatives:
                clauses = [c for c in alternative if not c or lookable(c)]  # the others say nothing
                if any(not c for c in clauses):
                    continue  # a clause nothing meets: this alternative never holds
                if not clauses:
                    self.always.add(key)
                    return
                mask = 0
                for c in clauses:
                    mask |= clause_bits.setdefault(c, 1 << len(clause_bits))
                if len(clauses) == 1:  # met by any of its strings alone
                    for s in clauses[0]:
                        sure.setdefault(s, set()).add(key)
                else:
                    for s in clauses[0]:
                        starts.setdefault(s, []).append((key, mask))

        for key, alternatives in needs:
            add(key, alternatives)
        gated = [p for p in dict.fromkeys(patterns) if p.literals]
        for p in gated:
            # The pairs every match holds are strings too: met here, ``pairs_met`` need not ask.
            add(p, [alternative + p.pairs for alternative in p.literals])
        by_string: dict[str, int] = {}
        for clause, bit in clause_bits.items():
            for s in clause:
                by_string[s] = by_string.get(s, 0) | bit
        self._strings = list(by_string)
        self._bits = [by_string[s] for s in self._strings]
        none: frozenset[Hashable] = frozenset()
        self._sure = [frozenset(sure[s]) if s in sure else none for s in self._strings]
        self._starts = [tuple(starts.get(s, ())) for s in self._strings]
        self._automaton = None
        self._always = frozenset(self.always)
        self._fired: dict[int, frozenset[Hashable]] = {}  # by the bits of the clauses met
        if self._strings:
            import ahocorasick_rs  # loaded at the first draft, not by commands that lint nothing

            self._automaton = ahocorasick_rs.AhoCorasick(self._strings, matchkind=ahocorasick_rs.MatchKind.Standard)
        for p in gated:
            p.gated = True

    def scan(self, text: str) -> frozenset[Hashable]:
        """The keys that may fire in ``text``: those that always do and those one of whose
        alternatives it meets. Which fire follows from which clauses the text meets alone, so
        texts meeting the same clauses share one answer, worked out once."""
        if self._automaton is None:
            return self._always
        try:
            matches = self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # lone surrogates, which no string looked for holds
            matches = self._automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)
        if not matches:
            return self._always
        met = reduce(or_, map(self._bits.__getitem__, map(_first, matches)))
        fired = self._fired.get(met)
        if fired is None:
            found = set(map(_first, matches))
            unmet = ~met
            starts = self._starts
            fired = self._always.union(
                *map(self._sure.__getitem__, found),
                [key for i in found for key, mask in starts[i] if not mask & unmet],
            )
            if len(self._fired) >= _FIRED_LIMIT:
                self._fired.clear()
            self._fired[met] = fired
        return fired
