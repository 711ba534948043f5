"""E-mail structure: quoted history (letter.py), template placeholders (templates.py) and the
structure kind with its skip / trailer / then fields, through the two rules that use it."""
from __future__ import annotations

import pytest
from rulefile import write_rule

from replylint import Config, Linter
from replylint.errors import RuleFileError
from replylint.text.draft import Draft
from replylint.text.letter import quoted_spans
from replylint.text.placeholders import placeholder_spans

LINTER = Linter()


def rules(text: str, kind: str = "email") -> set[str]:
    return {d.rule for d in LINTER.lint(text, kind=kind, platform="taobao")} & {"missing-greeting", "missing-signoff"}


# -- quoted history ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, quoted_from",
    [
        ("您好\n已处理\n小李\n\n-----原始邮件-----\n发件人: 张三\n发送时间: 2024\n主题: 退款", "-----原始邮件-----"),
        ("Hi\nok\nAmy\n------------------ Original ------------------\nFrom: x", "------------------ Original"),
        ("Hi\nok\nAmy\n\nOn Mon, May 6, 2024 at 10:02 AM Tom <t@x.com>\nwrote:\n\nwhere?", "On Mon, May 6"),
        ("您好\n好\n小李\n\n在 2024年5月1日 10:00，\"张三\"<zs@163.com> 写道：\n退款", "在 2024年5月1日"),
        ("您好\n好\n小李\n\n張先生 於 2024年5月1日 寫道:\n退款", "張先生 於"),
        ("Hi\nok\nAmy\n________________________________\nFrom: Tom <t@x.com>\nSent: Monday\nTo: support", "______"),
        ("您好\n好\n小李\n寄件者: 林小姐\n寄件日期: 2024年6月1日\n主旨: 目錄", "寄件者"),
    ],
)
def test_divider_cuts_the_rest_of_the_letter(text, quoted_from):
    start = text.index(quoted_from)
    assert quoted_spans(text) == [(start, len(text))]


def test_quoted_lines_above_and_between_the_reply_are_cut_but_the_reply_stays():
    text = "On Monday, Tom wrote:\n> where is my parcel?\n\nHi Tom,\n> and the invoice?\nAttached.\nAmy"
    spans = quoted_spans(text)
    kept = "".join(text[e:s] for (_, e), (s, _) in zip([(0, 0)] + spans, spans + [(len(text), 0)]))
    assert kept == "Hi Tom,\nAttached.\nAmy"
    assert spans[-1][1] < len(text)  # the writer's own lines come last: nothing runs to the end


def test_own_header_lines_at_the_top_are_not_a_forwarded_message():
    text = "From: support@x.com\nSent: Monday\nTo: tom@x.com\n\nHi Tom,\nok\nAmy"
    assert quoted_spans(text) == []


def test_quoted_history_neither_hides_nor_fakes_a_sign_off():
    fake = "Hi Tom,\nYour parcel shipped today.\n\nOn Monday, Tom wrote:\n> Thanks,\n> Tom"
    assert rules(fake) == {"missing-signoff"}
    hidden = "王先生:\n您好!退款已处理。\n祝好\n小李\n\n> 你们保证过明天发货的\n> 加我微信abc123"
    assert LINTER.lint(hidden, kind="email") == []
    draft = Draft(hidden, kind="email")
    assert hidden[: min(s for s, _ in draft.ignored)] == "王先生:\n您好!退款已处理。\n祝好\n小李\n\n"


def test_chat_drafts_keep_lines_starting_with_a_quote_mark():
    assert Draft("> 这是引用", kind="chat").view.text == "> 这是引用"


# -- template placeholders --------------------------------------------------------------------
@pytest.mark.parametrize(
    "placeholder",
    ["{{customer_name}}", "{{ customer.name | default: \"there\" }}", "{{{raw}}}", "{% if vip %}", "{%- endif -%}",
     "{# note #}", "{{#if vip}}", "{{/if}}", "<%= name %>", "${order_id}", "$!{x}", "$name", "%(name)s", "%s",
     "{!Contact.FirstName}", "*|FNAME|*", "{name}", "{0}", "{price:.2f}", "{user.name}", "{客户姓名}", "[数字x]"],
)
def test_template_syntaxes_are_masked_whole(placeholder):
    text = f"您好{placeholder}谢谢"
    assert [text[s:e] for s, e in placeholder_spans(text)] == [placeholder]


