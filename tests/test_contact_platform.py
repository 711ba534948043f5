"""contact-leak (identifier kind) and platform-mention (mention kind): the mechanisms behind them."""
from __future__ import annotations

from pathlib import Path

import pytest

from replylint import Linter
from replylint.errors import ConfigError, RuleFileError
from replylint.rules.catalogue import bundled_rules_dir
from replylint.rules.file import load_rule
from replylint.rules.kinds import get_kind

LINTER = Linter()


def hits(text: str, rule: str, kind: str = "chat", platform: str | None = None) -> list[str]:
    """The writer's own characters each finding of ``rule`` points at."""
    return [text[d.start : d.end] for d in LINTER.lint(text, kind=kind, platform=platform) if d.rule == rule]


# -- contact-leak ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("有事加 V 信 shop123", "V 信 shop123"),  # the handle is part of the span
        ("亲 加我薇信看实拍", "薇信"),
        ("扣扣号 12345678", "扣扣号 12345678"),
        ("詳情請加微_信", "微_信"),
        ("电话 一三八零零一三八零零零", "一三八零零一三八零零零"),
        ("手机 ①③⑧-００１３-８０００", "①③⑧-００１３-８０００"),
        ("➕V 领券", "V"),
        ("親，加我LINE ID: meimei88", "LINE ID: meimei88"),
    ],
)
def test_disguised_contact_is_caught_and_points_at_the_writers_characters(text, span):
    assert hits(text, "contact-leak") == [span]


@pytest.mark.parametrize(
    "text",
    [
        "订单号：13812345678",  # a label before the digits, across the colon
        "order no. 13812345678",
        "型号：T13812345678",
        "您的手机号13812345678已登记",  # the customer's own number
        "任何要求您添加QQ或微信退款的都是骗子",  # a scam warning after the match
        "亲 平台规定不能加微信哦",
        "可以用微信或支付宝付款",
        "请拨打${phone}",
    ],
)
def test_numbers_warnings_and_payment_are_left_alone(text):
    assert hits(text, "contact-leak") == []


def test_the_same_digits_without_a_label_are_a_phone_number():
    assert hits("有事打13812345678", "contact-leak") == ["13812345678"]


def test_home_platform_links_pass_and_others_do_not():
    text = "链接：https://item.jd.com/123.html"
    assert hits(text, "contact-leak", platform="jd") == []
    assert hits(text, "contact-leak", platform="taobao") == ["https://item.jd.com/123.html"]


def test_a_marketplace_named_by_its_bare_domain_is_not_a_link_leak():
    assert hits("去 jd.com 看看", "contact-leak", platform="taobao") == []
    assert hits("去 jd.com 看看", "platform-mention", platform="taobao") == ["jd.com"]


def test_personal_addresses_count_but_a_shops_role_address_does_not():
    assert hits("发到 lily1990@163.com", "contact-leak") == ["lily1990@163.com"]
    assert hits("发票请发 invoice@brand-home.com", "contact-leak") == []
    assert hits("发到 service@qq.com", "contact-leak") == ["service@qq.com"]


def test_email_drafts_count_only_personal_im_solicitation():
    signature = "尊敬的客户：\n您好！\n已为您处理。\n\n此致\n敬礼\n客服部\n电话：021-55551234\n微信：brand_cs\n"
    solicit = "尊敬的客户：\n您好！\n请加我个人微信 chen_kf01。\n\n此致\n敬礼\n小陈\n"
    assert hits(signature, "contact-leak", kind="email") == []
    assert hits(solicit, "contact-leak", kind="email") == ["微信 chen_kf01"]
    assert hits("电话：021-55551234", "contact-leak", kind="chat") == ["021-55551234"]


# -- platform-mention ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["jd", "JD", "京东", "jingdong"])
def test_any_name_of_the_home_platform_works_as_the_setting(value):
    assert hits("感谢您对京东的支持", "platform-mention", platform=value) == []
    assert hits("淘宝上也有", "platform-mention", platform=value) == ["淘宝"]


@pytest.mark.parametrize("home", ["taobao", "tmall"])
def test_taobao_and_tmall_are_one_home(home):
    assert hits("我们天猫店和淘宝店同一个售后", "platform-mention", platform=home) == []
    assert hits("京东上也有", "platform-mention", platform=home) == ["京东"]


def test_couriers_and_streets_are_not_platforms():
    assert hits("我们默认发京东物流，也可以走京东", "platform-mention", platform="taobao") == []
    assert hits("收货地址在北京东路", "platform-mention") == []


def test_a_name_glued_to_a_locative_by_jieba_is_still_found():
    assert hits("快手上的主播卖的是我们家的货", "platform-mention", platform="jd") == ["快手"]


