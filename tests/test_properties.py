"""Properties over arbitrary text: no crash, every span inside the text and naming what it marks,
normalisation that maps back exactly."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint import Linter
from replylint.app.cli import main
from replylint.rules.context import fold
from replylint.text.normalize import PLACEHOLDER, normalize
from replylint.text.placeholders import placeholder_spans
from replylint.text.positions import LineIndex

LINTER = Linter()

# Text that looks like replies: Chinese (both scripts), rule words, Latin, digits, full-width,
# punctuation, emoji, invisible and combining characters, placeholders.
FRAGMENTS = st.sampled_from([
    "保证", "保證", "一定", "肯定", "绝对", "100%", "你必须", "您", "你", "别", "赶紧", "是你自己", "搞错了",
    "微信", "微 信", "薇信", "V信", "➕V", "扣扣", "一三八零零一三八零零零", "138-0013-8000", "ＱＱ", "qq",
    "淘宝", "京東", "Amazon", "guarantee", "absolutely", "you must", "You should have", "{{name}}", "${x}",
    "[数字x]", "您好", "Dear", "此致", "敬礼", "Best regards", "\n", "\r\n", ">", "，", "。", "！", "?", " ",
    "\u200b", "\ufe0f", "\u0301", "🎁", "𠀀", "１", "①", "ｱ", "\t", "@", "http://", ".com",
])
TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=25).map("".join),
)
QUOTING = {r.id: list(r.messages.values()) for r in LINTER.all_rules}  # each rule's message templates
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=TEXT, kind=st.sampled_from(["chat", "email"]), platform=st.sampled_from([None, "jd", "taobao"]))
def test_lint_never_crashes_and_spans_are_exact(text, kind, platform):
    index = LineIndex(text)
    for d in LINTER.lint(text, kind=kind, platform=platform):
        assert 0 <= d.start <= d.end <= len(text)
        assert (d.line, d.column) == index.position(d.start)
        assert (d.end_line, d.end_column) == index.position(d.end)
        if all("{match}" in m for msg in QUOTING[d.rule] for m in msg.values()):
            assert text[d.start : d.end] in d.message  # a rule that quotes its match quotes the reported span
        if d.fix is not None:
            assert 0 <= d.fix.start <= d.fix.end <= len(text)


@SETTINGS
@given(text=TEXT)
def test_normalised_view_maps_back_exactly(text):
    masks = placeholder_spans(text)
    view = normalize(text, masks)
    assert len(view.starts) == len(view.ends) == len(view.text)
    prev = 0
    for i, ch in enumerate(view.text):
        s, e = view.starts[i], view.ends[i]
        assert 0 <= s < e <= len(text)
        assert s >= prev
        prev = s
        if ch == PLACEHOLDER and text[s:e] != PLACEHOLDER:  # the private-use character itself may be written
            assert (s, e) in masks
        else:
            assert ch in fold(text[s:e])


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200))
def test_cli_survives_arbitrary_bytes_on_stdin(data):
    r = CliRunner().invoke(main, ["check", "-"], input=data)
    assert r.exit_code in (0, 1, 2), r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)



@SETTINGS
@given(text=TEXT, data=st.data())
def test_word_search_finds_the_longest_word_at_each_start(text, data):
    """The word lists' automaton gives what the regex alternation it stands in for gives (longest
    alternative first, a match tried at every place). The words are mostly pieces of the text,
    overlapping and sharing starts, as a word list's 保证 and 保证金 do."""
    from replylint.matching.pattern import WordSearch

    piece = st.tuples(st.integers(0, len(text)), st.integers(1, 4)).map(lambda p: text[p[0] : p[0] + p[1]])
    words = data.draw(st.lists(st.one_of(piece, FRAGMENTS).filter(bool), min_size=1, max_size=12))
    search = WordSearch(words)
    expected = [m.span() for m in search.regex.finditer(text, overlapped=True)]
    assert search.spans(text, 1.0, "test") == expected


def _scope_by_loop(context, before: list[str]) -> bool:
    """``Context._in_negation_scope`` as a loop over every scope word, as it was written first."""
    for i, tok in enumerate(before):
        for verb in context.negated:
            if tok == verb:
                if context._hits(list(reversed(before[:i])), context.negation, reverse=True):
                    return True
            elif tok.endswith(verb) and tok[: -len(verb)] in context.negation:
                return True
    return False


def _bundled_contexts(wanted) -> list:
    """The bundled rules' contexts (word-list entries', patterns') that ``wanted`` says yes to."""
    from replylint.rules.kinds.pattern import Pattern
    from replylint.rules.kinds.wordlist import WordList

    found = {}
    for rule in LINTER.all_rules:
        kind = LINTER._compile(rule, "chat")
        contexts = []
        if isinstance(kind, WordList):
            contexts = [e.context for e in kind.entries.values()]
        elif isinstance(kind, Pattern):
            contexts = [p.context for p in kind.patterns]
        for c in contexts:
            if wanted(c):
                found[id(c)] = c
    return list(found.values())


SCOPED = _bundled_contexts(lambda c: c.negated and c.negation)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_negation_scope_by_glued_words_same_as_by_loop(data) -> None:
    """The negation scope reads glued words (无法保证) from a set made once per context, not by
    trying every scope word at every word of the clause: the same answer on clauses made of the
    bundled negations, scope words, both glued and other words."""
    assert SCOPED
    context = data.draw(st.sampled_from(SCOPED))
    negation, negated = sorted(context.negation), sorted(context.negated)
    word = st.one_of(
        st.sampled_from(negation), st.sampled_from(negated),
        st.builds(lambda n, v: n + v, st.sampled_from(negation), st.sampled_from(negated)),
        st.sampled_from(["我们", "一定", "能", "到", "的", "也", "还", "真的", "保", "证", "not", "x"]),
    )
    before = data.draw(st.lists(word, max_size=12))
    assert context._in_negation_scope(before) == _scope_by_loop(context, before)


