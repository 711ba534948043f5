"""The `replylint` command as a user meets it: exit codes, output formats, stdin, files and folders."""
from __future__ import annotations

import json
from pathlib import Path

from replylint.text.positions import display_width


def test_stdin_finding_exits_1_with_text_report(run):
    r = run("check", "-", input="亲,我们保证明天发货\n")
    assert r.exit_code == 1
    first = r.stdout.splitlines()[0]
    assert first.startswith("<stdin>:1:5: absolute-promise warning ")
    assert "保证" in first


def test_caret_is_aligned_under_wide_characters(run):
    r = run("check", "-", input="亲,我们保证明天发货\n")
    lines = r.stdout.splitlines()
    source, caret = lines[1], lines[2]
    assert source.strip() == "亲,我们保证明天发货"
    # 亲 , 我 们 take 2+1+2+2 columns before 保证, which takes 4.
    prefix = len(source) - len(source.lstrip())
    assert caret == " " * (prefix + display_width("亲,我们")) + "^" * 4


def test_clean_draft_exits_0(run):
    r = run("check", "-", input="亲,您的包裹已经发出,请注意查收哦\n")
    assert r.exit_code == 0, r.stdout
    assert "All clear" in r.stdout


def test_json_output_fields(run):
    r = run("check", "--format", "json", "-", input="你必须先付款\n加我威信一三八零零一三八零零零")
    assert r.exit_code == 1
    items = json.loads(r.stdout)["diagnostics"]
    keys = {"path", "line", "column", "end_line", "end_column", "rule", "severity", "message", "suggestions"}
    assert all(keys <= set(i) for i in items)
    by_rule = {i["rule"]: i for i in items}
    assert by_rule["commanding-you"]["line"] == 1 and by_rule["commanding-you"]["column"] == 1
    assert by_rule["commanding-you"]["end_column"] == 4
    assert by_rule["commanding-you"]["suggestions"]
    phone = [i for i in items if i["rule"] == "contact-leak" and i["column"] == 5]
    assert phone and phone[0]["end_column"] == 16 and phone[0]["path"] == "<stdin>"


def test_fail_on_controls_exit_code(run):
    text = "亲,我们保证明天发货"  # a warning
    assert run("check", "--fail-on", "error", "-", input=text).exit_code == 0
    assert run("check", "--fail-on", "warning", "-", input=text).exit_code == 1
    assert run("check", "--fail-on", "info", "-", input=text).exit_code == 1
    assert run("check", "--fail-on", "error", "-", input="加我微信abc123").exit_code == 1


def test_select_and_ignore(run):
    text = "你必须先付款,我们保证明天发货"
    rules = lambda r: {i["rule"] for i in json.loads(r.stdout)["diagnostics"]}
    assert rules(run("check", "--format", "json", "--select", "absolute-promise", "-", input=text)) == {"absolute-promise"}
    assert rules(run("check", "--format", "json", "--ignore", "absolute-promise", "-", input=text)) == {"commanding-you"}
    assert rules(run("check", "--format", "json", "--select", "absolute-promise,commanding-you", "-", input=text)) == {
        "absolute-promise", "commanding-you"}


def test_unknown_rule_in_select_is_a_usage_error(run):
    r = run("check", "--select", "no-such-rule", "-", input="hi")
    assert r.exit_code == 2
    assert "no-such-rule" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_kind_email_checks_greeting_and_signoff(run):
    letter = "您的退款已经处理完毕,款项将在三个工作日内退回。"
    chat = {i["rule"] for i in json.loads(run("check", "--format", "json", "-", input=letter).stdout)["diagnostics"]}
    email = {i["rule"] for i in json.loads(run("check", "--kind", "email", "--format", "json", "-", input=letter).stdout)["diagnostics"]}
    assert not chat & {"missing-greeting", "missing-signoff"}
    assert {"missing-greeting", "missing-signoff"} <= email


def test_platform_option(run):
    text = "感谢您对京东的支持,淘宝上那家不是我们"
    items = json.loads(run("check", "--platform", "jd", "--format", "json", "-", input=text).stdout)["diagnostics"]
    assert [text[i["column"] - 1 : i["end_column"] - 1] for i in items] == ["淘宝"]


def test_folder_recursion_include_exclude(run, tmp_path):
    (tmp_path / "t" / "chat").mkdir(parents=True)
    (tmp_path / "t" / "chat" / "a.txt").write_text("我们保证明天发货", encoding="utf-8")
    (tmp_path / "t" / "chat" / "b.txt").write_text("您好,已为您登记", encoding="utf-8")
    (tmp_path / "t" / "drafts").mkdir()
    (tmp_path / "t" / "drafts" / "c.txt").write_text("你必须先付款", encoding="utf-8")
    (tmp_path / "t" / "notes.rst").write_text("我们保证", encoding="utf-8")
    paths = lambda r: sorted({i["path"].replace("\\", "/") for i in json.loads(r.stdout)["diagnostics"]})
    assert paths(run("check", "--format", "json", "t")) == ["t/chat/a.txt", "t/drafts/c.txt"]
    assert paths(run("check", "--format", "json", "--exclude", "drafts", "t")) == ["t/chat/a.txt"]
    assert paths(run("check", "--format", "json", "--include", "*.rst", "t")) == ["t/notes.rst"]


