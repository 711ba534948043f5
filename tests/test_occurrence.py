"""The occurrence kind (counting), and rules that are off by default."""
from __future__ import annotations

import pytest
from rulefile import write_rule

from replylint import Config, Linter
from replylint.errors import RuleFileError

COUNT = """
words = ["抱歉", "sorry"]
patterns = ['对不起']
min = 3
unless = ['马上为您']
{extra}
"""


def _linter(tmp_path, extra: str = "", **config) -> Linter:
    write_rule(tmp_path, "test-count", "occurrence", COUNT.format(extra=extra))
    return Linter(Config(rule_paths=(tmp_path,), select=("test-count",), **config))


def _spans(linter: Linter, text: str) -> list[str]:
    return [text[d.start : d.end] for d in linter.lint(text, kind="chat")]


def test_counts_words_and_patterns_to_min(tmp_path):
    linter = _linter(tmp_path)
    assert _spans(linter, "抱歉，对不起，没办法") == []  # two
    assert _spans(linter, "抱歉抱歉，对不起，没办法") == ["抱歉抱歉，对不起"]  # first to last
    assert _spans(linter, "Sorry, so sorry. I am SORRY.") == ["Sorry, so sorry. I am SORRY"]
    assert _spans(linter, "對不起對不起對不起") == ["對不起對不起對不起"]  # traditional folds


def test_whole_words_only(tmp_path):
    # 抱歉 inside a longer word that jieba keeps whole is not counted; "sorrywise" is not "sorry".
    linter = _linter(tmp_path)
    assert _spans(linter, "sorrywise sorryish sorry") == []


def test_unless_anywhere_cancels(tmp_path):
    linter = _linter(tmp_path)
    assert _spans(linter, "抱歉抱歉抱歉，马上为您补发") == []
    assert _spans(linter, "马上为您补发。抱歉抱歉抱歉") == []


def test_sentence_scope_and_first_span(tmp_path):
    linter = _linter(tmp_path, 'scope = "sentence"\nspan = "first"')
    assert _spans(linter, "抱歉。抱歉。抱歉。") == []  # one a sentence
    text = "好的。抱歉抱歉，真抱歉！"
    assert _spans(linter, text) == ["抱歉"]
    assert linter.lint(text, kind="chat")[0].start == text.index("抱歉")


def test_context_exceptions_apply_to_each_occurrence(tmp_path):
    linter = _linter(tmp_path, 'unless-before = ["不必"]')
    assert _spans(linter, "抱歉抱歉，您不必抱歉") == []
    assert _spans(linter, "抱歉抱歉，真的抱歉") != []


def test_too_few_found_are_not_judged(tmp_path, monkeypatch):
    """Fewer words and matches than ``min`` can make no finding, so none of them is judged (word
    boundaries, context); at ``min`` they are, and a word dropped by its context still counts out."""
    from replylint.rules import context

    linter = _linter(tmp_path, 'unless-before = ["不必"]')
    judged = []
    real = context.Context.blocks
    monkeypatch.setattr(context.Context, "blocks", lambda self, d, s, e: judged.append((s, e)) or real(self, d, s, e))
    assert _spans(linter, "抱歉，对不起，没办法") == [] and judged == []
    assert _spans(linter, "抱歉抱歉，对不起") == ["抱歉抱歉，对不起"] and len(judged) == 3
    assert _spans(linter, "抱歉抱歉，您不必抱歉") == []  # three found, one left alone


@pytest.mark.parametrize(
    "body, error",
    [
        ('words = ["x"]\nmin = 0', "at least 1"),
        ("min = 2", "needs 'words' or 'patterns'"),
        ("patterns = ['(']\nmin = 2", r"patterns\[0\]: invalid regular expression"),
        ("patterns = ['x']\nunless = ['[']\nmin = 2", r"unless\[0\]: invalid regular expression"),
        ('words = ["x"]\nmin = 2\nscope = "page"', "scope"),
    ],
)
def test_bad_rule_files_are_named(tmp_path, body, error):
    write_rule(tmp_path, "test-bad", "occurrence", body)
    with pytest.raises(RuleFileError, match=error):
        Linter(Config(rule_paths=(tmp_path,), select=("test-bad",))).lint("x", kind="chat")


def test_off_by_default_runs_only_when_asked(tmp_path):
    write_rule(tmp_path, "test-off", "pattern", "enabled = false\npatterns = ['哎呀']")
    text = "哎呀"
    fired = lambda linter, **kw: any(d.rule == "test-off" for d in linter.lint(text, kind="chat", **kw))  # noqa: E731
    assert not fired(Linter(Config(rule_paths=(tmp_path,))))
    assert "test-off" not in {r.id for r in Linter(Config(rule_paths=(tmp_path,))).rules}
    assert fired(Linter(Config(rule_paths=(tmp_path,), select=("test-off",))))
    assert fired(Linter(Config(rule_paths=(tmp_path,), select=("ALL",))))
    assert fired(Linter(Config(rule_paths=(tmp_path,))), select=["test-off"])
    assert fired(Linter(Config(rule_paths=(tmp_path,), rules={"test-off": {"enabled": True}})))
    assert not fired(Linter(Config(rule_paths=(tmp_path,), ignore=("test-off",))), select=["test-off"])


# -- the confusable kind (typo) ------------------------------------------------------------------
CONFUSABLES = """
[[entries]]
words = ["帐户"]
fix = "账户"
safe = true
as-written = true

[[entries]]
words = ["做为"]
fix = "作为"
safe = true

[[entries]]
words = ["recieve"]
fix = "receive"
safe = true
"""


def _typos(tmp_path, text: str) -> list[tuple[str, str]]:
    write_rule(tmp_path, "test-typo", "confusable", CONFUSABLES)
    linter = Linter(Config(rule_paths=(tmp_path,), select=("test-typo",)))
    return [(text[d.start : d.end], d.fix.replacement) for d in linter.lint(text, kind="chat")]


def test_as_written_tells_a_simplified_typo_from_correct_traditional(tmp_path):
    assert _typos(tmp_path, "您的帐户") == [("帐户", "账户")]
    assert _typos(tmp_path, "您的帳戶") == []  # folds to 帐户, but is correct traditional


def test_fix_keeps_the_drafts_script_and_case(tmp_path):
    assert _typos(tmp_path, "做為補償") == [("做為", "作為")]
    assert _typos(tmp_path, "做为补偿") == [("做为", "作为")]
    assert _typos(tmp_path, "We Recieve it") == [("Recieve", "Receive")]


def test_compound_head_counts_a_word_ending_a_longer_one(tmp_path):
    # jieba keeps 深表歉意 whole: 歉意 at its end counts only with compound-head.
    write_rule(tmp_path, "test-head", "occurrence", 'words = ["歉意"]\nmin = 1')
    plain = Linter(Config(rule_paths=(tmp_path,), select=("test-head",)))
    assert not plain.lint("我们深表歉意", kind="chat")
    write_rule(tmp_path, "test-head", "occurrence", 'words = ["歉意"]\nmin = 1\ncompound-head = true')
    head = Linter(Config(rule_paths=(tmp_path,), select=("test-head",)))
    assert head.lint("我们深表歉意", kind="chat")