@SETTINGS
@given(
    text=st.text(alphabet="ab 保证,", max_size=14),
    phrases=st.lists(st.text(alphabet="ab 保证,", min_size=1, max_size=5), min_size=1, max_size=4),
)
def test_an_exception_covers_a_span_exactly_where_it_stands_around_it(text, phrases):
    """``engine._inside_exception`` against every place of every phrase: a phrase covers a span
    when it occurs starting at or before it and ending at or after it."""
    from types import SimpleNamespace

    from replylint.engine import _inside_exception
    from replylint.text.draft import Draft

    draft = Draft(text)
    view = draft.view.text
    rule = SimpleNamespace(exceptions=tuple(phrases))
    for start in range(len(view) + 1):
        for end in range(start, len(view) + 1):
            expected = any(
                view.startswith(p, q) and q <= start and q + len(p) >= end for p in phrases for q in range(len(view))
            )
            assert _inside_exception(draft, rule, start, end) == expected, (view, phrases, start, end)


SPARING = _bundled_contexts(lambda c: c._before_phrases is not None or c._after_phrases is not None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_spared_clause_walk_would_have_found_nothing(data) -> None:
    """``Context`` skips the clause walk beside a match when no unless-before/after phrase can be
    in the sentence there (``_absent_before``/``_absent_after``). Whenever it says so, the walk's
    own test must indeed find nothing: on sentences made of the contexts' own phrases, their
    fillers, spaces, punctuation and other words, at every place."""
    from replylint.rules.context import NEAREST
    from replylint.text.draft import Draft

    assert SPARING
    context = data.draw(st.sampled_from(SPARING))
    pieces = sorted(context.before | context.after | context.skip | context.after_but) or ["x"]
    phrases = sorted(p for p in context.before | context.after if len(p) > 1)
    fillers = sorted(context.skip) or [" "]
    # A phrase with a filler inside it (不能 也 保证): the walk leaves the filler out.
    split = st.builds(
        lambda p, at, f: p[: 1 + at % (len(p) - 1)] + f + p[1 + at % (len(p) - 1) :],
        st.sampled_from(phrases or ["xy"]), st.integers(0, 20), st.sampled_from(fillers),
    )
    word = st.one_of(
        st.sampled_from(pieces), split,
        st.sampled_from(["我们", "您", "一定", "发货", "微信", "abc12", "shop", " ", "，", "。", "的", "a", "to"]),
    )
    text = "".join(data.draw(st.lists(word, min_size=1, max_size=10)))
    draft = Draft(text, "chat", None, segmenter=LINTER.segmenter)
    for pos in range(len(draft.view.text) + 1):
        if context._before_phrases is not None and context._absent_before(draft, pos):
            before = draft.clause_before(pos, context._reach[0])
            assert not context._hits(before[: -NEAREST - 1 : -1], context.before, reverse=True), (text, pos)
        if context._after_phrases is not None and context._absent_after(draft, pos):
            after = draft.clause_after(pos, context._reach[1])
            assert not context._hits(after[:NEAREST], context.after, reverse=False, but=context.after_but), (text, pos)


CLAUSAL = _bundled_contexts(lambda c: c._local)


# A context of every kind of clause test, with phrases that run past the clause's end (好，行).
_EVERY_TEST = None


def _every_test():
    global _EVERY_TEST
    if _EVERY_TEST is None:
        from replylint.rules.context import Context

        _EVERY_TEST = Context.from_params({
            "unless-before": ["不", "没有", "<number>", "you"], "unless-after": ["好，行", "了", "<end>", "ok"],
            "unless-after-but": ["吗"], "skip": ["也", "really"], "negation": ["不", "not"], "unless-negated": ["保证", "say"],
            "unless-question": True, "unless-clause": ["哦"], "unless-inside": ["定发"],
        }, None, list)
    return _EVERY_TEST


PREFIXES = ["", "亲，", "。", "\n", "我们不能", "you ", "3 ", "（", "好，"]
SUFFIXES = ["", "？", "吗？", "，", "。", "好，行", "好，不", "了吗", " ok.", "\n吗", ". Any", "哦"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_clause_judged_once_is_judged_as_anew(data) -> None:
    """A context judges a match's clause once for every match whose clause window
    (``Draft.clause_window``) reads the same. One clause set among other sentences, marks,
    spaces, line breaks and English, in every pairing of what comes before and after it: every
    remembered judgement equals the judgement made anew, at every span of the clause."""
    from replylint.rules.context import _JUDGED
    from replylint.text.draft import Draft

    assert CLAUSAL
    context = data.draw(st.one_of(st.just(_every_test()), st.sampled_from(CLAUSAL)))
    words = sorted(context.before | context.after | context.negation | context.negated | context.skip)[:40] or ["x"]
    piece = st.one_of(
        st.sampled_from(words),
        st.sampled_from(["我们", "保证", "一定", "发货", "吗", "？", "，", "、", " ", ".", "a", "you", "3", "不"]),
    )
    clause = "".join(data.draw(st.lists(piece, min_size=1, max_size=5)))
    _JUDGED.clear()
    for prefix in PREFIXES:
        for suffix in SUFFIXES:
            draft = Draft(prefix + clause + suffix, "chat", None, segmenter=LINTER.segmenter)
            lo = len(prefix)
            for start in range(lo, lo + len(clause)):
                for end in range(start + 1, min(lo + len(clause), start + 4) + 1):
                    assert context._in_clause(draft, start, end) == context._clause_blocks(draft, start, end), (draft.text, start, end)