def test_missing_path_is_exit_2_one_line(run_process):
    p = run_process("check", "does-not-exist.txt")
    assert p.returncode == 2
    err = p.stderr.decode()
    assert "does-not-exist.txt" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_real_entry_point_reads_stdin(run_process):
    p = run_process("check", "--format", "json", "-", input="We guarantee delivery by Friday.")
    assert p.returncode == 1
    assert json.loads(p.stdout)["diagnostics"][0]["rule"] == "absolute-promise"


def test_usage_error_exit_2(run):
    assert run("check").exit_code == 2
    assert run("check", "--kind", "letter", "-", input="x").exit_code == 2
    assert run("check", "--format", "xml", "-", input="x").exit_code == 2


def test_rules_catalogue(run):
    r = run("rules")
    assert r.exit_code == 0
    bundled = [p.stem for p in (Path(__file__).resolve().parents[1] / "rules").glob("*.toml")]
    assert bundled
    for slug in bundled:
        assert slug in r.stdout
    items = json.loads(run("rules", "--format", "json").stdout)
    greeting = next(i for i in items if i["id"] == "missing-greeting")
    assert greeting["applies_to"] == ["email"] and greeting["severity"] in ("info", "warning", "error")


def test_explain_shows_rule_documentation(run):
    r = run("explain", "contact-leak")
    assert r.exit_code == 0
    assert "Why" in r.stdout and "Catches" in r.stdout and "Leaves alone" in r.stdout
    assert "[rules.contact-leak]" in r.stdout
    assert run("explain", "nope").exit_code == 2


def test_eval_prints_precision_and_recall(run, tmp_path):
    corpus = tmp_path / "mine.jsonl"
    corpus.write_text(
        "\n".join(json.dumps(c, ensure_ascii=False) for c in [
            {"text": "我们保证明天发货", "expect": ["absolute-promise"]},
            {"text": "拍下后需要支付保证金", "expect": []},
            {"text": "一定能到", "expect": []},
        ]),
        encoding="utf-8",
    )
    r = run("eval", str(corpus), "--select", "absolute-promise")
    assert r.exit_code == 0
    row = next(l for l in r.stdout.splitlines() if l.startswith("absolute-promise"))
    # one caught, one false alarm (labelled clean on purpose), one quiet
    assert row.split()[1:7] == ["1", "0", "1", "1", "0.500", "1.000"]
    assert run("eval", str(corpus), "--select", "absolute-promise", "--min-precision", "0.9").exit_code == 1
    data = json.loads(run("eval", str(corpus), "--format", "json").stdout)
    assert {d["rule"] for d in data["rules"]} >= {"absolute-promise", "contact-leak"}


def test_multi_line_suggestions_stay_on_one_line(run):
    r = run("check", "--kind", "email", "-", input="退款已处理。")
    lines = [l for l in r.stdout.splitlines() if l.strip().startswith("suggestion:")]
    assert lines and all("⏎" in l for l in lines)
    # every report line is either a finding, an indented block line, or the summary
    assert all(l.startswith(("<stdin>:", "    ", "Found")) for l in r.stdout.splitlines())


def test_a_broken_file_is_reported_and_the_others_still_linted(run, tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.txt").write_text("我们保证明天发货", encoding="utf-8")
    (tmp_path / "t" / "b.json").write_text('[{"text": "亲,保证', encoding="utf-8")
    (tmp_path / "t" / "c.txt").write_text("你必须先付款", encoding="utf-8")
    r = run("check", "--format", "json", "t")
    assert r.exit_code == 2
    assert sorted(i["rule"] for i in json.loads(r.stdout)["diagnostics"]) == ["absolute-promise", "commanding-you"]
    errors = [l for l in r.stderr.splitlines() if l.startswith("replylint: error:")]
    assert len(errors) == 1 and "b.json" in errors[0]


def test_kinds_documents_every_kind_from_its_fields_and_docs_match(run):
    from replylint.rules.kinds import all_kinds

    r = run("kinds")
    assert r.exit_code == 0
    for name, kind in all_kinds().items():
        assert f"## `{name}`" in r.stdout
        for field_name, spec in kind.fields.items():
            assert f"- `{field_name}` (`{spec.type}`" in r.stdout
    assert "`unless-before`" in r.stdout and "words that, just before the match" in r.stdout
    docs = Path(__file__).resolve().parents[1] / "docs" / "kinds.md"
    assert docs.read_text(encoding="utf-8") == r.stdout, "docs/kinds.md is stale: run `replylint kinds > docs/kinds.md`"
