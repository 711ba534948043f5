"""The Python API: replylint.lint, a reusable Linter, diagnostics with exact positions."""
from __future__ import annotations

import pytest

import replylint
from replylint import Config, ConfigError, Diagnostic, Linter


def test_lint_returns_diagnostics():
    [d] = replylint.lint("亲,我们保证明天发货", kind="chat")
    assert isinstance(d, Diagnostic)
    assert (d.rule, d.severity, d.start, d.end, d.line, d.column, d.end_line, d.end_column) == (
        "absolute-promise", "warning", 4, 6, 1, 5, 1, 7)
    assert "保证" in d.message and d.suggestions


def test_lint_with_config_table_and_platform():
    text = "感谢您对京东的支持"
    assert [d.rule for d in replylint.lint(text)] == ["platform-mention"]
    assert replylint.lint(text, config={"platform": "jd"}) == []
    assert replylint.lint(text, platform="jd") == []
    with pytest.raises(ConfigError):
        replylint.lint(text, config={"platfrom": "jd"})


def test_messages_follow_the_draft_language():
    zh = replylint.lint("我们保证明天发货")[0].message
    en = replylint.lint("We guarantee it.")[0].message
    assert "绝对化" in zh and "absolute promise" in en
    forced = Linter(Config(message_language="en")).lint("我们保证明天发货")[0].message
    assert "absolute promise" in forced


def test_a_reused_linter_answers_each_selection_as_a_fresh_one():
    """The linter works out a selection's rules once and keeps the pass's answers: linting with
    selections and kinds that change from call to call gives what a new linter gives each time."""
    texts = ["亲,我们保证明天发货", "加我薇信一三八零零一三八零零零", "是你自己没看清楚,我们绝对是正品", "感谢您对京东的支持"]
    selections = [None, ["absolute-promise"], ["contact-leak", "blaming-you"], [], None, ["absolute-promise"]]
    reused = Linter()
    seen = set()
    for i, select in enumerate(selections * 2):
        for text in texts:
            kind = ("chat", "email")[i % 2]
            got = reused.lint(text, kind=kind, select=select)
            assert got == Linter().lint(text, kind=kind, select=select), (select, text)
            seen |= {d.rule for d in got}
    assert {"absolute-promise", "contact-leak", "blaming-you", "platform-mention"} <= seen


def test_linter_is_reusable_and_positions_are_per_draft():
    linter = Linter()
    a = linter.lint("第一行\n我们保证明天发货")
    b = linter.lint("你必须先付款")
    assert (a[0].line, a[0].column) == (2, 3)
    assert (b[0].rule, b[0].line, b[0].column) == ("commanding-you", 1, 1)


def test_columns_count_code_points_beyond_the_bmp():
    text = "🎁𠀀亲,我们保证发货"
    [d] = replylint.lint(text)
    assert text[d.start : d.end] == "保证"
    assert d.column == text.index("保证") + 1  # 🎁 and 𠀀 count one column each


def test_traditional_and_fullwidth_are_folded_but_spans_keep_the_writers_text():
    text = "ＷＥ ＧＵＡＲＡＮＴＥＥ it. 我們保證發貨"
    diags = replylint.lint(text)
    assert [text[d.start : d.end] for d in diags] == ["ＧＵＡＲＡＮＴＥＥ", "保證"]


def test_placeholders_neither_trigger_nor_hide():
    assert replylint.lint("{{customer_name}}您好,您的订单${order_id}已发货") == []
    [d] = replylint.lint("{{name}}您好,我们保证{{date}}前发货")
    assert d.rule == "absolute-promise"


def test_email_quoted_history_is_not_linted():
    letter = "王先生:\n您好!退款已处理。\n祝好\n小李\n\n> 你们保证过明天发货的\n> 加我微信abc123"
    assert replylint.lint(letter, kind="email") == []


def test_bad_kind_is_an_error():
    with pytest.raises(ValueError):
        replylint.lint("x", kind="letter")


def test_diagnostic_to_dict_shape():
    d = replylint.lint("你必须先付款")[0].to_dict()
    assert d["rule"] == "commanding-you" and d["fix"]["replacement"] == "请您"
    assert set(d) >= {"path", "line", "column", "end_line", "end_column", "rule", "severity", "message", "suggestions"}


def test_suggestions_follow_the_script_of_the_flagged_words():
    [en] = replylint.lint("If you had read the listing, you would know.")
    [zh] = replylint.lint("是你自己没看清楚")
    assert en.suggestions and all(s.isascii() or "…" in s for s in en.suggestions)
    assert zh.suggestions and all(any("\u4e00" <= c <= "\u9fff" for c in s) for s in zh.suggestions)


def test_building_a_linter_leaves_the_garbage_collector_as_it_found_it():
    import gc

    from replylint.engine import Linter

    assert gc.isenabled()
    linter = Linter()
    linter.triggers_for("email")  # built at the first draft of a kind, also with the collector paused
    assert gc.isenabled()
    gc.disable()
    try:
        Linter().triggers_for("chat")
        assert not gc.isenabled()  # a host that switched it off keeps it off
    finally:
        gc.enable()


