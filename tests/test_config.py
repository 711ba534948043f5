"""Configuration: discovery upwards, pyproject.toml, per-rule and per-glob settings, team rules, errors."""
from __future__ import annotations

import json
import textwrap

from rulefile import write_rule


def _rules(r):
    return sorted(i["rule"] for i in json.loads(r.stdout)["diagnostics"])


def test_config_found_from_parent_folder(run, tmp_path, monkeypatch):
    (tmp_path / ".replylint.toml").write_text('platform = "jd"\nignore = ["absolute-promise"]\n', encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    r = run("check", "--format", "json", "-", input="感谢您对京东的支持,我们保证明天发货")
    assert r.exit_code == 0 and _rules(r) == []


def test_pyproject_tool_table(run, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.replylint]\nkind = "email"\n', encoding="utf-8")
    r = run("check", "--format", "json", "-", input="退款已处理。")
    assert {"missing-greeting", "missing-signoff"} <= set(_rules(r))


def test_pyproject_without_tool_table_is_skipped(run, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert run("check", "-", input="退款已处理。").exit_code == 0


def test_cli_options_override_config(run, tmp_path):
    (tmp_path / ".replylint.toml").write_text('platform = "jd"\n', encoding="utf-8")
    text = "感谢您对京东的支持"
    assert run("check", "-", input=text).exit_code == 0
    assert run("check", "--platform", "taobao", "-", input=text).exit_code == 1


def test_explicit_config_option(run, tmp_path):
    cfg = tmp_path / "team.toml"
    cfg.write_text('select = ["contact-leak"]\n', encoding="utf-8")
    r = run("check", "--config", str(cfg), "--format", "json", "-", input="我们保证,加我微信abc123")
    assert _rules(r) == ["contact-leak"]
    missing = run("check", "--config", "nope.toml", "-", input="x")
    assert missing.exit_code == 2 and "nope.toml" in missing.stderr


def test_per_rule_settings(run, tmp_path):
    (tmp_path / ".replylint.toml").write_text(textwrap.dedent("""
        [rules.absolute-promise]
        severity = "error"
        words = ["包邮到家"]
        exceptions = ["保证质量"]
        [rules.missing-greeting]
        applies-to = ["chat", "email"]
    """), encoding="utf-8")
    items = json.loads(run("check", "--format", "json", "-", input="亲,我们保证质量,包邮到家").stdout)["diagnostics"]
    ap = [i for i in items if i["rule"] == "absolute-promise"]
    assert [(i["column"], i["severity"]) for i in ap] == [(10, "error")]
    assert any(i["rule"] == "missing-greeting" for i in json.loads(run("check", "--format", "json", "-", input="退款已处理").stdout)["diagnostics"])


def test_per_glob_overrides(run, tmp_path):
    (tmp_path / ".replylint.toml").write_text(textwrap.dedent("""
        [[overrides]]
        files = ["letters/**"]
        kind = "email"
        [[overrides]]
        files = ["legacy/*.txt"]
        ignore = ["absolute-promise"]
    """), encoding="utf-8")
    for d in ("letters", "legacy", "chat"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "a.txt").write_text("我们保证明天发货。", encoding="utf-8")
    items = json.loads(run("check", "--format", "json", ".").stdout)["diagnostics"]
    by_path = {}
    for i in items:
        by_path.setdefault(i["path"].replace("\\", "/").lstrip("./"), set()).add(i["rule"])
    assert by_path["letters/a.txt"] == {"absolute-promise", "missing-greeting", "missing-signoff"}
    assert "legacy/a.txt" not in by_path
    assert by_path["chat/a.txt"] == {"absolute-promise"}


def test_team_rule_in_toml_without_python(run, tmp_path):
    (tmp_path / "team-rules").mkdir()
    (tmp_path / "team-rules" / "no-refund-talk.toml").write_text(textwrap.dedent("""
        id = "no-lottery"
        kind = "pattern"
        severity = "error"
        summary = "Don't promise prizes."
        norm = "Team policy."
        rationale = "Prizes are regulated."
        patterns = ['抽奖|中奖', '\\bwin\\s+a\\s+prize\\b']
        [message]
        zh = "不要提“{match}”。"
        en = "Don't mention \\"{match}\\"."
        [examples]
        bad = ["参加抽奖吧"]
        good = ["谢谢"]
    """), encoding="utf-8")
    (tmp_path / ".replylint.toml").write_text('rule-paths = ["team-rules"]\n', encoding="utf-8")
    items = json.loads(run("check", "--format", "json", "-", input="好评就能参加抽奖,you can win a prize").stdout)["diagnostics"]
    # 好评就能参加抽奖 is also review-bribery (a prize for a review); only the team rule is asserted here.
    assert [(i["rule"], i["message"]) for i in items if i["rule"] == "no-lottery"] == [("no-lottery", "不要提“抽奖”。"), ("no-lottery", "不要提“win a prize”。")]
    assert "no-lottery" in run("rules").stdout


def test_broken_toml_names_file_and_line(run, tmp_path):
    (tmp_path / ".replylint.toml").write_text('platform = "jd"\nkind = \n', encoding="utf-8")
    r = run("check", "-", input="x")
    assert r.exit_code == 2
    assert ".replylint.toml:2:" in r.stderr and "invalid TOML" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_unknown_or_mistyped_config_keys(run, tmp_path):
    cfg = tmp_path / ".replylint.toml"
    cfg.write_text('platfrom = "jd"\n', encoding="utf-8")
    r = run("check", "-", input="x")
    assert r.exit_code == 2 and "platfrom" in r.stderr
    cfg.write_text('select = "absolute-promise"\n', encoding="utf-8")
    r = run("check", "-", input="x")
    assert r.exit_code == 2 and "'select' must be list[str]" in r.stderr
    cfg.write_text('kind = "sms"\n', encoding="utf-8")
    assert run("check", "-", input="x").exit_code == 2
    cfg.write_text('[rules.absolute-promise]\nseverity = "fatal"\n', encoding="utf-8")
    r = run("check", "-", input="x")
    assert r.exit_code == 2 and "severity" in r.stderr
    cfg.write_text('[rules.no-such-rule]\nseverity = "error"\n', encoding="utf-8")
    r = run("check", "-", input="x")
    assert r.exit_code == 2 and "no-such-rule" in r.stderr


def _team_rule(tmp_path, body: str) -> None:
    (tmp_path / "r").mkdir(exist_ok=True)
    (tmp_path / "r" / "bad.toml").write_text(textwrap.dedent(body), encoding="utf-8")
    (tmp_path / ".replylint.toml").write_text('rule-paths = ["r"]\n', encoding="utf-8")


BASE = """
    id = "team-rule"
    severity = "warning"
    summary = "s"
    norm = "n"
    rationale = "r"
    [message]
    zh = "z"
    en = "e"
    [examples]
    bad = []
    good = []
"""


def test_rule_file_with_unknown_kind(run, tmp_path):
    _team_rule(tmp_path, 'kind = "telepathy"\n' + BASE)
    r = run("check", "-", input="x")
    assert r.exit_code == 2 and "bad.toml" in r.stderr and "telepathy" in r.stderr


def test_rule_file_missing_field(run, tmp_path):
    _team_rule(tmp_path, 'kind = "pattern"\n' + BASE)
    r = run("check", "-", input="x")
    assert r.exit_code == 2 and "bad.toml" in r.stderr and "'patterns'" in r.stderr


def test_rule_file_wrong_type(run, tmp_path):
    _team_rule(tmp_path, 'kind = "pattern"\npatterns = "abc"\n' + BASE)
    r = run("check", "-", input="x")
    assert r.exit_code == 2 and "'patterns' must be" in r.stderr


def test_rule_file_bad_regex(run, tmp_path):
    _team_rule(tmp_path, "kind = \"pattern\"\npatterns = ['(unclosed']\n" + BASE)
    r = run("check", "-", input="x")
    assert r.exit_code == 2 and "bad.toml" in r.stderr and "regular expression" in r.stderr


def test_rule_id_clash_with_bundled_rule(run, tmp_path):
    _team_rule(tmp_path, "kind = \"pattern\"\npatterns = ['x']\n" + BASE.replace("team-rule", "absolute-promise"))
    r = run("check", "-", input="x")
    assert r.exit_code == 2 and "already defined" in r.stderr


def test_catastrophic_pattern_times_out_naming_the_rule(run, tmp_path):
    _team_rule(tmp_path, "kind = \"pattern\"\ntimeout = 0.2\npatterns = ['(a|a)+$']\n" + BASE)
    r = run("check", "-", input="a" * 5000 + "b")
    assert r.exit_code == 2 and "team-rule" in r.stderr and "0.2s" in r.stderr


def test_team_pattern_matches_any_case_and_reports_the_writers_span(run, tmp_path):
    """Patterns match the case-folded view (ß is ss there, İ is i̇), and errors point into the
    pattern as written."""
    rule = write_rule(
        tmp_path / "team-rules", "no-street", "pattern", "patterns = ['strasse\\s*\\d+', 'kelvin']",
        zh="不要写“{match}”。", en="Don't write \"{match}\".", bad=["Hauptstrasse 5"], good=["谢谢"],
    )
    (tmp_path / ".replylint.toml").write_text('rule-paths = ["team-rules"]\n', encoding="utf-8")
    text = "寄到 HAUPTSTRAẞE 5，KELVIN 收"
    items = json.loads(run("check", "--format", "json", "--select", "no-street", "-", input=text).stdout)["diagnostics"]
    assert [text[i["start"] : i["end"]] for i in items] == ["STRAẞE 5", "KELVIN"]
    rule.write_text(rule.read_text(encoding="utf-8").replace("'kelvin'", "'kel(vin'"), encoding="utf-8")
    r = run("check", "-", input=text)
    assert r.exit_code == 2 and "patterns[1]" in r.stderr and "missing ) at position 7" in r.stderr
