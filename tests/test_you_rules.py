"""The context mechanisms the you-phrasing rules rely on: a hedge inside the match, a phrase glued to it."""
from __future__ import annotations

import pytest

from replylint import Linter
from replylint.context import Context
from replylint.draft import Draft


def _context(**params) -> Context:
    return Context.from_params(params, None, list)


def test_unless_inside_leaves_a_hedged_match_alone():
    ctx = _context(**{"unless-inside": ["可能"]})
    hedged, plain = Draft("您可能填错了地址"), Draft("您填错了地址")
    assert ctx.blocks(hedged, 0, 5)
    assert not ctx.blocks(plain, 0, 3)


def test_unless_inside_folds_traditional_phrases():
    ctx = _context(**{"unless-inside": ["也許"]})
    assert ctx.blocks(Draft("您也許拍錯了"), 0, 5)


def test_unless_after_sees_a_phrase_jieba_glued_to_the_match():
    draft = Draft("别着急,亲")
    assert [t.text for t in draft.tokens(0)][0] == "别着急"  # why the text itself must be tested
    assert _context(**{"unless-after": ["着急"]}).blocks(draft, 0, 1)
    assert not _context(**{"unless-after": ["担心"]}).blocks(draft, 0, 1)


LINTER = Linter()


@pytest.mark.parametrize(
    "text, rule, fires",
    [
        ("您听错了,活动是明天", "blaming-you", True),
        ("您没听错,今天确实半价", "blaming-you", False),
        ("我们给您发错了颜色,真的很抱歉", "blaming-you", False),
        ("是因为您地址没写详细", "blaming-you", True),
        ("If you had read the description, you would have known.", "blaming-you", True),
        ("If you typed the wrong address, just reply and we'll fix it.", "blaming-you", False),
        ("别着急,物流显示明天就到", "commanding-you", False),
        ("别等了,现在就去申请", "commanding-you", True),
        ("请不要添加任何私人微信", "commanding-you", False),
        ("You will do exactly as I say.", "commanding-you", True),
        ("We're going to hurry up the shipment for you.", "commanding-you", False),
    ],
)
def test_you_rules_in_context(text, rule, fires):
    fired = {d.rule for d in LINTER.lint(text, kind="chat", platform="taobao", select=[rule])}
    assert (rule in fired) is fires


# -- round 2: the mechanisms added for the held-out error classes ----------------------------------

WORDLIST_RULE = '''
id = "test-superlative"
kind = "wordlist"
severity = "warning"
summary = "s"
norm = "n"
rationale = "r"
[message]
zh = "{match}"
en = "{match}"
[[entries]]
words = ["全网最低"]
patterns = ['\\bthe\\s+(?<hit>best)\\s+(?:\\w+\\s+){0,3}?in\\s+the\\s+world\\b']
boundaries = false
unless-before = ["not"]
skip = ["the"]
[examples]
bad = ["the best soap in the world"]
good = ["our best soap"]
'''


def _wordlist(tmp_path, body: str):
    from replylint.kinds import get_kind
    from replylint.rule import load_rule

    path = tmp_path / "test-superlative.toml"
    path.write_text(body, encoding="utf-8")
    rule = load_rule(path, lambda name: get_kind(name).fields)
    return get_kind(rule.kind)(rule, rule.params_for("chat"))


def test_wordlist_entry_patterns_find_what_words_cannot(tmp_path):
    kind = _wordlist(tmp_path, WORDLIST_RULE)
    draft = Draft("It is the best power bank in the world, and 全网最低")
    spans = sorted((f.start, f.end) for f in kind.check(draft))
    text = draft.view.text
    assert [text[s:e] for s, e in spans] == ["best", "全网最低"]  # the hit group narrows the span


def test_wordlist_entry_patterns_share_the_entry_context(tmp_path):
    kind = _wordlist(tmp_path, WORDLIST_RULE)
    assert list(kind.check(Draft("This is not the best phone in the world."))) == []


def test_wordlist_entry_pattern_errors_name_the_entry(tmp_path):
    from replylint.errors import RuleFileError

    with pytest.raises(RuleFileError, match=r"entries\[0\]\.patterns\[0\]"):
        _wordlist(tmp_path, WORDLIST_RULE.replace("(?<hit>best)", "(?<hit>best"))


def test_unless_clause_sees_a_softener_anywhere_in_the_clause_only():
    ctx = _context(**{"unless-clause": ["哦"]})
    soft, bare = Draft("先别拆哦,等我通知"), Draft("先别拆,等我通知哦")
    assert ctx.blocks(soft, 0, 2)
    assert not ctx.blocks(bare, 0, 2)  # 哦 is in the next clause


@pytest.mark.parametrize(
    "text, rule, fires",
    [
        # absolute-promise: superlatives over a market, colloquial certainty, 包您 + an outcome
        ("We stock the cheapest phone cases in Singapore.", "absolute-promise", True),
        ("It is the lightest tent in our range.", "absolute-promise", False),
        ("Our best-selling colour in Malaysia is navy.", "absolute-promise", False),
        ("这双鞋保准您走一天都不累", "absolute-promise", True),
        ("周末前准能送到", "absolute-promise", True),
        ("以快递实际签收为准", "absolute-promise", False),
        ("包您喝了睡得香", "absolute-promise", True),
        ("我们包您来回运费", "absolute-promise", False),
        ("业内最耐用的就是这款", "absolute-promise", True),
        ("国内最快次日达", "absolute-promise", False),
        # blaming-you: no pronoun, disbelief, a reproach as a reminder, arguing about fault
        ("买的时候也不看评价，现在又说质量差", "blaming-you", True),
        ("收到后如果不喜欢，七天内可以退", "blaming-you", False),
        ("我们打包都很仔细的，怎么可能压坏", "blaming-you", True),
        ("我们怎么可能不管您呢", "blaming-you", False),
        ("尺码表上明明写着偏小", "blaming-you", True),
        ("尺码表上有写，您可以参考一下", "blaming-you", False),
        ("You ticked the gift-wrap option yourself.", "blaming-you", True),
        ("You can return it yourself at any post office.", "blaming-you", False),
        # commanding-you: 别 after an adverb, bare 把, urgent 去, dismissive phrases, English bare orders
        ("先别签收，等我通知", "commanding-you", True),
        ("先别着急，我来跟进", "commanding-you", False),
        ("把钱付了再说", "commanding-you", True),
        ("先把订单号发一下哦", "commanding-you", False),
        ("現在馬上去付尾款", "commanding-you", True),
        ("我马上去帮您申请", "commanding-you", False),
        ("那你就等著吧", "commanding-you", True),
        ("Show me the receipt now.", "commanding-you", True),
        ("Give me a second, I'll check right away.", "commanding-you", False),
        ("Don't leave a review until we've talked.", "commanding-you", True),
        ("Do not wash with bleach.", "commanding-you", False),
    ],
)
def test_round_two_classes(text, rule, fires):
    fired = {d.rule for d in LINTER.lint(text, kind="chat", platform="taobao", select=[rule])}
    assert (rule in fired) is fires