@pytest.mark.parametrize("text", ["{1,2,3}", "{ 限时优惠 }", "{a, b}", "{注:请保留包装}", "【重要】", "US$20", "$19.99", "100%送达", "20%off"])
def test_ordinary_text_in_braces_is_not_masked(text):
    assert placeholder_spans(text) == []


def test_placeholders_count_as_names_but_not_as_anything_else():
    assert rules("{{customer_name}}您好,\n您的订单已发货。\n\n{{agent_name}}") == set()
    assert rules("{{customer_name}}:\n订单已发货。\n\n谢谢!\n{{agent_name}}") == set()
    # a placeholder inside a sentence is not a salutation, a tracking-number line is not a signature
    assert rules("{{order_id}}号订单已发货。\n\n祝好\n客服部") == {"missing-greeting"}
    assert rules("您好!\n您的订单已发货。\n单号:{{tracking_no}}") == {"missing-signoff"}


# -- the two rules on whole letters -------------------------------------------------------------
def test_seed_000_letter_passes_and_bare_body_fails_both():
    assert rules("尊敬的王先生:\n您好!\n您的退款已处理完毕。\n\n此致\n敬礼\n客服小李\n2024年5月20日") == set()
    assert rules("您的退款已处理完毕,款项将在3个工作日内退回。") == {"missing-greeting", "missing-signoff"}


def test_subject_line_first_and_greeting_on_a_later_line():
    assert rules("主題:退款通知\n\n陳小姐:\n您好!\n退款已完成。\n\n敬祝 商祺\n客服中心") == set()
    assert rules("Subject: Refund\n\nRefund issued today.\n\nBest regards,\nAmy") == {"missing-greeting"}


def test_thanks_opening_the_body_is_no_closing_but_thanks_closing_it_is():
    assert rules("Dear Mr Smith,\nThank you for your email. Your replacement shipped today.") == {"missing-signoff"}
    assert rules("Dear Mr Smith,\nYour replacement shipped today.\nThank you for your patience.") == set()
    assert rules("您好!\n感谢您的来信,退款已经处理。") == {"missing-signoff"}


def test_postscript_disclaimer_and_contact_lines_do_not_hide_a_sign_off():
    assert rules("Hi Tom,\nShipped.\n\nThanks,\nLeo\n\nP.S. The invoice is attached.") == set()
    assert rules("Hi Tom,\nShipped.\n\nP.S. The invoice is attached.") == {"missing-signoff"}
    assert rules("您好!\n退款已处理。\n\n客服部 小李\n电话:0571-88886666\n地址:杭州市文三路100号") == set()
    assert rules("您好!\n退款已处理。\n电话:0571-88886666") == {"missing-signoff"}
    assert rules("您好!\n退款已处理。\n\n本邮件由系统自动发送,请勿直接回复。") == {"missing-signoff"}


def test_a_date_alone_is_no_signature():
    assert rules("尊敬的客户:\n您好!\n您的订单已发货。\n2024年5月20日") == {"missing-signoff"}


def test_finding_points_at_the_first_and_last_line_of_the_letter():
    text = "主题:退款\n退款已处理。\n请查收"
    by_rule = {d.rule: d for d in LINTER.lint(text, kind="email")}
    assert (by_rule["missing-greeting"].line, by_rule["missing-greeting"].column) == (2, 1)
    assert (by_rule["missing-signoff"].line, by_rule["missing-signoff"].end_column) == (3, 4)


def test_off_for_chat_unless_switched_on():
    reply = "您的订单已发货,请注意查收。"
    assert rules(reply, kind="chat") == set()
    linter = Linter(Config(rules={"missing-greeting": {"applies-to": ["chat", "email"]}}))
    assert {d.rule for d in linter.lint(reply, kind="chat")} == {"missing-greeting"}


# -- the structure kind's own fields -----------------------------------------------------------
RULE = """
applies-to = ["chat", "email"]
position = "end"
lines = 3
skip = ['^tel:']
trailer = ['^note:']
patterns = [{{ pattern = '^bye$', then = ["@sig"] }}]
[sets]
sig = {sig}
"""


def _linter(tmp_path, sig: str = "['^amy$']") -> Linter:
    write_rule(tmp_path, "test-footer", "structure", RULE.format(sig=sig))
    return Linter(Config(rule_paths=(tmp_path,), select=("test-footer",)))


