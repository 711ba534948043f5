"""The fast paths give exactly what the slow ones gave: tokens identical to jieba's (with the rules'
words added), the same findings, the same compact view, the same compiled patterns; plus the
cache files' fallbacks, --jobs and the progress bar."""
from __future__ import annotations

import io
import itertools
import json
import logging
import random
import re
import sys
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner
from reference_views import transform

import replylint
from replylint.app.cli import main
from replylint.app.parallel import _Failure
from replylint.app.progress import Progress
from replylint.engine import Linter
from replylint.errors import RuleTimeout
from replylint.matching import cache as regex_cache
from replylint.rules.kinds.identifier import Identifier, _scan_transform
from replylint.text import dictionary
from replylint.text.dictionary import JiebaTable, MappedTable, build, read_dictionary
from replylint.text.draft import Draft
from replylint.text.language import is_han
from replylint.text.tokenize import Segmenter

jieba = pytest.importorskip("jieba")
jieba.setLogLevel(logging.WARNING)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "benchmarks"))
from drafts import generate  # noqa: E402


class JiebaSegmenter:
    """The segmenter as it was before the mapped dictionary: jieba itself, same word-adding rule."""

    def __init__(self) -> None:
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        self._known: set[str] = set()

    def add_words(self, words) -> None:
        for word in words:
            if len(word) > 1 and word not in self._known:
                self._known.add(word)
                if not self._tokenizer.FREQ.get(word):
                    self._tokenizer.add_word(word, max(self._tokenizer.suggest_freq(word, False), 10))

    def cut(self, text: str) -> tuple[str, ...]:
        return tuple(self._tokenizer.cut(text))

    def cut_block(self, block: str) -> tuple[str, ...]:
        return tuple(self._tokenizer.cut(block))

    def block_ends(self, block: str) -> tuple[int, ...]:
        return tuple(itertools.accumulate(map(len, self._tokenizer.cut(block))))


def _every_kind(linter):
    """Every rule of ``linter`` compiled for every draft kind (a start compiles the other kinds only
    where a rule's [when.KIND] may change its words), by (rule id, draft kind)."""
    from replylint.engine import KINDS

    for rule in linter.all_rules:
        for kind in KINDS:
            linter._compile(rule, kind)
    return dict(linter._compiled)


