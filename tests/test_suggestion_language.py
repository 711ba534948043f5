"""Issue 17 item 7: suggestions follow the draft's language when the match has no words (a phone
number), and Chinese text the rules insert uses full-width punctuation."""
from __future__ import annotations

import json

from replylint.rules.catalogue import load_rules
from replylint.text.language import is_han


def _contact(run, text):
    data = json.loads(run("check", "--format", "json", "--select", "contact-leak", "-", input=text).stdout)
    [d] = data["diagnostics"]
    return text[d["start"]:d["end"]], d["suggestions"]


def test_a_phone_number_in_a_chinese_draft_gets_chinese_suggestions(run):
    matched, suggestions = _contact(run, "亲,您可以直接打13800138000找我\n")
    assert not any(map(is_han, matched)) and not any(c.isalpha() for c in matched)
    assert suggestions and all(any(map(is_han, s)) for s in suggestions)


def test_a_phone_number_in_an_english_draft_gets_english_suggestions(run):
    matched, suggestions = _contact(run, "You can call me directly on 13800138000 any time.\n")
    assert not any(c.isalpha() for c in matched)
    assert suggestions and not any(any(map(is_han, s)) for s in suggestions)


def test_message_language_setting_decides_for_digits(run, tmp_path):
    (tmp_path / ".replylint.toml").write_text('message-language = "en"\n', "utf-8")
    _, suggestions = _contact(run, "亲,您可以直接打13800138000找我\n")
    assert not any(any(map(is_han, s)) for s in suggestions)


HALF_WIDTH = ",:!?;"


def test_chinese_suggestions_and_fixes_use_full_width_punctuation():
    for rule in load_rules():
        texts = list(rule.suggest)
        for entry in rule.params.get("entries", []):
            texts += entry.get("suggest", []) + ([entry["fix"]] if isinstance(entry.get("fix"), str) else [])
        for p in rule.params.get("patterns", []):
            if isinstance(p, dict):
                texts += p.get("suggest", []) + ([p["fix"]] if isinstance(p.get("fix"), str) else [])
        for text in texts:
            if any(map(is_han, text)):
                assert not any(c in HALF_WIDTH for c in text), (rule.id, text)


def test_the_inserted_greeting_is_full_width(run):
    r = run("check", "--kind", "email", "--format", "json", "--select", "missing-greeting", "-",
            input="退款已处理。\n\n祝您生活愉快！\n客服小李\n")
    [d] = json.loads(r.stdout)["diagnostics"]
    assert "尊敬的客户：\n您好！" in d["suggestions"]