def test_messages_say_how_to_set_the_platform():
    (none,) = [d for d in LINTER.lint("淘宝上也有") if d.rule == "platform-mention"]
    assert 'platform = "jd"' in none.message
    # A platform no rule knows is a typo until a team says otherwise: an error listing the known.
    with pytest.raises(ConfigError, match="unknown platform 'youzan'.*pinduoduo"):
        LINTER.lint("淘宝上也有", platform="youzan")


def test_a_bad_homes_table_is_named(tmp_path: Path):
    source = (bundled_rules_dir() / "platform-mention.toml").read_text(encoding="utf-8")
    bad = tmp_path / "platform-mention.toml"
    bad.write_text(source.replace('taobao = ["taobao", "tmall"]', 'taobao = "taobao"'), encoding="utf-8")
    with pytest.raises(RuleFileError, match="homes"):
        load_rule(bad, lambda name: get_kind(name).fields)


def test_a_bad_label_list_is_named(tmp_path: Path):
    source = (bundled_rules_dir() / "contact-leak.toml").read_text(encoding="utf-8")
    bad = tmp_path / "contact-leak.toml"
    bad.write_text(source.replace('labels = ["@number-labels"]', 'labels = "订单号"', 1), encoding="utf-8")
    with pytest.raises(RuleFileError, match="labels"):
        load_rule(bad, lambda name: get_kind(name).fields)


# -- contact-leak: solicitation with no app named, regional names, whose number ------------------


@pytest.mark.parametrize(
    "text",
    [
        "亲 拉您进我们的粉丝群 每周都有秒杀",
        "可以进我们的宝妈交流群，里面有专属折扣",
        "搜一下 tianmi_888 加好友，给您发返现",
        "加个好友吧 我的号是 sweetshop2024",
        "加賴 abby520 私訊我",
        "有問題可以私賴我",
        "Search for bella_deals and add me as a friend.",
        "I can add you to our VIP group chat.",
    ],
)
def test_group_invitations_friend_requests_and_regional_names_are_caught(text):
    assert hits(text, "contact-leak", platform="taobao")


@pytest.mark.parametrize(
    "text",
    [
        "感謝您對本店的信賴",  # 信賴 is trust, not LINE
        "這款賴床鬧鐘很受歡迎",
        "加入购物车满两件打九折",
        "这款适合加大码人群穿",
        "这件衣服的群青色很显白",
        "我们没有福利群哦",
        "请勿相信任何拉您进群返现的消息",
        "搜一下 X200 这个型号就有",
        "Our group buying deal ends on Friday.",
        "You can add the item to your wishlist.",
    ],
)
def test_words_that_only_look_like_solicitation_are_left_alone(text):
    assert hits(text, "contact-leak", platform="taobao") == []


def test_the_customers_own_number_passes_but_a_sellers_redacted_number_does_not():
    assert hits("您的预留电话是${phone}，派送前会联系您", "contact-leak", platform="jd") == []
    assert hits("Your registered phone number is {{phone}}.", "contact-leak", platform="jd") == []
    assert hits("销售经理的电话:[电话x] 您可联系一下", "contact-leak", platform="jd") == ["[电话x]"]  # the number, not its label


@pytest.mark.parametrize(("value", "link"), [
    ("京东", "https://item.jd.com/1.html"),
    ("JD", "https://item.jd.com/1.html"),
    ("jingdong", "https://item.jd.com/1.html"),
    ("天猫", "https://item.taobao.com/item.htm?id=1"),
])
def test_home_links_pass_whichever_name_the_platform_is_given_by(value, link):
    assert hits(f"链接：{link}", "contact-leak", platform=value) == []
    assert hits(f"链接：{link}", "contact-leak", platform="pinduoduo") == [link]


def test_platform_names_are_read_from_the_mention_rule_and_a_missing_one_is_named():
    from replylint.rules.kinds.mention import bundled_platform_names

    names = bundled_platform_names("platform-mention")
    assert names.home_of("京東") == {"jd"} and names.home_of("Tmall") == {"taobao", "tmall"}
    assert names.home_of(None) is None
    with pytest.raises(RuleFileError, match="no-such-rule"):
        bundled_platform_names("no-such-rule")


# -- platform-mention: shorthand and units -----------------------------------------------------------


@pytest.mark.parametrize("text", ["tb上的同款要便宜一些", "這款在TB賣比較貴喔", "It's cheaper on TB.", "xhs上有买家秀"])
def test_latin_shorthand_names_the_platform(text):
    assert hits(text, "platform-mention", platform="jd")


@pytest.mark.parametrize("text", ["有1TB和2TB两个版本", "內建 2 TB 儲存空間", "另有 1.5 TB 版本", "The 4 TB model is back.", "支持TB3协议"])
def test_terabytes_and_thunderbolt_are_not_taobao(text):
    assert hits(text, "platform-mention", platform="jd") == []


def test_a_courier_is_left_alone_even_with_no_platform_set():
    assert hits("京东物流显示已签收", "platform-mention") == []
    assert hits("京东上显示已签收", "platform-mention") == ["京东"]