def _texts() -> list[str]:
    texts = [t for t, _ in generate(300, seed=5)]
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        for path in sorted(seeds.glob("*.txt")):
            texts += path.read_text(encoding="utf-8").splitlines()
    real = SHARED / "realworld" / "real-replies.jsonl"
    if real.is_file():
        texts += [json.loads(line)["text"] for line in real.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [
        "加我威信一三八零零一三八零零零", "AT&T的c#课程3.5%折扣", "ｖｘ：ａｂｃ１２３", "  \r\n\t混合 spaces ",
        "這款絕對是正品，保證您滿意", "你到底想怎么样？？！", "", "a", "保证金", "保證書",
    ]
    return texts


@pytest.fixture(scope="module")
def rule_words() -> list[str]:
    """The words the bundled rules add, in the order the linter adds them."""
    words = list(Linter().segmenter.words)
    assert words, "the bundled rules add words to the dictionary"
    return words


@pytest.fixture(scope="module")
def reference(rule_words) -> JiebaSegmenter:
    ref = JiebaSegmenter()
    ref.add_words(rule_words)
    return ref


def test_tokens_match_jieba_with_the_rules_words(reference, rule_words):
    ours = Segmenter()
    ours.add_words(rule_words)
    texts = _texts()
    mismatches = [(t, reference.cut(t), ours.cut(t)) for t in texts if reference.cut(t) != ours.cut(t)]
    assert not mismatches[:3]
    assert len(texts) > 300
    assert ours._total == reference._tokenizer.total


def test_rules_words_stay_whole(rule_words):
    ours = Segmenter()
    ours.add_words(rule_words)
    assert "保证金" in ours.cut("请先缴纳保证金再发货")


def test_words_added_after_loading_take_effect():
    ours = Segmenter()
    assert ours.cut("我们的小蓝鲸号") != ("我们", "的", "小蓝鲸号")
    ours.add_words(["小蓝鲸号"])
    assert ours.cut("我们的小蓝鲸号") == ("我们", "的", "小蓝鲸号")


@pytest.mark.slow
def test_same_findings_as_with_jieba(monkeypatch, reference):
    import replylint.engine as linter_module

    texts = [(t, k) for t, k in generate(400, seed=11)]
    corpora = sorted((ROOT / "corpora").glob("*.jsonl"))
    for path in corpora:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                texts.append((case["text"], case.get("kind", "chat")))
    ours = Linter()
    ours_found = [ours.lint(t, kind=k) for t, k in texts]
    monkeypatch.setattr(linter_module, "segmenter_for", lambda words: reference)
    theirs = Linter()
    assert [theirs.lint(t, kind=k) for t, k in texts] == ours_found
    assert any(ours_found)


def test_mapped_table_holds_what_jieba_holds(reference):
    table = dictionary.open_table()
    assert isinstance(table, MappedTable)
    freq = jieba.Tokenizer()
    freq.initialize()
    sample = list(freq.FREQ.items())[::997] + [("不存在的词语啊", None), ("zzzq", None)]
    assert [(w, table.get(w)) for w, _ in sample] == [(w, freq.FREQ.get(w)) for w, _ in sample]
    assert table.total == freq.total
    start_p, trans_p, emit_p = table.hmm()
    from jieba import finalseg

    assert (start_p, trans_p) == (finalseg.start_P, finalseg.trans_P) and emit_p["B"] == finalseg.emit_P["B"]


def test_read_dictionary_follows_jieba(tmp_path):
    source = tmp_path / "dict.txt"
    source.write_text("保证金 30 n\n保证 100 v\n保证金 50 n\n", encoding="utf-8")
    freq, total = read_dictionary(source)
    assert freq == {"保证金": 50, "保": 0, "保证": 100}
    assert total == 180
    source.write_text("坏行\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        read_dictionary(source)


def test_table_built_from_a_small_dictionary(tmp_path):
    source = tmp_path / "dict.txt"
    source.write_text("微信 20 n\n微信号 5 n\n号码 8 n\n", encoding="utf-8")
    target = tmp_path / "cache" / "t.dict"
    build(source, target)
    table = MappedTable(target)
    assert (table.get("微信号"), table.get("微"), table.get("号码"), table.get("码"), table.total) == (5, 0, 8, None, 33)
    assert not list((tmp_path / "cache").glob(".build-*"))  # no temporary file left behind


def test_damaged_table_is_rejected(tmp_path):
    bad = tmp_path / "bad.dict"
    bad.write_bytes(b"RLDICT03" + b"\0" * 10)
    with pytest.raises(ValueError):
        MappedTable(bad)


@pytest.mark.slow
def test_unwritable_cache_falls_back_to_jieba(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(blocker / "sub"))
    table = dictionary.open_table()
    assert isinstance(table, JiebaTable)
    seg = Segmenter(lambda: table)
    assert seg.cut("我们保证明天发货") == tuple(jieba.Tokenizer().cut("我们保证明天发货"))


def test_pattern_cache_keeps_plain_data_and_defers_known_patterns(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex_cache, "_stored", None)
    monkeypatch.setattr(regex_cache, "_used", {})
    monkeypatch.setattr(regex_cache, "_live", {})
    source = r"(?<!\d)(?P<hit>1[3-9]\d{9})(?!\d)|加我(?:微信|vx)"
    flags = regex.VERSION1 | regex.IGNORECASE
    first = regex_cache.compile(source, flags)
    needs = regex_cache.needs(source, flags)
    regex_cache.save()
    [path] = tmp_path.glob("patterns-*")
    entries = regex_cache.decode_cache(path.read_bytes())
    assert entries[(source, int(flags), "compiles", 0)] is True
    assert all(isinstance(v, (bool, int, str, tuple)) for v in entries.values())  # no compiled code kept
    monkeypatch.setattr(regex_cache, "_stored", None)
    monkeypatch.setattr(regex_cache, "_live", {})  # a new process
    again = regex_cache.deferred(source, flags)()
    assert isinstance(again, regex_cache.LazyPattern)  # known to compile: compiled at first use
    text = "电话13800138000，加我VX"
    assert [m.span() for m in again.finditer(text)] == [m.span() for m in first.finditer(text)]
    assert regex_cache.needs(source, flags) == needs
    with pytest.raises(regex.error):
        regex_cache.compile("(unclosed", 0)


def test_compact_view_steps_same_as_transform():
    """Each step of the identifier kind's compact view, by scanning, equals ``normalize.transform``."""
    linter = Linter()
    kinds = [k for (rule, kind), k in linter._compiled.items() if isinstance(k, Identifier) and kind == "chat"]
    assert kinds
    texts = _texts()[:600] + ["微 信：abc-123", "V  信 ① ③ 8", "加我薇信一三八-零零一三·八零零零", "--  ..、、", "微❤️号",
                              "a,b", "a,,b", "1 2", "微 ,信", ", 微", "微 ,", " ", "a - b", "你好，。世界"]

    def same(a, b) -> bool:
        return (a.text, list(a.starts), list(a.ends), a.original_length) == (b.text, list(b.starts), list(b.ends), b.original_length)

    for kind in kinds:
        runs, keys = kind._scanners
        seps = kind.separators
        for text in texts:
            base = Draft(text).view
            squeezed = transform(base, drop=lambda p, c, n: c in seps and n in seps)
            got, expected = kind._without_separators(base, runs), transform(squeezed, drop=kind._drop)
            # Spans first: an excerpt maps them through its stretches, before any array is built.
            n = len(got.text)
            spans = [(a, b) for a in range(n + 1) for b in {a, min(a + 1, n), min(a + 3, n), n} if b >= a]
            assert [got.span(a, b) for a, b in spans] == [expected.span(a, b) for a, b in spans], text
            assert same(got, expected), text
            assert same(_scan_transform(base, keys, lambda p, c, n: False, kind.table), transform(base, table=kind.table)), text


def test_compact_view_fast_table_step_same_as_transform():
    """The compact view built with the translate shortcut (one-character keys only) equals the three
    steps of ``normalize.transform``, and is the base view itself when nothing changes."""
    linter = Linter()
    kinds = [k for (rule, kind), k in linter._compiled.items() if isinstance(k, Identifier) and kind == "chat"]
    assert kinds
    texts = _texts()[:600] + ["一二三", "〇〇七 幺 两", "零零一三八", "abc", "加卫星一二三", "+v 一三八", "🛰一", "，，一，"]

    def same(a, b) -> bool:
        return (a.text, list(a.starts), list(a.ends), a.original_length) == (b.text, list(b.starts), list(b.ends), b.original_length)

    fast_paths = 0
    for kind in kinds:
        seps = kind.separators
        multi, _, _ = kind._table_steps
        for text in texts:
            draft = Draft(text)
            expected = transform(
                transform(transform(draft.view, drop=lambda p, c, n: c in seps and n in seps), drop=kind._drop),
                table=kind.table,
            )
            got = kind.view_of(draft, "compact")
            assert same(got, expected), text
            fast_paths += multi.search(got.text) is None
            if seps.isdisjoint(draft.view.text) and not any(k in draft.view.text for k in kind.table):
                assert got is draft.view, text
    assert fast_paths > 100  # the shortcut is exercised, not only the scan


def test_boundaries_from_blocks_same_as_from_whole_sentences(rule_words):
    """``Draft.is_boundary`` cuts only the block holding the position; it must agree with the tokens
    of the whole sentence at every position, and ``cut`` (by cached blocks) with jieba's whole cut."""
    seg = Segmenter()
    seg.add_words(rule_words)
    texts = _texts()[:400] + ["abc\r\n保证，a.b 2.5%的\r\n\r\n好", "", "。", "保证\r\n", "亲~~我们 ok。"]
    for text in texts:
        assert seg.cut(text) == tuple(seg._cut(text, hmm=True)), text
        draft = Draft(text)
        for s, e in draft.sentences:
            starts = {t.start for t in draft.tokens(s)}
            for pos in range(s, e + 1):
                assert draft.is_boundary(pos) == (pos in (s, e) or pos in starts), (text, pos)


def _clause_by_sentence(draft: Draft, pos: int, limit: int, forward: bool) -> list[str]:
    """``clause_before`` / ``clause_after`` from the tokens of the whole sentence, as they were
    worked out before only the blocks walked through were cut."""
    tokens = draft.tokens(pos)
    if not tokens:
        return []
    text, s, e = draft.view.text, tokens[0].start, tokens[-1].end

    def breaks(i: int) -> bool:
        word = tokens[i].text
        if not regex.fullmatch(r"[\s，,、；;：:。.！!？?～~…—()（）「」『』“”\"《》【】\[\]]+", word):
            return False
        if not word.isspace():
            return True
        prev, nxt = (text[tokens[i].start - 1] if i else ""), (text[tokens[i].end] if tokens[i].end < e else "")
        return not prev or not nxt or is_han(prev) or is_han(nxt)

    order = [i for i, t in enumerate(tokens) if t.start >= pos] if forward else [i for i, t in enumerate(tokens) if t.end <= pos][::-1]
    out: list[str] = []
    for i in order:
        if breaks(i) or len(out) >= limit:
            break
        if not tokens[i].text.isspace():
            out.append(tokens[i].text)
    assert s <= pos <= e
    return out if forward else out[::-1]


def test_clauses_from_blocks_same_as_from_whole_sentences(rule_words):
    """``clause_before`` / ``clause_after`` cut only the blocks they walk through; at every position
    of every sentence, and for short and long limits, they give the words the whole sentence's
    tokens give (spaces between English words and beside Chinese, \r\n pairs, dots in blocks)."""
    texts = _texts()[:400] + [
        "abc\r\n保证，a.b 2.5%的\r\n\r\n好", "", "。", "保证\r\n", "亲~~我们 ok。", "we can't  guarantee it. 一定 能到",
        "\r\r\n\r好 \r\n", "a.b.c d", " 开头有空格，结尾也有 ", "ok;\n好", "你好\r", "hello world 你好 world",
    ]
    checked = 0
    for text in texts:
        draft = Draft(text)
        for s, e in draft.sentences:
            for pos in range(s, e + 1):
                for limit in (1, 3, 8, 64):
                    assert draft.clause_before(pos, limit) == _clause_by_sentence(draft, pos, limit, False), (text, pos, limit)
                    assert draft.clause_after(pos, limit) == _clause_by_sentence(draft, pos, limit, True), (text, pos, limit)
                    checked += 1
    assert checked > 10_000


def test_jobs_give_the_same_report(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    for i, (text, _) in enumerate(generate(70, seed=3)):
        (folder / f"d{i:03d}.txt").write_text(text, encoding="utf-8")
    runner = CliRunner()
    one = runner.invoke(main, ["check", "--format", "json", str(folder)])
    two = runner.invoke(main, ["check", "--format", "json", "-j", "2", str(folder)])
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    bad = runner.invoke(main, ["check", "-j", "-1", str(folder)])
    assert bad.exit_code == 2


def test_worker_errors_come_back_as_user_errors():
    err = _Failure(RuleTimeout("contact-leak", 1.0)).rebuild()
    assert isinstance(err, RuleTimeout) and "contact-leak" in str(err)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_after_a_delay():
    now = [0.0]
    stream = _Terminal()
    bar = Progress(4, stream, delay=2.0, clock=lambda: now[0])
    bar.advance()
    assert stream.getvalue() == ""
    now[0] = 3.0
    bar.advance()
    assert "2/4 files" in stream.getvalue() and "#" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")
    quiet = io.StringIO()
    bar = Progress.on_terminal(4, quiet)
    now[0] = 100.0
    bar.advance(4)
    bar.close()
    assert quiet.getvalue() == ""


def test_lint_still_reports_positions():
    found = replylint.lint("亲，我们保证明天发货")
    assert [(d.rule, d.column, d.end_column) for d in found] == [("absolute-promise", 5, 7)]


# -- the patterns' pre-check (prefilter.py) and the one-pass normalised view ---------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from replylint.matching import prefilter  # noqa: E402
from replylint.matching.gate import CLAUSES
from replylint.rules.kinds.pattern import Pattern  # noqa: E402
from replylint.text import normalize as normalize_module  # noqa: E402

_FLAGS = regex.VERSION1 | regex.IGNORECASE
_TRICKY = "aAbBsSßẞſkKKiIİıfﬁ你您们是错1１２٣ 。，\n"


def _sets(pattern: str, flags: int) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(c) for c in prefilter.required(pattern, flags))


_atoms = st.sampled_from(
    ["a", "b", "s", "ss", "ß", "k", "K", "i", "İ", "fi", "ﬁ", "你", "您", "错", "1", ".", r"\d", r"\w", "[ab]",
     "[^a]", "[a-c]", "[你您]", r"\p{Han}", "(?<!a)", "(?=b)", "(?i:S)", "(?-i:s)", r"\b", "^", "$", "(?:ab){e<=1}"]
)
_patterns = st.recursive(
    _atoms,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
        # No repeat over fuzzy matching: regex gives up on ((?:ab){e<=1})* with MemoryError.
        st.tuples(inner.filter(lambda x: "{e" not in x), st.sampled_from(["?", "*", "+", "{2}", "{0,2}", "+?", "{1,3}"])).map(
            lambda t: f"(?:{t[0]}){t[1]}"
        ),
        inner.map(lambda x: f"(?P<hit>{x})"),
    ),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_patterns, st.lists(st.text(alphabet=_TRICKY, max_size=12), min_size=1, max_size=6), st.booleans())
def test_pre_check_never_skips_a_pattern_that_matches(pattern, texts, ignore_case):
    flags = _FLAGS if ignore_case else regex.VERSION1
    compiled = regex.compile(pattern, flags)
    needs = _sets(pattern, flags)
    for text in texts:
        if compiled.search(text):
            assert prefilter.may_match(needs, prefilter.text_chars(text)), (pattern, text, needs)


def test_pre_check_reads_patterns_as_the_engine_does():
    assert _sets("你.{0,3}错", _FLAGS) == (frozenset("你"), frozenset("错"))
    assert _sets("(?:你|您)们?", _FLAGS) == (frozenset("你您"),)
    assert _sets("ß", _FLAGS) == (frozenset("sßS"),)  # full case folding: ß matches "SS"
    assert _sets("ß", regex.VERSION1) == (frozenset("ß"),)
    for unsure in ["a?", "(?:ab){e<=1}", r"\p{Han}+", "(?<=a)b|c?", "[^a]", r"(?:a)?\w", "[[a-z]--[aeiou]]", r"\L<x>"]:
        assert _sets(unsure, _FLAGS) == (), unsure
    assert _sets("(?<=a)b", _FLAGS) == (frozenset("bB"),)
    assert _sets("(?-i:b)", _FLAGS) == (frozenset("b"),)
    assert _sets("(unclosed", _FLAGS) == ()
    assert prefilter.may_match(_sets("SS", _FLAGS), prefilter.text_chars("straße"))
    assert prefilter.may_match(_sets("k", _FLAGS), prefilter.text_chars("\u212a"))  # Kelvin sign
    assert not prefilter.may_match(_sets("你.{0,3}错", _FLAGS), prefilter.text_chars("您搞错了"))


@pytest.mark.slow
def test_case_folded_keys_cover_every_character_the_engine_matches():
    """For every literal of the bundled rules' patterns, every ASCII letter and the characters with
    odd case folding, each code point the engine matches case-insensitively has one of its keys."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    literals = set("abcdefghijklmnopqrstuvwxyz0123456789") | set(_TRICKY) | set("ǅǈΣσςθϑΩΩÅÅ")
    for kind in _every_kind(Linter()).values():
        if isinstance(kind, Pattern):
            literals.update(ch for p in kind.patterns for clause in p.pattern.needs for ch in clause)
    for ch in sorted(literals):
        keys = prefilter._keys(ch, regex.IGNORECASE)
        for m in regex.finditer(regex.escape(ch), everything, _FLAGS):
            assert not keys.isdisjoint(prefilter.text_chars(m.group())), (ch, m.group())


@pytest.mark.slow
def test_rule_patterns_skipped_only_where_they_cannot_match():
    linter = Linter()
    texts = [(t, k) for t, k in generate(250, seed=21)] + [(t, "chat") for t in _texts()]
    for path in sorted((ROOT / "corpora").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                texts.append((case["text"], case.get("kind", "chat")))
    for rule in linter.all_rules:
        for example in (*rule.bad, *rule.good):
            texts.append((example.text, example.kind or "chat"))
    skipped = ran = 0
    for (rule_id, kind_name), kind in _every_kind(linter).items():
        if not isinstance(kind, Pattern):
            continue
        for text, kind_of_text in texts:
            if kind_of_text != kind_name:
                continue
            draft = Draft(text, kind_of_text)
            for p in kind.patterns:
                view = kind.view_of(draft, p.view)
                possible = prefilter.may_match(p.pattern.needs, draft.chars(view))
                pairs = draft.pairs(view)
                if p.pattern.pairs and pairs is not None and any(map(pairs.isdisjoint, p.pattern.pairs)):
                    possible = False
                bound = prefilter.may_match(p.pattern.needs, kind.view_chars(Draft(text, kind_of_text), p.view))
                if p.pattern.regex.search(view.text):
                    assert possible and bound, (rule_id, p.pattern.regex.pattern[:60], text)
                skipped += not possible
                ran += possible
    assert skipped > ran  # most patterns are not run on most drafts


_PAIR_TEXT = "你您们先就也千万别错了是的好不会aA1 ，。\n"
_pair_atoms = st.sampled_from(
    ["你", "您", "们", "先", "就", "千万", "别", "错", "了", "是的", "[你您]", "[先-就]", "a", r"\d", ".", r"\p{Han}",
     "(?<!你)", "(?=先)", r"\b", "(?:你们){e<=1}", "(?i:A)", "[^你]"]
)
_pair_patterns = st.recursive(
    _pair_atoms,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
        st.tuples(inner, st.sampled_from(["?", "*", "+", "{2}", "{0,2}", "{1,3}", "{2,5}", "++", "{1,2}?"])).map(
            lambda t: f"(?:{t[0]}){t[1]}"
        ),
        inner.map(lambda x: f"(?P<hit>{x})"),
        inner.map(lambda x: f"(?>{x})"),
    ),
    max_leaves=8,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pair_patterns, st.lists(st.text(alphabet=_PAIR_TEXT, max_size=14), min_size=1, max_size=6), st.booleans())
def test_pair_pre_check_never_skips_a_pattern_that_matches(pattern, texts, ignore_case):
    flags = _FLAGS if ignore_case else regex.VERSION1
    compiled = regex.compile(pattern, flags)
    clauses = tuple(prefilter.split_pairs(c) for c in prefilter.required_pairs(pattern, flags))
    for text in texts:
        try:
            found = compiled.search(text, timeout=1)
        except (MemoryError, TimeoutError):  # regex's own limit on a pathological generated pattern
            continue
        if found:
            pairs = prefilter.text_pairs(text)
            assert not any(map(pairs.isdisjoint, clauses)), (pattern, text, clauses)


def test_pair_pre_check_reads_runs_of_han_characters():
    def pairs(pattern: str) -> list[frozenset[str]]:
        return [prefilter.split_pairs(c) for c in prefilter.required_pairs(pattern, _FLAGS)]

    assert pairs("(?:你|您)们?(?:先|就)") == [
        frozenset({"你先", "你就", "您先", "您就", "们先", "们就"}),
        frozenset({"你先", "你就", "您先", "您就", "你们", "您们"}),
    ]
    assert pairs("千万别") == [frozenset({"万别"}), frozenset({"千万"})]
    assert pairs("你.错") == []  # nothing certain stands next to anything
    assert pairs("(?:你|您)们?") == []  # may match one character
    assert pairs("ab|你们") == []  # Latin letters have case: no pairs read from them
    assert pairs("(?:你们){e<=1}") == []  # fuzzy: not read at all
    assert pairs("你们|您们") == [frozenset({"你们", "您们"})]
    assert pairs("(?<!不)(?:你们|您们)[a-z]+错了") == [frozenset({"错了"}), frozenset({"你们", "您们"})]
    assert prefilter.text_pairs("x" * (prefilter.PAIRS_LIMIT + 1)) is None


def test_detect_language_same_as_character_by_character():
    from replylint.text import language

    def reference(text: str) -> str:
        han = latin = trad = simp = 0
        for ch in text:
            if language.is_han(ch):
                han += 1
                if ch in language._t2s():
                    trad += 1
                elif ch in language._simplified_only():
                    simp += 1
            elif ch.isascii() and ch.isalpha():
                latin += 1
        if han == 0 or latin > 3 * han:
            return "en" if latin else "zh-Hans"
        return "zh-Hant" if trad > simp else "zh-Hans"

    rng = random.Random(5)
    trad = "".join(sorted(language._t2s()))[:300]
    simp = "".join(sorted(language._simplified_only()))[:300]
    pool = "亲您好 abcXYZ 123，。!\u3400\U00020001\uf900éÀΩ" + trad + simp
    texts = [t for t, _ in generate(200, seed=8)] + _texts()
    texts += ["".join(rng.choice(pool) for _ in range(rng.randrange(0, 60))) for _ in range(3000)]
    for text in texts:
        assert language.detect_language(text) == reference(text), text
        assert language.messages_for(text) == language.message_language(reference(text)), text


def _reference_normalize(text, masks=(), removed=()):
    """The view as built before the one-pass version: one piece per character."""
    masked = sorted([(s, e, normalize_module.PLACEHOLDER) for s, e in masks] + [(s, e, "") for s, e in removed])
    pieces = []
    i = m = 0
    while i < len(text):
        if m < len(masked) and masked[m][0] <= i:
            s, e, stand_in = masked[m]
            m += 1
            if e > i:
                pieces.append((stand_in, i, e))
                i = e
            continue
        ch = text[i]
        pieces.append((ch if ch.isascii() and not ch.isupper() else normalize_module.fold_char(ch), i, i + 1))
        i += 1
    out, starts, ends = [], [], []
    for piece, s, e in pieces:
        for ch in piece:
            out.append(ch)
            starts.append(s)
            ends.append(e)
    return "".join(out), starts, ends


_VIEW_CHARS = "aZ你們說ＡＢ１①㍿ﬁİß\u200b\ufeff\u00ad’ 。\n{}"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_VIEW_CHARS, max_size=30), st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)), max_size=3),
       st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)), max_size=2))
def test_one_pass_view_equals_the_character_by_character_view(text, masks, removed):
    masks = [(s, min(s + n, len(text))) for s, n in masks if s < len(text)]
    removed = [(s, min(s + n, len(text))) for s, n in removed if s < len(text)]
    view = normalize_module.normalize(text, masks, removed)
    assert (view.text, list(view.starts), list(view.ends)) == _reference_normalize(text, masks, removed)


# -- issue 5, fourth round: first-character look-ahead, alternatives, digit runs ----------------


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pair_patterns, st.lists(st.text(alphabet=_PAIR_TEXT, max_size=14), min_size=1, max_size=6), st.booleans())
def test_first_character_look_ahead_finds_the_same_matches(pattern, texts, ignore_case):
    flags = _FLAGS if ignore_case else regex.VERSION1
    chars = prefilter.first_chars(pattern, flags)
    if not chars:
        return
    plain, scanning = regex.compile(pattern, flags), regex.compile(f"(?=[{chars}])" + pattern, flags)
    assert scanning.groupindex == plain.groupindex
    for text in texts:
        try:
            expected = [(m.span(), m.groups()) for m in plain.finditer(text, timeout=1)]
        except (MemoryError, TimeoutError):
            continue
        assert [(m.span(), m.groups()) for m in scanning.finditer(text)] == expected, (pattern, text)


def test_first_characters_only_when_certain():
    assert prefilter.first_chars("(?<![给帮])(?:你|您)们?(?:别|不要)", _FLAGS) == "你您"
    assert prefilter.first_chars("(?:^|(?<=[，。]))(?:亲[,，]*)?(?:先|就)?赶紧", _FLAGS) == "亲先就赶"
    for unsure in ["你?", "a你", r"\p{Han}你", "(?:你|a)", "(?x)你 们", "你|", r"(?:你){e<=1}", r"\K你", "(unclosed"]:
        assert prefilter.first_chars(unsure, _FLAGS) == "", unsure


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_patterns, min_size=2, max_size=4), st.lists(st.text(alphabet=_TRICKY, max_size=12), min_size=1, max_size=6))
def test_alternatives_pre_check_never_skips_a_pattern_that_matches(branches, texts):
    pattern = "|".join(branches)
    compiled = regex.compile(pattern, _FLAGS)
    alternatives = [tuple(frozenset(c) for c in alt) for alt in prefilter.required_alternatives(pattern, _FLAGS)]
    for text in texts:
        if compiled.search(text) and alternatives:
            chars = prefilter.text_chars(text)
            assert any(prefilter.may_match(alt, chars) for alt in alternatives), (pattern, text, alternatives)


def test_alternatives_are_read_per_branch():
    alts = prefilter.required_alternatives("(?:加|添加)(?:我)*(?<hit>v|[微薇])|(?<hit>v我)|扣我", _FLAGS)
    assert [sorted(map(frozenset, a), key=sorted) for a in alts] == [
        sorted([frozenset("加添"), frozenset("vV微薇")], key=sorted),
        sorted([frozenset("vV"), frozenset("我")], key=sorted),
        sorted([frozenset("扣"), frozenset("我")], key=sorted),
    ]
    assert prefilter.required_alternatives("你|a?", _FLAGS) == ()  # one alternative is certain of nothing
    assert prefilter.required_alternatives("你们", _FLAGS) == ()


_digit_atoms = st.sampled_from(["1", "0", r"\d", "[0-9]", "[3-9]", "a", "-", "(?<!\\d)", "(?!\\d)", r"\b", "\\s", "[a1]", "."])
_digit_patterns = st.recursive(
    _digit_atoms,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=5).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
        st.tuples(inner, st.sampled_from(["?", "*", "+", "{2}", "{0,2}", "{3}", "{1,3}", "{2,}"])).map(lambda t: f"(?:{t[0]}){t[1]}"),
    ),
    max_leaves=10,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_digit_patterns, st.lists(st.text(alphabet="0123456789١a- ", max_size=16), min_size=1, max_size=6))
def test_digit_run_is_held_by_every_match(pattern, texts):
    need = prefilter.digit_run(pattern, _FLAGS)
    compiled = regex.compile(pattern, _FLAGS)
    for text in texts:
        for m in compiled.finditer(text):
            longest = max((len(r) for r in regex.findall(r"\d+", m.group())), default=0)
            assert longest >= need, (pattern, text, m.group(), need)


def test_digit_runs_of_phone_patterns():
    assert prefilter.digit_run(r"(?<!\d)(?:(?:\+|加)?86)?1[3-9]\d{9}(?!\d)", _FLAGS) == 11
    assert prefilter.digit_run(r"(?:(?:\+|加)886|0)9\d{8}", _FLAGS) == 10  # both branches end in a digit
    assert prefilter.digit_run(r"\d?\d|12?3", _FLAGS) == 1
    assert prefilter.digit_run(r"(?:\d\d)*x", _FLAGS) == 0


@pytest.mark.slow
def test_rule_gates_skip_only_patterns_that_cannot_match():
    """The rule gate (characters, alternatives) and the identifier's digit-run check, without
    building any view, against every pattern's own search of its view."""
    linter = Linter()
    texts = [(t, k) for t, k in generate(200, seed=33)] + [(t, "chat") for t in _texts()]
    texts += [("加我V信一三八 零零一三 八零零零", "chat"), ("电话 138-0013-8000 微 信", "chat"), ("扣我123456", "chat")]
    for path in sorted((ROOT / "corpora").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                texts.append((case["text"], case.get("kind", "chat")))
    skipped = 0
    for (_, kind_name), kind in _every_kind(linter).items():
        if not isinstance(kind, Pattern):
            continue
        gate = kind._gate
        for text, kind_of_text in texts:
            if kind_of_text != kind_name:
                continue
            fresh = Draft(text, kind_of_text)
            met = 0
            for name in gate.views:
                bits = CLAUSES._tables[name][0]
                for ch in kind.view_chars(fresh, name):
                    met |= bits.get(ch, 0)
            passing = set(gate.passing(met))
            blocked = {i for i, p in enumerate(kind.patterns) if p.view != "normalized" and kind.cannot_match(fresh, p)}
            draft = Draft(text, kind_of_text)
            for i, p in enumerate(kind.patterns):
                if p.pattern.regex.search(kind.view_of(draft, p.view).text):
                    assert i in passing and i not in blocked, (kind.rule.id, i, text)
                skipped += i not in passing or i in blocked
            for name in gate.views:  # the answer told before the view was built stands after it
                told = kind.view_chars(fresh, name)
                kind.view_of(fresh, name)
                assert kind.view_chars(fresh, name) is told, (kind.rule.id, text)
    assert skipped


@pytest.mark.parametrize(
    "text, longest",
    [
        ("加我V信一三八 零零一三 八零零零", 11),  # look-alikes and separators: eleven digits
        ("电话一三八-零零一三-八零零", 10),
        ("电话 138-0013-800，谢谢", 10),
        ("订单 12345 已发出 67890", 5),  # two stretches, neither long enough for any phone pattern
        ("您好，一定会尽快处理", 1),
        # Beyond the Basic Multilingual Plane every character counts as a digit, so the stretch
        # may be found longer than it is, never shorter (an emoji amid digits; Kawi digits, which
        # a newer regex may know as digits and an older Python not).
        ("电话138😊0013 8000", 12),  # the emoji counted: the patterns see eight digits in a row
        ("电话\U00011f51\U00011f53\U00011f58\U00011f50\U00011f50\U00011f51\U00011f53\U00011f58\U00011f50\U00011f50\U00011f50", 11),
    ],
)
def test_digit_run_check_counts_the_longest_stretch(text, longest):
    """A phone pattern needing more digits than the draft's longest stretch holds is skipped, the
    others are not, whether the short search for the fewest digits rules the draft out or not."""
    linter = Linter()
    kind = linter._compile(next(r for r in linter.all_rules if r.id == "contact-leak"), "chat")
    phones = [p for p in kind.patterns if p.view == "compact" and p.pattern.digits]
    assert {p.pattern.digits for p in phones} == {10, 11}
    draft = Draft(text)
    for p in phones:
        assert kind._too_few_digits(draft, p) is (longest < p.pattern.digits), (text, p.pattern.digits)


@pytest.mark.parametrize(
    "text, searched",
    [
        ("电话13800138000", True),
        ("电话１３８００１３８０００", True),  # full-width digits, folded in the view
        ("电话1380013800，还有3", False),  # ten in a row at most
        ("We guarantee delivery by Friday.", False),
    ],
)
def test_a_pattern_is_not_searched_without_its_run_of_digits(text, searched):
    """The seam's digit pre-check (``RulePattern.digits_met``): a pattern every match of which
    holds eleven digits in a row is searched only in a view holding such a run."""
    from replylint.matching.pattern import RulePattern

    phone = RulePattern(r"(?<!\d)1[3-9]\d{9}(?!\d)", "test")
    assert phone.digits == 11
    draft = Draft(text)
    assert phone.may_match(draft, draft.view) is searched
    assert bool(phone.matches(draft.view.text, 1.0, "test")) is searched
    assert RulePattern(r"\w+", "test").may_match(draft, draft.view)  # no digits needed: no digit check


def test_stdlib_and_regex_digits_agree_in_the_basic_plane():
    """The digit-run check searches with stdlib ``re``; the rule patterns use ``regex``. Their
    ``\\d`` must be the same characters wherever the check trusts it (below U+10000)."""
    plane = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert set(re.findall(r"\d", plane)) == set(regex.findall(r"\d", plane, flags=regex_cache.RULE_FLAGS))


def test_word_list_entry_patterns_skipped_only_where_they_cannot_match():
    """A word list's entry patterns get the pattern kind's pre-checks (characters, pairs): one
    skipped never matches its draft."""
    from replylint.rules.kinds.wordlist import WordList

    linter = Linter()
    texts = [t for t, _ in generate(300, seed=44)] + _texts()
    texts += [
        "This is the best product in the world, hands down.", "THE CHEAPEST PRICE ON THE MARKET",
        "全网最低价", "怎么洗都不会坏", "一辈子都穿不坏", "准能给您", "包您满意", "the No. 1 seller anywhere",
    ]
    for rule in linter.all_rules:
        texts += [e.text for e in (*rule.bad, *rule.good)]
    ran = skipped = 0
    for kind in _every_kind(linter).values():
        if not isinstance(kind, WordList):
            continue
        for text in texts:
            draft = Draft(text)
            for _, p in kind._patterns:
                possible = p.may_match(draft, draft.view)
                if p.regex.search(draft.view.text):
                    assert possible, (p.source[:60], text)
                ran += possible
                skipped += not possible
    assert skipped > ran


def test_deferred_patterns_compiled_on_first_use_only(monkeypatch):
    """A rule pattern known to compile is compiled when it first runs (a start needs few of them),
    and an invalid pattern still fails when the rule is loaded."""
    source = "(?:你们|您们)先退(?:货|款)"
    flags = regex.VERSION1 | regex.IGNORECASE
    regex_cache.compile(source, flags)
    monkeypatch.setattr(regex_cache, "_live", {})
    loads = []
    real = regex_cache.regex.compile
    monkeypatch.setattr(regex_cache.regex, "compile", lambda *a: loads.append(a[0]) or real(*a))
    load = regex_cache.deferred(source, flags)
    assert loads == []
    first = load()
    assert loads == [source] and load() is first
    assert [m.span() for m in first.finditer("请你们先退货")] == [(1, 6)]
    with pytest.raises(regex.error):
        regex_cache.deferred("(unclosed", flags)


def test_fold_by_translate_same_as_per_character():
    """``context.fold`` (one ``str.translate``) gives what folding each character did."""
    from replylint.rules.context import fold
    from replylint.text.normalize import fold_char

    rng = random.Random(8)
    alphabet = "AbZ Σσςß İıﬁ﹏Ｖｖ１①你們臺灣\u200b\u00ad’´K\u212aÅ" + "".join(chr(c) for c in range(0x20, 0x250))
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 10)))
        expected = "".join(fold_char(c) if not (c.isascii() and not c.isupper()) else c for c in text)
        assert fold(text) == expected, text


