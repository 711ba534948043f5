"""Issue 17 item 5: a team's rule files — every problem at once, their examples run by
`replylint test-rules` and checked by `check`, placeholders and kinds checked at load."""
from __future__ import annotations

GOOD_RULE = '''
id = "no-dear"
kind = "wordlist"
severity = "warning"
summary = "Say 尊敬的, not 亲爱的."
norm = "test"
rationale = "Test."
[message]
zh = "“{match}”太随便"
en = "“{match}” is too casual"
[[entries]]
words = ["亲爱的"]
[examples]
bad = ["亲爱的顾客"]
good = ["尊敬的顾客"]
'''


def setup(tmp_path, text, name="rule.toml"):
    (tmp_path / "team").mkdir(exist_ok=True)
    (tmp_path / "team" / name).write_text(text, "utf-8")
    (tmp_path / ".replylint.toml").write_text('rule-paths = ["team"]\n', "utf-8")
    (tmp_path / "a.txt").write_text("亲,您好\n", "utf-8")


def test_every_problem_of_a_rule_file_is_reported_at_once(run_process, tmp_path):
    setup(tmp_path, 'id = "Bad Id"\nkind = "wordlist"\nseverity = "fatal"\nsumary = "typo"\n[message]\nzh = "x"\n')
    p = run_process("check", "a.txt")
    err = p.stderr.decode("utf-8")
    assert p.returncode == 2 and "Traceback" not in err
    lines = err.splitlines()
    assert all(line.startswith("replylint: error: ") for line in lines)
    # A team's rule may leave out norm, rationale and examples; everything else wrong is listed.
    for expected in ("unknown field 'sumary'", "field 'severity' must be one of", "message: missing field 'en'",
                     "must be a slug"):
        assert any(expected in line for line in lines), (expected, err)
    assert len(lines) >= 4


def test_unknown_kind_lists_the_known_kinds(run, tmp_path):
    setup(tmp_path, GOOD_RULE.replace('kind = "wordlist"', 'kind = "wordlst"'))
    r = run("check", "a.txt")
    assert r.exit_code == 2
    from replylint.rules.kinds import all_kinds

    assert f"unknown rule kind 'wordlst' (known kinds: {', '.join(sorted(all_kinds()))})" in r.stderr
    assert "wordlist" in all_kinds() and "pattern" in all_kinds()
    assert "unknown field 'entries'" not in r.stderr  # the kind's own fields are not mistakes


def test_unknown_placeholder_is_rejected_at_load(run, tmp_path):
    setup(tmp_path, GOOD_RULE.replace("“{match}”太随便", "“{mach}”太随便"))
    r = run("check", "a.txt")
    assert r.exit_code == 2 and "unknown placeholder {mach}" in r.stderr and "Traceback" not in r.stderr
    setup(tmp_path, GOOD_RULE.replace("“{match}” is", "“{match.__class__}” is"))
    r = run("check", "a.txt")
    assert r.exit_code == 2 and "{match.__class__}" in r.stderr


def test_kind_placeholders_are_known(run, tmp_path):
    rule = GOOD_RULE.replace('kind = "wordlist"', 'kind = "pattern"\npatterns = [{ pattern = "亲爱的", category = "casual" }]').replace(
        '[[entries]]\nwords = ["亲爱的"]\n', '').replace("太随便", "太随便（{category}）")
    setup(tmp_path, rule)
    r = run("check", "-", input="亲爱的顾客\n")
    assert r.exit_code == 1, r.stderr
    assert "（casual）" in r.stdout


def test_test_rules_passes_and_fails(run, tmp_path):
    setup(tmp_path, GOOD_RULE)
    ok = run("test-rules")
    assert ok.exit_code == 0 and "ok   no-dear: 1 bad, 1 good" in ok.stdout and "0 failure(s)" in ok.stdout
    setup(tmp_path, GOOD_RULE.replace('good = ["尊敬的顾客"]', 'good = ["尊敬的顾客", "亲爱的朋友"]')
          .replace('bad = ["亲爱的顾客"]', 'bad = ["亲爱的顾客", "喂,顾客"]'))
    bad = run("test-rules", "team")
    assert bad.exit_code == 1
    assert "FAIL no-dear" in bad.stdout
    assert "bad example not caught: '喂,顾客'" in bad.stdout and "good example flagged: '亲爱的朋友'" in bad.stdout
    assert "2 failure(s)" in bad.stdout


def test_test_rules_without_team_rules_checks_the_bundled_ones(run):
    r = run("test-rules")
    assert r.exit_code == 0 and "absolute-promise" in r.stdout


def test_test_rules_on_a_broken_file_exits_2(run, tmp_path):
    setup(tmp_path, "id = 1\n")
    r = run("test-rules", "team")
    assert r.exit_code == 2 and "replylint: error:" in r.stderr


def test_check_warns_when_a_team_rules_example_disagrees(run, tmp_path):
    setup(tmp_path, GOOD_RULE.replace('good = ["尊敬的顾客"]', 'good = ["尊敬的顾客", "亲爱的朋友"]'))
    r = run("check", "a.txt")
    assert r.exit_code == 0
    assert "replylint: warning:" in r.stderr and "no-dear: good example flagged: '亲爱的朋友'" in r.stderr
    setup(tmp_path, GOOD_RULE)
    assert "example" not in run("check", "a.txt").stderr
