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