def test_then_skip_and_trailer(tmp_path):
    linter = _linter(tmp_path)
    fires = lambda text: bool(linter.lint(text, kind="chat"))  # noqa: E731
    assert not fires("x\nbye\namy\ntel: 123")
    assert fires("x\nbye\nmore body")  # a line after the closing that is no signature
    assert not fires("x\nbye\nnote: later\nmore")
    assert fires("x\nnote: later\nbye was said")


def test_unknown_set_and_bad_regex_are_named(tmp_path):
    write_rule(tmp_path, "test-footer", "structure", RULE.format(sig="['^amy$']").replace('"@sig"', '"@nope"'))
    with pytest.raises(RuleFileError, match=r"unknown set '@nope'"):
        Linter(Config(rule_paths=(tmp_path,), select=("test-footer",))).lint("x", kind="chat")
    with pytest.raises(RuleFileError, match=r"then\[0\]: invalid regular expression"):
        _linter(tmp_path, sig="['(']").lint("x", kind="chat")


# -- where a greeting stands, what may follow a closing ------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "您的退款已原路退回。\n亲亲,祝您生活愉快~\n售后阿珍",
        "订单已发货。\n\n親,祝您購物愉快!\n客服小雨",
        "The parcel was left at the locker.\nDear customer, thanks for shopping with us.\nMaple Home",
        "换货已同意,新件今天寄出。\n您好,如有疑问请回复本邮件。\n此致\n敬礼\n小刘",
    ],
)
def test_a_greeting_after_the_body_is_no_opener(text):
    assert "missing-greeting" in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "退款通知\n尊敬的张先生:\n您好!\n退款已处理。\n此致\n敬礼\n客服部",
        "【发货通知】\n亲,您好!\n订单已发出。\n亲,祝您购物愉快!\n小桃",
        "Order update\n\nHi Karen,\nYour parcel is out for delivery.\n\nBest,\nLeo",
        "陳先生台鑒:\n您好!\n書桌已完成。\n\n謹啟\n業務部 王大明",
    ],
)
def test_a_title_or_salutation_may_stand_above_the_greeting(text):
    assert rules(text) == set()


@pytest.mark.parametrize(
    "signature",
    [
        "小王\n微信公众号:brandcn\n电话:021-55551234",
        "星河家纺 阿伟",
        "小鹿服饰",
        "小鹿服饰 财务组",
        "织梦寝具 客服组 怡君\n2024年6月3日",
        "Customer Care | +65 6123 4567 | support@lumehome.com",
        "Lina Park\nCustomer Experience Lead, Orchid Beauty\nTel +1 (415) 555-0132\n12 June 2024",
    ],
)
def test_a_short_block_after_a_closing_is_a_signature(signature):
    assert rules(f"王先生:\n您好!\n退款已处理。\n祝您生活愉快!\n{signature}") == set()
    # without the closing, a shop name alone is not known to be a signature
    if "\n" not in signature and " " not in signature:
        assert rules(f"王先生:\n您好!\n退款已处理。\n{signature}") == {"missing-signoff"}


@pytest.mark.parametrize(
    "text",
    [
        "您好!\n订单已发货。\n祝您购物愉快!\n另外,赠品会单独寄出,请注意查收。",
        "您好!\n订单已发货。\n祝您购物愉快!\n赠品稍后单独寄出",
        "Hi Tom,\nYour refund is done.\nThanks,\nThe replacement ships Monday",
    ],
)
def test_business_after_a_closing_means_the_letter_is_not_closed(text):
    assert rules(text) == {"missing-signoff"}


START_RULE = RULE.replace('position = "end"', 'position = "start"').replace("patterns = [{{ pattern = '^bye$', then = [\"@sig\"] }}]", "patterns = [{{ pattern = '^hello$', then = [\"@sig\"] }}]")


def test_then_at_the_start_limits_what_may_stand_above(tmp_path):
    write_rule(tmp_path, "test-footer", "structure", START_RULE.format(sig="['^title$']"))
    linter = Linter(Config(rule_paths=(tmp_path,), select=("test-footer",)))
    fires = lambda text: bool(linter.lint(text, kind="chat"))  # noqa: E731
    assert not fires("hello\nbody")
    assert not fires("title\nhello\nbody")
    assert fires("body\nhello\nmore")