def test_language_worked_out_only_when_asked():
    from replylint.text.language import detect_language, is_han

    for text, _ in generate(200, seed=12):
        draft = Draft(text)
        assert draft._lang is None and draft.lang == detect_language(text)
    assert Draft("Dear customer, we guarantee it", lang="zh-Hant").lang == "zh-Hant"
    linter = Linter()
    english = linter.lint("We guarantee delivery tomorrow, 100% guaranteed.")
    chinese = linter.lint("我们保证明天一定发货")
    assert english and not any(map(is_han, english[0].message))  # messages in the draft's language
    assert chinese and any(map(is_han, chinese[0].message))


# -- issue 5, sixth round: starting search, relevant pairs, context look-ups, suggestions ----------

from replylint.engine import _in_script_of  # noqa: E402
from replylint.rules import context as context_module  # noqa: E402


def test_relevant_pairs_meet_exactly_the_clauses_all_pairs_meet():
    linter = Linter()
    clauses = [c for kind in _every_kind(linter).values() for p in getattr(kind, "patterns", ()) for c in p.pattern.pairs]
    assert clauses
    for text in [t for t, _ in generate(150, seed=62)] + _texts()[:300] + ["你们\n先别", "x" * 10]:
        every, relevant = prefilter.text_pairs(text), prefilter.relevant_pairs(text)
        assert relevant <= every
        for clause in clauses:
            assert clause.isdisjoint(every) == clause.isdisjoint(relevant), text


