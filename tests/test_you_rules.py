"""The context mechanisms the you-phrasing rules rely on: a hedge inside the match, a phrase glued to it."""
from __future__ import annotations

import pytest
from rulefile import rule_toml

from replylint import Linter
from replylint.rules.context import Context
from replylint.text.draft import Draft


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

WORDLIST_RULE = rule_toml(
    "test-superlative",
    "wordlist",
    '''
    [[entries]]
    words = ["全网最低"]
    patterns = ['\\bthe\\s+(?<hit>best)\\s+(?:\\w+\\s+){0,3}?in\\s+the\\s+world\\b']
    boundaries = false
    unless-before = ["not"]
    skip = ["the"]
    ''',
    zh="{match}",
    en="{match}",
    bad=["the best soap in the world"],
    good=["our best soap"],
)


def _wordlist(tmp_path, body: str):
    from replylint.rules.file import load_rule
    from replylint.rules.kinds import get_kind

    path = tmp_path / "test-superlative.toml"
    path.write_text(body, encoding="utf-8")
    rule = load_rule(path, lambda name: get_kind(name).fields)
    return get_kind(rule.kind)(rule, rule.params_for("chat"))


def test_wordlist_entry_patterns_find_what_words_cannot(tmp_path):
    kind = _wordlist(tmp_path, WORDLIST_RULE)
    draft = Draft("It is the best power bank in the world, and 全网最低")
    spans = sorted((f.start, f.end) for f in kind.find(draft))
    text = draft.view.text
    assert [text[s:e] for s, e in spans] == ["best", "全网最低"]  # the hit group narrows the span


def test_wordlist_entry_patterns_share_the_entry_context(tmp_path):
    kind = _wordlist(tmp_path, WORDLIST_RULE)
    assert list(kind.find(Draft("This is not the best phone in the world."))) == []


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


# -- round 8: paraphrases of one intent, and their nearest polite look-alikes ------------------------


@pytest.mark.parametrize(
    "text, rule, fires",
    [
        # blaming-you, "you keep asking": the adverb swapped, the verb kept
        ("您老是催，催了也没用", "blaming-you", True),
        ("您老是这么客气，太暖心了", "blaming-you", False),
        # "I already told you": adverbs, verbs and Cantonese aspect 咗 swapped in
        ("我前面已经说明过了，预售要等十五天", "blaming-you", True),
        ("我哋已經講咗好多次", "blaming-you", True),
        ("我前面已经帮您申请了退款", "blaming-you", False),
        ("我们之前跟您说过会延迟，实在抱歉", "blaming-you", False),
        ("As I've said several times, we can't change it.", "blaming-you", True),
        ("Like I mentioned, I've booked the courier for Monday.", "blaming-you", False),
        # arguing the shop is not at fault, Cantonese and sarcastic 又不是
        ("呢件事唔係我哋嘅問題", "blaming-you", True),
        ("物流慢又不是我们造成的", "blaming-you", True),
        ("这个问题跟您没关系，是仓库发错了", "blaming-you", False),
        # rhetorical disbelief after naming our own care, and reassurance
        ("发货前都检查过，怎么会少件呢", "blaming-you", True),
        ("怎么可能让您白跑一趟呢", "blaming-you", False),
        ("There's no way our packaging caused that dent.", "blaming-you", True),
        ("There's no way we'll leave you without a replacement.", "blaming-you", False),
        # implied doer, Cantonese negation and verbs
        ("你冇睇清楚就落單，而家又話唔啱", "blaming-you", True),
        ("如果冇睇清楚都唔緊要，我再講一次", "blaming-you", False),
        # English negated / past "should have"
        ("You shouldn't have washed it on high heat.", "blaming-you", True),
        ("You shouldn't have had to wait this long, sorry.", "blaming-you", False),
        # commanding-you: do X or else, and the softened advice
        ("你一定要保留包裝，否則唔退", "commanding-you", True),
        ("建议您尽快付款，不然可能会被拍完哦", "commanding-you", False),
        ("你買嘅係舊款，唔係新款", "commanding-you", False),  # 唔係 "is not", not "otherwise"
        # Cantonese 唔好 / 咪, and 唔好意思 (sorry)
        ("唔好再催啦", "commanding-you", True),
        ("咪再打嚟喇", "commanding-you", True),
        ("唔好意思，要等多兩日", "commanding-you", False),
        # dismissal: go and ask someone else
        ("有问题自己找快递去", "commanding-you", True),
        ("您也可以自己跟快递说一下哦", "commanding-you", False),
        ("Take it up with the delivery company.", "commanding-you", True),
        ("Go to My Orders and tap Return.", "commanding-you", False),
        # ultimatum vs a choice offered
        ("你要么现在付款，要么别买", "commanding-you", True),
        ("要么退款要么换货，您看哪个方便", "commanding-you", False),
        # English modal orders vs a statement of what will happen
        ("You are to return the parcel unopened.", "commanding-you", True),
        ("You will receive an email once it ships.", "commanding-you", False),
        ("Fill in the form today, otherwise we close the case.", "commanding-you", True),
        ("Please keep the box, otherwise the courier may refuse it.", "commanding-you", False),
    ],
)
def test_paraphrase_classes(text, rule, fires):
    fired = {d.rule for d in LINTER.lint(text, kind="chat", platform="taobao", select=[rule])}
    assert (rule in fired) is fires


@pytest.mark.parametrize(
    "text, fires",
    [("这是你自己的问题", True), ("由于您的原因导致延误", True), ("这是您的订单号", False), ("属于您的权益我们都会保障", False)],
)
def test_your_fault_needs_a_fault_word(text, fires):
    """这是您的… alone is possession; only a fault word after it (问题, 责任, 错) makes it blame."""
    fired = {d.rule for d in LINTER.lint(text, kind="chat", platform="taobao", select=["blaming-you"])}
    assert ("blaming-you" in fired) is fires