def test_structure_rules_share_one_split_of_the_draft_into_lines():
    """The greeting and sign-off rules split an e-mail into lines once (kept on the draft), and
    each still judges its own end."""
    from replylint.rules.kinds.structure import Structure

    linter = Linter()
    kinds = [linter._compile(r, "email") for r in linter.all_rules if r.id in ("missing-greeting", "missing-signoff")]
    assert len(kinds) == 2 and all(isinstance(k, Structure) for k in kinds)
    draft = Draft("您好：\n\n订单已经发出，请注意查收。\n\n客服小王", "email", segmenter=linter.segmenter)
    assert [list(k.find(draft)) for k in kinds] == [[], []]
    lines = draft.derived["structure:lines"]
    assert [line.text for line in lines] == ["您好:", "订单已经发出,请注意查收。", "客服小王"]  # the folded view
    bare = Draft("订单已经发出，请注意查收。", "email", segmenter=linter.segmenter)
    assert [len(list(k.find(bare))) for k in kinds] == [1, 1]
    assert len(bare.derived["structure:lines"]) == 1


def _find_reading_every_line(kind, draft: Draft) -> list[tuple[int, int]]:
    """The structure kind's findings as worked out before only the lines near the edge were asked
    whether they are skipped: every line asked, the trailer looked for whatever the pass said."""
    from replylint.rules.kinds.structure import _lines

    def search(p, line) -> bool:  # every pattern asked, whatever the pass said
        return p.search(line.text, kind.timeout, kind.rule.id)

    def any_of(patterns, line) -> bool:
        return any(search(p, line) for p in patterns)

    lines = _lines(draft.view.text)
    if not lines or len(lines) < kind.min_lines:
        return []
    kept = [line for line in lines if not any_of(kind.skip, line)]
    candidates = [kept]
    if kind.trailer and kind.position == "end":
        first = next((i for i, line in enumerate(kept) if i and any_of(kind.trailer, line)), None)
        if first is not None:
            candidates = [kept[:first], [line for line in kept if not any_of(kind.trailer, line)]]
    for c in candidates:
        ordered = c if kind.position == "start" else c[::-1]
        for element in kind.elements:
            for i, line in enumerate(ordered[: element.lines]):
                if search(element.pattern, line) and (
                    not element.then or all(any_of(element.then, other) for other in ordered[:i])
                ):
                    return []
    body = candidates[0] or lines
    line = body[0] if kind.position == "start" else body[-1]
    return [(line.start, line.end)]


def test_structure_rules_read_only_the_lines_near_their_edge_with_the_same_findings():
    """Without a trailer to look past (the pass found none of its strings in the draft), only the
    lines nearest the edge are asked whether they are skipped: the same findings as asking every
    line, on the corpora's and generated e-mails and on their lines reordered, with skipped lines
    (subjects, phone lines), postscripts and disclaimers put in."""
    import json
    import random
    import sys
    from pathlib import Path

    from replylint.rules.kinds.structure import Structure

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "benchmarks"))
    from drafts import generate

    linter = Linter()
    kinds = [k for r in linter.all_rules if isinstance(k := linter._compile(r, "email"), Structure)]
    assert {k.rule.id for k in kinds} >= {"missing-greeting", "missing-signoff"}
    letters = [t for t, kind in generate(400, seed=21) if kind == "email"]
    for path in sorted((root / "corpora").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line).get("kind") == "email":
                letters.append(json.loads(line)["text"])
    extra = ["主题：退款进度", "Subject: your refund", "电话：400-800-1234", "Tel: +86 21 5555 0000", "P.S. 记得查收",
             "PS: 附件是发票", "本邮件及其附件含有保密信息。", "This e-mail is confidential.", "", "祝好", "Best regards,", "小李"]
    rng = random.Random(4)
    for text in list(letters):
        lines = text.split("\n")
        for _ in range(3):
            mixed = lines[:]
            for _ in range(rng.randint(1, 3)):
                mixed.insert(rng.randint(0, len(mixed)), rng.choice(extra))
            if rng.random() < 0.3:
                rng.shuffle(mixed)
            letters.append("\n".join(mixed))
    # Letters of skipped lines only: the finding falls on the draft's own edge line.
    letters += ["主题：退款进度\nSubject: your refund", "电话：400-800-1234\n邮箱：a@b.com\nTel: +86 21 5555 0000"]
    assert len(letters) > 300
    differ = 0
    for text in letters:
        for live in (True, False):
            draft = Draft(text, "email", segmenter=linter.segmenter)
            if live:
                draft.live = linter.triggers_for("email").scan(draft.view.text)
            for kind in kinds:
                found = [(f.start, f.end) for f in kind.find(draft)]
                assert found == _find_reading_every_line(kind, draft), (kind.rule.id, live, text)
                differ += bool(found)
    assert differ  # some letters lack a greeting or a sign-off
