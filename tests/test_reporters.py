"""CI output: SARIF for code scanning (validated against the SARIF 2.1.0 schema), GitHub workflow
annotations, and per-rule statistics."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from replylint.report.reporters.github import escape_data, escape_property

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))

RULE = '''
id = "dear-you"
kind = "wordlist"
severity = "warning"
summary = "Say 尊敬的, not 亲爱的, to a customer."
norm = "test norm"
rationale = "Test rationale."
suggest = ["尊敬的"]

[message]
zh = "“{match}”太随便"
en = "“{match}” is too casual, really"

[[entries]]
words = ["亲爱的"]
fix = "尊敬的"
safe = true

[[entries]]
words = ["搞定"]
fix = "处理好"

[examples]
bad = ["亲爱的顾客"]
good = ["尊敬的顾客"]
'''


@pytest.fixture
def project(tmp_path):
    (tmp_path / "dear.toml").write_text(RULE, "utf-8")
    (tmp_path / ".replylint.toml").write_text(
        'rule-paths = ["dear.toml"]\nselect = ["dear-you", "absolute-promise"]\n'
        '[rules.absolute-promise]\nseverity = "info"\n', "utf-8")
    return tmp_path


def sarif(run, *args):
    r = run("check", "--format", "sarif", *args)
    return r, json.loads(r.stdout)


def test_sarif_is_valid_against_the_schema(run, project):
    folder = project / "客服 回复"
    folder.mkdir()
    (folder / "草稿.txt").write_text("亲爱的顾客,我们保证明天发货\n我们会搞定\n", "utf-8")
    r, log = sarif(run, "客服 回复")
    assert r.exit_code == 1
    validator_cls = jsonschema.validators.validator_for(SCHEMA)
    validator_cls.check_schema(SCHEMA)
    errors = sorted(validator_cls(SCHEMA).iter_errors(log), key=str)
    assert not errors, errors[0].message
    run_ = log["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    driver = run_["tool"]["driver"]
    assert driver["name"] == "replylint" and driver["version"] and driver["informationUri"].startswith("https://")
    uris = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for res in run_["results"]}
    assert uris == {"%E5%AE%A2%E6%9C%8D%20%E5%9B%9E%E5%A4%8D/%E8%8D%89%E7%A8%BF.txt"}


def test_sarif_rules_levels_and_rule_index(run, project):
    (project / "a.txt").write_text("亲爱的顾客,我们保证明天发货\n", "utf-8")
    _, log = sarif(run, "a.txt")
    driver = log["runs"][0]["tool"]["driver"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert sorted(ids) == ["absolute-promise", "dear-you"]
    dear = driver["rules"][ids.index("dear-you")]
    assert dear["shortDescription"]["text"] == "Say 尊敬的, not 亲爱的, to a customer."
    assert "Test rationale." in dear["help"]["text"] and "亲爱的顾客" in dear["help"]["text"]
    assert dear["defaultConfiguration"]["level"] == "warning"
    levels = {}
    for res in log["runs"][0]["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        levels[res["ruleId"]] = res["level"]
    assert levels == {"dear-you": "warning", "absolute-promise": "note"}


def test_sarif_columns_count_code_points_and_end_is_exclusive(run, project):
    # 😀 is one code point but two UTF-16 code units.
    (project / "a.txt").write_text("😀😀亲爱的\n", "utf-8")
    _, log = sarif(run, "a.txt")
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 3, "endLine": 1, "endColumn": 6}


def test_sarif_fixes_only_for_safe_fixes(run, project):
    (project / "a.txt").write_text("亲爱的,我们会搞定\n", "utf-8")
    _, log = sarif(run, "a.txt")
    by_match = {res["locations"][0]["physicalLocation"]["region"]["startColumn"]: res
                for res in log["runs"][0]["results"]}
    safe, unsafe = by_match[1], by_match[8]
    change = safe["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "a.txt"
    assert change["replacements"][0]["insertedContent"]["text"] == "尊敬的"
    assert change["replacements"][0]["deletedRegion"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 4}
    assert "fixes" not in unsafe


def test_sarif_fingerprints_survive_moved_lines_and_tell_repeats_apart(run, project):
    (project / "a.txt").write_text("亲爱的顾客\n亲爱的顾客\n", "utf-8")
    _, before = sarif(run, "a.txt")
    (project / "a.txt").write_text("新的一行\n亲爱的顾客\n亲爱的顾客\n", "utf-8")
    _, after = sarif(run, "a.txt")

    def prints(log):
        return [(res["locations"][0]["physicalLocation"]["region"]["startLine"],
                 res["partialFingerprints"]["replylint/v1"]) for res in log["runs"][0]["results"]]

    (l1, f1), (l2, f2) = prints(before)
    (m1, g1), (m2, g2) = prints(after)
    assert (l1, l2, m1, m2) == (1, 2, 2, 3)
    assert f1 != f2 and (f1, f2) == (g1, g2)


def test_sarif_without_findings_lists_rules_and_no_results(run, project):
    (project / "a.txt").write_text("尊敬的顾客,您好\n", "utf-8")
    r, log = sarif(run, "a.txt")
    assert r.exit_code == 0
    assert log["runs"][0]["results"] == [] and len(log["runs"][0]["tool"]["driver"]["rules"]) == 2


def test_github_escaping():
    assert escape_data("50%\r\nok, a:b") == "50%25%0D%0Aok, a:b"
    assert escape_property("dir,x/a:b%.txt") == "dir%2Cx/a%3Ab%25.txt"


def test_github_annotations(run, project):
    (project / "a,b.txt").write_text("我们保证\n亲爱的\n", "utf-8")
    r = run("check", "--format", "github", "a,b.txt")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == ("::notice file=a%2Cb.txt,line=1,endLine=1,col=3,endColumn=5,"
                        "title=replylint (absolute-promise)::" + lines[0].split("::", 2)[2])
    assert lines[1].startswith("::warning file=a%2Cb.txt,line=2,endLine=2,col=1,endColumn=4,title=replylint (dear-you)::")
    # The message's own newline (before the suggestion) is escaped, so one finding is one line.
    assert lines[1].endswith("::“亲爱的”太随便%0Asuggestion: 尊敬的")
    assert len(lines) == 2


def test_github_stdin_has_no_file_property(run, project):
    r = run("check", "--format", "github", "-", input="亲爱的\n")
    assert r.stdout.startswith("::warning line=1,endLine=1,col=1,endColumn=4,title=")


def test_statistics_text_sorted_by_count_then_rule(run, project):
    (project / "a.txt").write_text("我们保证\n亲爱的,亲爱的\n", "utf-8")
    (project / "b.txt").write_text("一定到\n亲爱的\n", "utf-8")
    r = run("check", "--statistics", "a.txt", "b.txt")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0].split()[:4] == ["3", "dear-you", "warning", "[*]"]
    assert lines[1].split()[:3] == ["2", "absolute-promise", "info"]
    assert "[*]" not in lines[1]
    assert lines[2].startswith("Found 5 problems")
    assert not any(":1:" in line for line in lines), "statistics replace the per-finding listing"


def test_statistics_json(run, project):
    (project / "a.txt").write_text("我们保证\n亲爱的,我们会搞定\n", "utf-8")
    r = run("check", "--statistics", "--format", "json", "a.txt")
    data = json.loads(r.stdout)
    assert data["version"] == 1 and data["errors"] == []
    items = data["statistics"]
    assert [(i["rule"], i["count"], i["fixable"]) for i in items] == [("dear-you", 2, 1), ("absolute-promise", 1, 0)]
    assert items[1]["severity"] == "info" and items[0]["summary"].startswith("Say 尊敬的")


def test_statistics_with_sarif_is_a_usage_error(run, project):
    r = run("check", "--statistics", "--format", "sarif", "-", input="x")
    assert r.exit_code == 2 and "--statistics" in r.stderr and len(r.stderr.splitlines()) == 1
