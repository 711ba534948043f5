"""`replylint eval`: family labels, the false-alarm rate on silent lines, errors listed with their
text, n/a where nothing was measured, and corpus lines that would silently change the labels."""
from __future__ import annotations

import json


def _corpus(tmp_path, cases, name="c.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), encoding="utf-8")
    return path


def test_family_labels_score_per_family_and_count_silent_false_alarms(run, tmp_path):
    corpus = _corpus(tmp_path, [
        {"id": "a", "text": "我们保证明天发货", "expect": ["absolute"]},
        {"id": "b", "text": "你必须今天付款", "expect": ["you"]},
        {"id": "c", "text": "拍下后需要支付保证金", "expect": []},
        {"id": "d", "text": "这款绝对正品", "expect": [], "allow": []},
        {"id": "e", "text": "这款绝对正品", "expect": [], "allow": ["absolute"]},
    ])
    r = run("eval", str(corpus), "--show-errors")
    assert r.exit_code == 0, r.output
    row = next(l for l in r.stdout.splitlines() if l.startswith("absolute "))
    assert row.split()[1:7] == ["1", "0", "1", "2", "0.500", "1.000"]
    you = next(l for l in r.stdout.splitlines() if l.startswith("you "))
    assert you.split()[1:3] == ["1", "0"]
    # d fired and is not allowed; e is allowed: one of the three silent lines
    assert "false alarms on lines that must stay silent: 1/3" in r.stdout
    # the false alarm is listed with its text and the rule's message
    assert "d: false alarm absolute: 这款绝对正品" in r.stdout
    assert "e: false alarm" not in r.stdout


def test_misses_listed_with_text(run, tmp_path):
    corpus = _corpus(tmp_path, [{"id": "m1", "text": "好的亲，已经帮您备注了", "expect": ["absolute"]}])
    r = run("eval", str(corpus), "--show-errors")
    assert "m1: missed absolute: 好的亲，已经帮您备注了" in r.stdout


def test_no_cases_prints_na_not_a_perfect_score(run, tmp_path):
    corpus = _corpus(tmp_path, [{"text": "好的亲", "expect": []}])
    r = run("eval", str(corpus), "--select", "contact-leak")
    row = next(l for l in r.stdout.splitlines() if l.startswith("contact-leak"))
    assert row.split()[-2:] == ["n/a", "n/a"]
    data = json.loads(run("eval", str(corpus), "--format", "json", "--select", "contact-leak").stdout)
    assert data["rules"][0]["precision"] is None and data["rules"][0]["recall"] is None
    assert data["false_alarm_rate"] == 0.0


def test_unknown_key_is_rejected_with_one_line(run, tmp_path):
    corpus = _corpus(tmp_path, [{"text": "我们保证明天发货", "rules": ["absolute-promise"]}])
    r = run("eval", str(corpus))
    assert r.exit_code == 2
    assert "unknown key 'rules'" in r.stderr and f"{corpus}:1" in r.stderr
    assert "Traceback" not in r.stdout + r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_unknown_rule_or_family_is_rejected(run, tmp_path):
    corpus = _corpus(tmp_path, [{"text": "好的", "expect": []}, {"text": "好的", "expect": ["absolute-promis"]}])
    r = run("eval", str(corpus))
    assert r.exit_code == 2 and f"{corpus}:2" in r.stderr and "absolute-promis" in r.stderr
    assert run("eval", str(corpus), "--select", "nope").exit_code == 2
    bad_allow = _corpus(tmp_path, [{"text": "好的", "expect": [], "allow": ["yuo"]}], "b.jsonl")
    assert run("eval", str(bad_allow)).exit_code == 2


def test_rule_ids_and_families_mix_in_one_run(run, tmp_path):
    by_rule = _corpus(tmp_path, [{"text": "我们保证明天发货", "expect": ["absolute-promise"]}], "r.jsonl")
    by_family = _corpus(tmp_path, [{"text": "这款绝对正品", "expect": ["absolute"]}], "f.jsonl")
    data = json.loads(run("eval", str(by_rule), str(by_family), "--format", "json").stdout)
    fam = next(f for f in data["families"] if f["family"] == "absolute")
    rule = next(f for f in data["rules"] if f["rule"] == "absolute-promise")
    assert fam["caught"] == rule["caught"] == 2
