"""Where teams keep templates, piece by piece: Markdown modes, keyed JSON/YAML and their nested
groups, text fields found by their words, configuration left alone, the no-templates warning and
--strict, dot-folders, own contact points, programme names, and team rules with fewer fields."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rulefile import write_rule

from replylint.app.explain import explain_rule
from replylint.app.run import lint_source
from replylint.config import Config, from_table
from replylint.engine import Linter
from replylint.errors import RuleFileError
from replylint.input.sources import ReadOptions, load_source, read_options, read_source
from replylint.rules.catalogue import bundled_rules_dir, load_rules
from replylint.rules.file import COMMON_FIELDS
from replylint.rules.kinds.allow import Allowed
from replylint.rules.names import in_name
from replylint.rules.toml import load_toml


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Config())


def drafts(name: str, text: str, **options) -> list[str]:
    return [s.text for s in load_source(name, text.encode("utf-8"), ReadOptions(**options)).segments]


def findings(linter: Linter, path: Path) -> list[tuple[str, str]]:
    """(rule, the text of the file it points at) for every finding."""
    result = lint_source(linter, read_source(str(path), read_options(linter.config)))
    lines = path.read_text(encoding="utf-8").split("\n")
    return [(d.rule, lines[d.line - 1][d.column - 1 : d.end_column - 1] if d.line == d.end_line else "…")
            for d in result.diagnostics]


# -- Markdown ---------------------------------------------------------------------------------------

COLLECTION = """# 话术