def test_draft_pairs_collected_again_when_a_clause_brings_a_new_first_character():
    draft = Draft("㐀㐁 and more")
    before = draft.pairs(draft.view)
    prefilter.register_pairs([frozenset({"㐀㐁"})])
    after = draft.pairs(draft.view)
    assert "㐀㐁" in after and "㐀㐁" not in before


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="你们先别a b.*(|\\", max_size=12), st.lists(st.text(alphabet="你们先别a b.*(|\\", max_size=4), min_size=1, max_size=8))
def test_context_look_ups_equal_the_word_by_word_tests(text, words):
    phrases, wordset = tuple(words), frozenset(words)
    assert bool(context_module._any_of(phrases).search(text)) == any(p in text for p in phrases)
    for pos in range(len(text) + 1):
        assert context_module._starts_with_any(text, pos, wordset) == any(text.startswith(w, pos) for w in wordset)


def test_suggestions_in_the_script_of_the_match():
    both = ("请稍等", "Please wait", "麻烦您 check", "OK")
    assert _in_script_of("保证", both) == ("请稍等", "麻烦您 check")
    assert _in_script_of("promise", both) == ("Please wait", "OK")
    assert _in_script_of("保证", ("Please wait",)) == ("Please wait",)
    assert _in_script_of("promise", ["请稍等"]) == ("请稍等",)


