"""The work bound (``matching.work``) against the searches it vouches for.

A search runs without the engine's clock only when the bound says its worst case fits well inside
the budget, so the bound must never be below the work a backtracking search really does. The
property test holds it to a plain backtracking matcher written here, which counts its tests, over
generated patterns and texts; the same matcher is held to ``regex``'s own matches, so the
semantics it counts are the engine's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint.matching import cache, work
from replylint.matching.pattern import RulePattern
from replylint.matching.timeout import DEFAULT_TIMEOUT

FLAGS = cache.RULE_FLAGS


def bound(pattern: str) -> Optional[tuple[float, ...]]:
    return work.search_bound("(?-f)" + pattern, FLAGS)


def within(counter: "Backtracker", pattern: str) -> bool:
    """Whether the search's work and its dearest attempt's are within the bounds."""
    search, attempt = bound(pattern), work.attempt_bound("(?-f)" + pattern, FLAGS)
    assert search is not None and attempt is not None
    n = len(counter.text)
    return counter.tests <= work.evaluate(search, n) and counter.most <= work.evaluate(attempt, n)


# -- a plain backtracking matcher that counts its tests ------------------------------------------


@dataclass(frozen=True)
class Node:
    kind: str  # char, set, any, seq, alt, rep, ahead, atomic, start, end
    value: object = None
    items: tuple = ()
    low: int = 0
    high: Optional[int] = None
    greedy: bool = True

    def render(self) -> str:
        k = self.kind
        if k == "char":
            return str(self.value)
        if k == "set":
            return str(self.value)
        if k == "any":
            return "."
        if k == "start":
            return "^"
        if k == "end":
            return "$"
        if k == "seq":
            return "".join(i.render() for i in self.items)
        if k == "alt":
            return "(?:" + "|".join(i.render() for i in self.items) + ")"
        if k == "ahead":
            return ("(?=" if self.value else "(?!") + self.items[0].render() + ")"
        if k == "atomic":
            return "(?>" + self.items[0].render() + ")"
        count = {(0, None): "*", (1, None): "+", (0, 1): "?"}.get((self.low, self.high))
        if count is None:
            count = "{%d,%s}" % (self.low, "" if self.high is None else self.high)
        return "(?:" + self.items[0].render() + ")" + count + ("" if self.greedy else "?")


class Backtracker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tests = 0
        self.most = 0  # the tests of the dearest attempt

    def one(self, ok: Callable[[str], bool], i: int, k: Callable[[int], Optional[int]]) -> Optional[int]:
        self.tests += 1
        if i < len(self.text) and ok(self.text[i]):
            return k(i + 1)
        return None

    def match(self, node: Node, i: int, k: Callable[[int], Optional[int]]) -> Optional[int]:
        kind = node.kind
        if kind == "char":
            return self.one(lambda c: c == node.value, i, k)
        if kind == "set":
            chars = str(node.value)[1:-1]
            if chars.startswith("^"):
                return self.one(lambda c: c not in chars[1:], i, k)
            return self.one(lambda c: c in chars, i, k)
        if kind == "any":
            return self.one(lambda c: c != "\n", i, k)
        if kind in ("start", "end"):
            self.tests += 1
            at = i == 0 if kind == "start" else i == len(self.text)
            return k(i) if at else None
        if kind == "seq":
            def chain(j: int, rest: tuple) -> Optional[int]:
                if not rest:
                    return k(j)
                return self.match(rest[0], j, lambda j2: chain(j2, rest[1:]))
            return chain(i, node.items)
        if kind == "alt":
            for item in node.items:
                found = self.match(item, i, k)
                if found is not None:
                    return found
            return None
        if kind == "ahead":
            inner = self.match(node.items[0], i, lambda j: j)
            return k(i) if (inner is not None) == bool(node.value) else None
        if kind == "atomic":
            inner = self.match(node.items[0], i, lambda j: j)
            return k(inner) if inner is not None else None
        body = node.items[0]

        def rep(count: int, j: int) -> Optional[int]:
            more = node.high is None or count < node.high

            def again(j2: int) -> Optional[int]:
                return k(j2) if j2 == j else rep(count + 1, j2)  # an empty repetition ends the loop

            if node.greedy:
                if more:
                    found = self.match(body, j, again)
                    if found is not None:
                        return found
                return k(j) if count >= node.low else None
            if count >= node.low:
                found = k(j)
                if found is not None:
                    return found
            return self.match(body, j, again) if more else None

        return rep(0, i)

    def search_all(self, node: Node) -> list[tuple[int, int]]:
        """Every match, as ``finditer`` finds them: an attempt at each place, going on after a match
        (and after an empty one, another attempt at its place for a longer one)."""
        spans = []
        i, again = 0, -1
        while i <= len(self.text):
            # After an empty match, the next attempt at the same place must not be empty.
            before = self.tests
            end = self.match(node, i, (lambda j: j if j > i else None) if i == again else (lambda j: j))
            self.most = max(self.most, self.tests - before)
            if end is None:
                i += 1
                continue
            spans.append((i, end))
            if end == i:
                again = i
            else:
                i = end
        return spans


LEAF = st.one_of(
    st.sampled_from("ab").map(lambda c: Node("char", c)),
    st.sampled_from(["[ab]", "[^a]", "[bc]"]).map(lambda s: Node("set", s)),
    st.just(Node("any")),
)


def _grow(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    repeat = st.tuples(children, st.sampled_from([(0, None), (1, None), (0, 1), (0, 2), (1, 3), (2, None)]), st.booleans())
    return st.one_of(
        st.lists(children, min_size=2, max_size=4).map(lambda xs: Node("seq", items=tuple(xs))),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: Node("alt", items=tuple(xs))),
        repeat.map(lambda t: Node("rep", items=(t[0],), low=t[1][0], high=t[1][1], greedy=t[2])),
        st.tuples(children, st.booleans()).map(lambda t: Node("ahead", t[1], items=(t[0],))),
        children.map(lambda x: Node("atomic", items=(x,))),
    )


PATTERNS = st.recursive(LEAF, _grow, max_leaves=8).map(
    lambda node: Node("seq", items=(node,)) if node.kind != "seq" else node
)
ANCHORED = st.one_of(PATTERNS, PATTERNS.map(lambda p: Node("seq", items=(p, Node("end")))))


TEXTS = st.one_of(
    st.text(alphabet="abc", max_size=14),
    # Runs of one character are where backtracking work piles up.
    st.builds(lambda c, k, tail: c * k + tail, st.sampled_from("ab"), st.integers(0, 40), st.text(alphabet="abc", max_size=3)),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(node=ANCHORED, text=TEXTS)
def test_bound_is_never_below_the_work_of_a_backtracking_search(node, text):
    pattern = node.render()
    found = bound(pattern)
    if found is None or work.evaluate(found, len(text)) > 300_000:
        text = text[:6]  # a search the bound allows that much work is not counted out here
    counter = Backtracker(text)
    spans = counter.search_all(node)
    assert spans == [m.span() for m in regex.finditer("(?-f)" + pattern, text, FLAGS)], pattern  # the same semantics
    if found is None:
        return  # no bound: always under the timeout
    assert within(counter, pattern), (pattern, text, counter.tests, counter.most, found)


def _seq(*items: Node) -> Node:
    return Node("seq", items=items)


def _rep(node: Node, low: int = 0, high: Optional[int] = None, greedy: bool = True) -> Node:
    return Node("rep", items=(node,), low=low, high=high, greedy=greedy)


_A, _B, _C, _AB = Node("char", "a"), Node("char", "b"), Node("char", "c"), Node("set", "[ab]")
ADVERSARIAL = [
    (_seq(_rep(_A), _rep(_A), _rep(_A), _B), "a" * 40),  # overlapping runs: cubic splits at each place
    (_seq(*[_rep(Node("alt", items=(_A, _seq(_A, _A))), 0, 1)] * 4, _B), "a" * 40),
    (_seq(Node("alt", items=(_seq(_A, _rep(_AB), _C), _B))), "a" * 40),  # an alternative that scans on
    (_seq(_rep(_AB, greedy=False), _rep(_AB, greedy=False), _C), "ab" * 20),
    (_seq(_rep(_seq(_A, _rep(_B, 0, 3))), _C), "ab" * 20),
    (_seq(Node("ahead", True, items=(_seq(_rep(_A), _B),)), _rep(_A), _C), "a" * 40),
    (_seq(_rep(_seq(_A, _B), 0, 10), _C), "ab" * 20),  # a bounded repeat's every repetition tested
]


@pytest.mark.parametrize(("node", "text"), ADVERSARIAL, ids=lambda x: x.render() if isinstance(x, Node) else len(x))
def test_bound_holds_on_texts_made_to_backtrack(node, text):
    counter = Backtracker(text)
    counter.search_all(node)
    assert within(counter, node.render()), (counter.tests, counter.most)


# -- what the bound says about known shapes -------------------------------------------------------


@pytest.mark.parametrize("pattern", [r"(a|a)+$", r"(a+)+$", r"(a*)*b", r"(\w+\s?)+$", r"(x+x+)+y", r"(a|ab)+c", r"(.)\1", r"(?(1)a|b)"])
def test_patterns_that_can_run_away_get_no_bound(pattern):
    assert bound(pattern) is None


def test_nested_bounded_repeats_are_never_unguarded_on_a_real_text():
    # (.*a){12} is polynomial of a high degree: bounded, but only on texts too short to matter.
    assert work.longest(bound(r"(.*a){12}"), DEFAULT_TIMEOUT * work.UNGUARDED_SHARE / work.SECONDS_PER_TEST) < 10


@pytest.mark.parametrize(
    ("pattern", "degree"),
    [
        ("保证|绝对|一定", 1),  # alternatives of words: a constant per place
        ("(?<![给帮])(?:你|您)们?[^，。]{0,8}?(?:搞|弄)(?:错|反)", 1),  # bounded repeats
        # A repeat can scan the rest of the text from every place: quadratic, not worse (a repeat
        # of words none of which starts as what follows; runs of spaces each followed by a letter).
        (r"(?:加|添加)(?:我|个|一下|下|好友|的|\s)*(?:微信|qq)", 2),
        (r"you\s+are\s+wrong", 2),
    ],
)
def test_shapes_of_rule_patterns_get_low_degrees(pattern, degree):
    found = bound(pattern)
    assert found is not None and len(found) - 1 == degree, found


def test_the_dotted_and_dotless_i_share_a_key():
    # regex matches i with I and İ, and I with ı: one class, or a text could match two keys.
    assert work._key(ord("i")) == work._key(ord("I")) == work._key(0x130) == work._key(0x131)
    assert work._key(ord("k")) == work._key(0x212A)  # the Kelvin sign


def test_a_long_text_goes_back_under_the_clock():
    p = RulePattern(r"you\s+are\s+wrong", "test")
    assert p.unguarded(DEFAULT_TIMEOUT, 50)
    assert not p.unguarded(DEFAULT_TIMEOUT, 1_000_000)
    assert not p.unguarded(0.0, 50)  # a team's timeout of nothing: every search under the clock


def test_a_pattern_without_a_bound_always_runs_under_the_clock():
    p = RulePattern(r"(a|a)+$", "test")
    assert p.bound is None and not p.unguarded(DEFAULT_TIMEOUT, 1)