[![CI](https://img.shields.io/badge/ci-passing-green)](https://ci.example.com) ![x](a.png)

| 场景 | 链接 |
|---|---|
| 催付 | [我们保证](#a) |

- [目录：我们保证](#a)

## 催付

技巧：先肯定，我们保证有效。

```reply
亲，还没付款哦
```

```text
亲，库存不多了
```
"""


def test_markdown_auto_takes_the_fenced_blocks():
    assert drafts("a.md", COLLECTION) == ["亲，还没付款哦\n", "亲，库存不多了\n"]


def test_markdown_fences_setting_keeps_only_those_info_strings():
    assert drafts("a.md", COLLECTION, markdown_fences=("reply",)) == ["亲，还没付款哦\n"]


def test_markdown_prose_modes_never_read_headings_badges_tables_or_link_lists():
    for mode in ("paragraphs", "sections"):
        assert drafts("a.md", COLLECTION, markdown_templates=mode) == ["技巧：先肯定，我们保证有效。"]


def test_markdown_paragraphs_and_items_are_each_a_draft_sections_join_them():
    text = "## 售前\n\n开场白：\n\n- 亲，在的\n- 亲，您好\n\n## 售后\n\n- 亲，抱歉\n  让您久等了\n- 亲，已退款\n"
    assert drafts("a.md", text, markdown_templates="paragraphs") == ["开场白：", "亲，在的", "亲，您好", "亲，抱歉\n  让您久等了", "亲，已退款"]
    # A section with prose in it is one draft; a section that is only a list, one per item.
    assert drafts("a.md", text, markdown_templates="sections") == ["开场白：\n\n- 亲，在的\n- 亲，您好", "亲，抱歉\n  让您久等了", "亲，已退款"]


def test_markdown_link_text_stays_its_target_goes(linter, tmp_path):
    f = tmp_path / "a.md"
    f.write_text("## 模板\n\n详情请看[我们保证](https://cheap.example.com/x)页面。<br>\n", encoding="utf-8")
    assert findings(Linter(Config(markdown_templates="sections")), f) == [("absolute-promise", "保证")]


def test_markdown_front_matter_kind_makes_every_draft_an_email(tmp_path):
    src = load_source("a.md", "---\nkind: email\nplatform: jd\n---\n# 题\n\n王女士：\n您好！\n退款已处理。\n".encode())
    assert [(s.kind, s.platform) for s in src.segments] == [("email", "jd")]
    with pytest.raises(Exception, match="front matter kind"):
        load_source("a.md", b"---\nkind: sms\n---\nhi\n")


def test_fenced_findings_point_inside_the_block(linter, tmp_path):
    f = tmp_path / "a.md"
    f.write_text("# 标题\n\n我们保证（提示，不检查）\n\n   ```reply\n   亲，我们保证明天发货\n   ```\n", encoding="utf-8")
    result = lint_source(linter, read_source(str(f)))
    assert [(d.rule, d.line, d.column) for d in result.diagnostics] == [("absolute-promise", 6, 8)]


# -- JSON / YAML ------------------------------------------------------------------------------------

def test_keyed_json_and_nested_groups_are_entries():
    text = json.dumps({"Greeting": "Hi there, how can I help you today?",
                       "售前": {"催付": "亲，还没付款哦", "库存": ["亲，库存不多了", "亲，快下单吧"]}}, ensure_ascii=False)
    src = load_source("m.json", text.encode("utf-8"))
    assert [(s.label, s.text) for s in src.segments] == [
        ("Greeting", "Hi there, how can I help you today?"), ("售前/催付", "亲，还没付款哦"),
        ("售前/库存", "亲，库存不多了"), ("售前/库存", "亲，快下单吧")]


def test_keyed_yaml_placed_exactly(linter, tmp_path):
    f = tmp_path / "m.yaml"
    f.write_text("催付:\n  提醒: 亲，我们保证今天发货\n  再提醒: 亲，还有库存哦\n", encoding="utf-8")
    assert findings(linter, f) == [("absolute-promise", "保证")]


@pytest.mark.parametrize("name, text", [
    ("config.json", '{"name": "shop", "version": "1.0.0", "description": "我们保证这是描述"}'),
    ("settings.yaml", "title: 我们保证\ndebug: true\nport: 8080\n"),
    ("messages.yaml", "refund:\n  text: 好的\ndescription: 我们保证\n"),
    ("tsconfig.base.json", '{"compilerOptions": {"target": "es2017"}, "x": "我们保证一定"}'),
    (".github/workflows/ci.yml", "name: 我们保证明天发货\non: push\n"),
    ("docker-compose.override.yml", "services:\n  web:\n    command: 我们保证\n"),
])
def test_configuration_shapes_and_names_yield_no_drafts(name, text):
    src = load_source(name, text.encode("utf-8"))
    assert [s.text for s in src.segments if s.text != "好的"] == []
    assert src.warnings == [] and src.no_drafts is None


def test_text_field_found_by_its_words_not_by_a_guess():
    rows = '[{"title": "Refund", "reply_text": "We guarantee it."}, {"title": "Hi", "note": "一条备注，不是模板"}]'
    assert drafts("m.json", rows) == ["We guarantee it."]
    assert drafts("m.json", rows, text_field="note") == ["一条备注，不是模板"]


def test_github_saved_replies(tmp_path):
    text = "replies:\n  - name: Thanks\n    body: Thanks for the report, we will look at it today.\n  - name: Mail\n    kind: email\n    body: |\n      Dear customer,\n      Done.\n"
    src = load_source(".github/replies.yml", text.encode())
    assert [(s.label, s.kind) for s in src.segments] == [("replies", None), ("replies", "email")]


def test_no_templates_found_is_a_warning_and_strict_an_error(run, tmp_path):
    macros = {"macros": [
        {"id": 1, "title": "Refund issued", "active": True, "actions": [{"field": "comment", "value": "Your refund has been issued today."}]},
        {"id": 2, "title": "Delay", "active": True, "actions": [{"field": "comment", "value": "Sorry, your parcel is delayed at customs."}]},
    ]}
    (tmp_path / "macros.json").write_text(json.dumps(macros), encoding="utf-8")
    (tmp_path / "ok.txt").write_text("亲，您好\n", encoding="utf-8")
    r = run("check", ".")
    assert r.exit_code == 0
    assert r.stderr == "replylint: warning: no templates found in macros.json; see --text-field\n"
    assert r.stdout == "All clear: 1 draft in 2 files.\n"
    r = run("check", "--strict", ".")
    assert r.exit_code == 2 and "replylint: error: macros.json: no templates found (strict); see --text-field" in r.stderr
    (tmp_path / ".replylint.toml").write_text("strict = true\n", encoding="utf-8")
    assert run("check", "macros.json").exit_code == 2
    assert run("check", "--text-field", "value", "ok.txt").exit_code == 0


def test_summary_counts_problems_files_and_drafts(run, tmp_path):
    (tmp_path / "a.json").write_text('["亲，我们保证明天发货", "亲，您好", "亲，我们保证今天发货"]', encoding="utf-8")
    (tmp_path / "b.txt").write_text("亲，您好\n", encoding="utf-8")
    r = run("check", ".")
    assert r.stdout.splitlines()[-1] == "Found 2 problems (2 warnings) in 1 of 2 files (4 drafts)."


# -- dot-folders ------------------------------------------------------------------------------------

def test_dot_folders_github_walked_others_only_when_named(run, tmp_path):
    for folder in (".github", ".drafts", ".git"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "replies.yml").write_text("replies:\n  - name: x\n    body: 亲，我们保证明天发货\n", encoding="utf-8")

    def paths(*args: str) -> set[str]:
        r = run("check", "--format", "json", *args)
        return {Path(d["path"]).parent.name for d in json.loads(r.stdout)["diagnostics"]}

    assert paths(".") == {".github"}
    assert paths("--include", ".drafts/*.yml", ".") == {".drafts"}
    assert paths(".drafts") == {".drafts"}
    assert paths(".drafts/replies.yml") == {".drafts"}


# -- own contact points -----------------------------------------------------------------------------

def test_allowed_domains_numbers_addresses_and_handles():
    allowed = Allowed(["PaySend.com", "400-123-4567", "vip@brand.cn", "https://shop.example.com/store/9", "PaySend_Official"])
    for ours in ("https://help.paysend.com/refund", "www.paysend.com", "paysend.com/a", "support@paysend.com",
                 "4001234567", "+86 400 123 4567", "400 123 4567", "vip@brand.cn", "shop.example.com/store/9/item",
                 "微信公众号paysendofficial"):
        assert allowed.covers(ours.lower()), ours
    for theirs in ("https://paysend.com.evil.cn", "notpaysend.com", "4001234568", "kf@brand.cn", "shop.example.com/other"):
        assert not allowed.covers(theirs.lower()), theirs


def test_allow_setting_leaves_our_contacts_and_flags_others(tmp_path):
    cfg = from_table({"rules": {"contact-leak": {"allow": ["paysend.com", "400-123-4567"]}}}, tmp_path)
    ours, default = Linter(cfg), Linter(Config())
    for text in ("详情见 https://help.paysend.com/refund", "请拨打客服热线 400 123 4567"):
        assert [d.rule for d in default.lint(text)] == ["contact-leak"]
        assert ours.lint(text) == []
    assert [d.rule for d in ours.lint("详情见 https://cheap.example.com/x")] == ["contact-leak"]


def test_contact_spans_cover_the_handle_not_the_label(linter):
    def spans(text: str) -> list[str]:
        return [text[d.start : d.end] for d in linter.lint(text) if d.rule == "contact-leak"]

    assert spans("有问题加客服微信 kf_8888，马上回复") == ["微信 kf_8888"]
    assert spans("Add me on WeChat: shop_amy") == ["WeChat: shop_amy"]
    assert spans("Add me on WeChat for details") == ["WeChat"]
    assert spans("销售经理的电话:[电话x] 您可以联系他") == ["[电话x]"]
    assert spans("看这里 **www.cheap-deals.cn**，更便宜") == ["www.cheap-deals.cn"]
    assert spans("见 [这里](https://cheap.example.com/a/b).") == ["https://cheap.example.com/a/b"]
    assert spans("去 https://cheap.example.com/sale。") == ["https://cheap.example.com/sale"]


def test_email_signature_contact_block_is_fine(linter):
    letter = "王女士：\n您好！\n退款已处理。\n此致\n敬礼\n客服部\n客服热线：021-55551234\n官网：www.brand-home.cn\n微信公众号：brand_cn"
    assert [d.rule for d in linter.lint(letter, kind="email")] == []
    assert [d.rule for d in linter.lint(letter, kind="chat")]  # the same lines in a chat are a leak


def test_config_rejects_a_bad_allow(tmp_path):
    with pytest.raises(Exception, match="allow"):
        from_table({"rules": {"contact-leak": {"allow": "paysend.com"}}}, tmp_path)


# -- programme names --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, word, name", [
    ("covered by the A-to-z Guarantee.", "Guarantee", True),
    ("protected by Buyer Protection guarantee.", "guarantee", True),
    ("the seller offers an on-time guarantee", "guarantee", True),
    ("We guarantee it arrives.", "guarantee", False),
    ("Guarantee: it arrives.", "Guarantee", False),
    ("Absolutely, I Guarantee it.", "Guarantee", False),
    ("WE GUARANTEE IT", "GUARANTEE", False),
])
def test_programme_names(text, word, name):
    at = text.index(word)
    assert in_name(text, at, at + len(word)) is name


# -- team rules -------------------------------------------------------------------------------------

def test_team_rule_needs_only_id_kind_message_and_parameters(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "no-cheap.toml").write_text('id = "no-cheap"\nkind = "wordlist"\nmessage = "别说“{match}”"\n[[entries]]\nwords = ["便宜货"]\n', encoding="utf-8")
    rule = next(r for r in load_rules([tmp_path / "r"]) if r.id == "no-cheap")
    assert (rule.severity, rule.summary, rule.bad, rule.good) == ("warning", "", (), ())
    linter = Linter(Config(rule_paths=(tmp_path / "r",)))
    assert [(d.rule, d.message) for d in linter.lint("这是便宜货")] == [("no-cheap", "别说“便宜货”")]
    assert "(no example" in explain_rule(rule)


def test_team_rule_still_needs_a_message_and_valid_examples(tmp_path):
    (tmp_path / "r").mkdir()
    bad = tmp_path / "r" / "x.toml"
    bad.write_text('id = "x"\nkind = "wordlist"\n[[entries]]\nwords = ["a"]\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="missing field 'message'"):
        load_rules([tmp_path / "r"])
    bad.write_text('id = "x"\nkind = "wordlist"\nmessage = {zh = "z"}\n[[entries]]\nwords = ["a"]\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="'en'"):
        load_rules([tmp_path / "r"])


def test_bundled_rules_keep_every_field():
    required = [k for k, f in COMMON_FIELDS.items() if f.required]
    for path in sorted(bundled_rules_dir().glob("*.toml")):
        data = load_toml(path, RuleFileError)
        assert all(k in data for k in required), path.name
        assert isinstance(data["message"], dict) and data["examples"]["bad"] and data["examples"]["good"], path.name


def test_bundled_rule_missing_a_field_is_an_error(tmp_path, monkeypatch):
    write_rule(tmp_path / "b", "x", "wordlist", '[[entries]]\nwords = ["a"]\n')
    text = (tmp_path / "b" / "x.toml").read_text(encoding="utf-8").replace('summary = "s"\n', "")
    (tmp_path / "b" / "x.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr("replylint.rules.catalogue.bundled_rules_dir", lambda: tmp_path / "b")
    with pytest.raises(RuleFileError, match="missing field 'summary'"):
        load_rules()


def test_keyed_collection_of_short_replies_is_still_one():
    text = '{"Ack": "Thanks!", "Noted": "Noted.", "Wait": "Sorry for the wait, we are checking it now."}'
    assert drafts("m.json", text) == ["Thanks!", "Noted.", "Sorry for the wait, we are checking it now."]


def test_fenced_mode_without_fences_warns_with_the_setting_to_look_at():
    src = load_source("a.md", "## 催付\n\n亲，还没付款哦\n".encode(), ReadOptions(markdown_templates="fenced"))
    assert src.segments == [] and src.warnings == ["no templates found in a.md; see markdown-templates"]
    assert load_source("a.md", "## 目录\n\n- [催付](#x)\n".encode()).warnings == []  # a table of contents