def test_a_linter_compiles_other_draft_kinds_only_for_their_own_words(tmp_path):
    """A start compiles each rule for the first draft kind, and for another only where its
    [when.KIND] table may change its words: the segmenter has the words of every kind all the same
    (an e-mail-only word of a team rule among them), in the order compiling every kind gives."""
    from rulefile import write_rule

    from replylint import Config, Linter
    from replylint.engine import KINDS

    write_rule(
        tmp_path / "r", "team-words", "wordlist",
        '[[entries]]\nwords = ["闪电发货"]\n[[when.email.entries]]\nwords = ["邮件专用词"]\n',
    )
    linter = Linter(Config(rule_paths=(tmp_path / "r",)))
    compiled = set(linter._compiled)
    assert ("team-words", "email") in compiled
    plain = {(r.id, KINDS[1]) for r in linter.all_rules if not r.when}
    assert len(plain) > 10 and not plain & compiled
    every: dict[str, None] = {}
    for rule in linter.all_rules:
        for kind in KINDS:
            every.update(dict.fromkeys(linter._compile(rule, kind).words()))
    assert linter.segmenter.words == tuple(w for w in every if len(w) > 1)
    assert "邮件专用词" in linter.segmenter.words and "闪电发货" in linter.segmenter.words
    assert "team-words" in {d.rule for d in linter.lint("邮件专用词", kind="email")}