def test_diagnostics_and_findings_behave_as_frozen_dataclasses():
    """Both build their instance dict in one step (speed); they must still be the frozen, hashable,
    comparable, replaceable and picklable dataclasses the library hands out."""
    import dataclasses
    import pickle

    from replylint.rules.kinds.base import Finding

    diag = replylint.lint("我们保证明天到货")[0]
    assert isinstance(diag, Diagnostic) and dataclasses.is_dataclass(diag)
    with pytest.raises(dataclasses.FrozenInstanceError):
        diag.rule = "other"  # type: ignore[misc]
    copy = dataclasses.replace(diag, path="a.txt")
    assert copy.path == "a.txt" and copy.rule == diag.rule and copy != diag
    assert dataclasses.replace(copy, path=diag.path) == diag and hash(dataclasses.replace(copy, path=diag.path)) == hash(diag)
    assert pickle.loads(pickle.dumps(diag)) == diag
    assert [f.name for f in dataclasses.fields(Diagnostic)][:3] == ["rule", "severity", "message"]
    plain = Diagnostic("r", "warning", "m", 0, 1, 1, 1, 1, 2)
    assert plain.suggestions == () and plain.fix is None and plain.path is None
    assert plain.extra == {} and plain.extra is not Diagnostic("r", "warning", "m", 0, 1, 1, 1, 1, 2).extra
    finding = Finding(3, 5)
    assert (finding.suggestions, finding.fix, finding.safe, finding.message, finding.values) == ((), None, False, "default", {})
    assert finding.values is not Finding(3, 5).values and Finding(3, 5, values={"a": 1}).values == {"a": 1}
    assert dataclasses.replace(finding, end=6) == Finding(3, 6)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 0  # type: ignore[misc]


def test_messages_and_suggestions_kept_per_linter_are_those_worked_out_afresh(monkeypatch):
    """A linter keeps each finding's message and suggestions by rule, message, language, words
    matched and values: the same words in a Chinese and an English draft get each language's
    message, every kept answer equals one worked out afresh, the store stays within its bound, and
    a value that cannot be part of a key is worked out every time."""
    from replylint import engine
    from replylint.rules.kinds.base import Finding

    monkeypatch.setattr(engine, "_TEXTS_KEPT", 4)
    kept = Linter()
    drafts = ["保证", "we 保证 it will arrive", "我们保证100%正品", "It is 100% genuine, we guarantee it.",
              "加我微信abc12345", "你必须今天付款", "亲，我们一定明天发货，保证到", "保证"]
    seen = []
    for text in drafts * 2:
        ours = kept.lint(text)
        assert ours == Linter().lint(text)  # a fresh linter has kept nothing
        seen += [(d.message, d.suggestions) for d in ours]
        assert len(kept._texts_cache) <= 4
    zh, en = (kept.lint(t)[0] for t in ("保证", "we 保证 it will arrive"))
    assert zh.message.startswith("“保证”") and en.message.startswith('"保证"')
    rule = next(r for r in kept.all_rules if r.id == "absolute-promise")
    odd = Finding(0, 2, ("尽力",), None, False, "default", {"category": ["not", "hashable"]})
    assert kept._texts(rule, odd, "保证", "zh") == (rule.message("default", "zh", match="保证", category=["not", "hashable"]), ("尽力",))
    assert len(seen) > 10


def test_the_rules_a_draft_runs_are_kept_by_the_pass_answer(monkeypatch):
    """A selection's plan keeps, per answer of the one pass, the rules it leaves: drafts that meet
    other clauses get their own rules, within the plan's bound, as a fresh linter gives them."""
    from replylint import engine

    monkeypatch.setattr(engine._Plan, "_LIMIT", 2)
    kept = Linter()
    drafts = ["保证明天到", "加我微信abc12345", "你必须今天付款", "亲，您好", "京东更便宜", "抱歉抱歉抱歉，对不起", "保证明天到"]
    for text in drafts * 2:
        assert kept.lint(text) == Linter().lint(text)
    plan = kept._plan("chat", kept._selected_for(kept.settings_for(None)))
    assert 0 < len(plan._running) <= 2
    fired = kept.triggers_for("chat").scan("保证明天到")
    assert [r.id for r, _ in plan.running(fired)] == [r.id for r, _, gated in plan.steps if not gated or r.id in fired]


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("We guarantee delivery by Friday. Any questions?", True),  # the next sentence's question
        ("It will definitely arrive tomorrow. Anything else I can help with?", True),
        ("Will it definitely arrive by Friday? I need it for a party.", False),  # its own sentence asks
        ("我们保证明天发货。还有什么问题吗？", True),
        ("是百分百出现吗？", False),
    ],
)
def test_a_question_leaves_alone_only_the_promise_of_its_own_sentence(text, flagged):
    """unless-question reads the clause after the promise word up to its sentence's end: a closing
    question in a sentence of its own does not take the promise back."""
    assert ("absolute-promise" in {d.rule for d in replylint.lint(text)}) is flagged
