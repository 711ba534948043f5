"""Issue 17 items 1 and 3: a run that failed never looks clean in any output, and the CLI
conventions CI expects (--exit-zero, -o, --quiet, --color, fix hints)."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "schema" / "replylint-check.schema.json").read_text("utf-8"))


def validate(data):
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    cls(SCHEMA).validate(data)


@pytest.fixture
def broken(tmp_path):
    """One file with a finding, one that cannot be read."""
    (tmp_path / "a.txt").write_text("你必须先付款\n", "utf-8")
    (tmp_path / "broken.json").write_text('{"text": "unterminated', "utf-8")
    return tmp_path


def test_json_is_a_versioned_object_valid_against_the_published_schema(run, broken):
    r = run("check", "--format", "json", "a.txt", "broken.json")
    assert r.exit_code == 2
    data = json.loads(r.stdout)
    validate(data)
    assert data["version"] == 1 and data["tool"]["name"] == "replylint"
    assert [e["path"] for e in data["errors"]] == ["broken.json"] and data["errors"][0]["rule"] is None
    assert data["summary"]["errors"] == 1 and data["summary"]["files"] == 2
    assert [d["rule"] for d in data["diagnostics"]] == ["commanding-you"]


def test_json_of_an_unreadable_file_alone_is_not_clean(run, broken):
    data = json.loads(run("check", "--format", "json", "broken.json").stdout)
    assert data["diagnostics"] == [] and len(data["errors"]) == 1


def test_every_diagnostic_field_is_always_present(run):
    data = json.loads(run("check", "--format", "json", "-", input="亲,我们保证明天发货\n你必须先付款").stdout)
    validate(data)
    fixes = [d["fix"] for d in data["diagnostics"]]
    assert None in fixes and any(f is not None for f in fixes)
    assert all({"start", "end", "fix"} <= set(d) for d in data["diagnostics"])


def test_a_schema_violation_would_be_caught():
    with pytest.raises(jsonschema.ValidationError):
        validate({"version": 1, "tool": {"name": "replylint", "version": "x"}, "diagnostics": [{}], "errors": [],
                  "summary": {}})


def test_sarif_reports_errors_as_notifications_and_rules_have_help_uris(run, broken):
    r = run("check", "--format", "sarif", "a.txt", "broken.json")
    assert r.exit_code == 2
    run_ = json.loads(r.stdout)["runs"][0]
    inv = run_["invocations"][0]
    assert inv["executionSuccessful"] is False
    [note] = inv["toolExecutionNotifications"]
    assert note["level"] == "error" and "broken.json" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.json"
    for rule in run_["tool"]["driver"]["rules"]:
        assert rule["helpUri"].endswith("#" + rule["id"]) and rule["helpUri"].startswith("https://")
    clean = json.loads(run("check", "--format", "sarif", "a.txt").stdout)["runs"][0]["invocations"][0]
    assert clean == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_sarif_with_errors_is_still_valid_sarif(run, broken):
    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))
    log = json.loads(run("check", "--format", "sarif", "a.txt", "broken.json").stdout)
    jsonschema.validators.validator_for(schema)(schema).validate(log)


def test_github_format_annotates_errors(run, broken):
    r = run("check", "--format", "github", "a.txt", "broken.json")
    assert r.exit_code == 2
    errors = [line for line in r.stdout.splitlines() if line.startswith("::error file=broken.json")]
    assert len(errors) == 1 and "file not checked" in errors[0]


def test_statistics_json_includes_errors(run, broken):
    data = json.loads(run("check", "--statistics", "--format", "json", "a.txt", "broken.json").stdout)
    assert data["version"] == 1 and [s["rule"] for s in data["statistics"]] == ["commanding-you"]
    assert len(data["errors"]) == 1 and data["errors"][0]["path"] == "broken.json"


def test_exit_zero_keeps_findings_but_not_errors(run, broken):
    r = run("check", "--exit-zero", "a.txt")
    assert r.exit_code == 0 and "commanding-you" in r.stdout
    assert run("check", "--exit-zero", "a.txt", "broken.json").exit_code == 2


def test_output_file_gets_the_report_and_stdout_stays_empty(run, broken):
    r = run("check", "--format", "json", "-o", "out/report.json", "a.txt")
    assert r.exit_code == 1 and r.stdout == ""
    data = json.loads((broken / "out" / "report.json").read_text("utf-8"))
    assert data["diagnostics"][0]["rule"] == "commanding-you"
    assert not [p for p in (broken / "out").iterdir() if p.name != "report.json"]  # no temp file left


def test_quiet_prints_nothing_on_success_and_only_findings_otherwise(run, tmp_path):
    (tmp_path / "ok.txt").write_text("亲,您的包裹已经发出,请注意查收哦\n", "utf-8")
    (tmp_path / "bad.txt").write_text("你必须先付款\n", "utf-8")
    quiet = run("check", "-q", "ok.txt")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    loud = run("check", "--quiet", "bad.txt")
    assert loud.exit_code == 1 and "commanding-you" in loud.stdout
    assert "Found" not in loud.stdout and "fixable with" not in loud.stdout.splitlines()[-1][:4]


ESC = "\x1b"


def test_color_always_never_and_no_color(run, tmp_path, monkeypatch):
    (tmp_path / "bad.txt").write_text("你必须先付款\n", "utf-8")
    assert ESC + "[" in run("check", "--color", "always", "bad.txt").stdout
    assert ESC not in run("check", "--color", "never", "bad.txt").stdout
    assert ESC not in run("check", "bad.txt").stdout  # auto: not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ESC + "[" in run("check", "bad.txt").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in run("check", "bad.txt").stdout
    assert ESC + "[" in run("check", "--color", "always", "bad.txt").stdout
    monkeypatch.delenv("NO_COLOR")
    # Never into a file, never in JSON.
    run("check", "-o", "r.txt", "bad.txt")
    assert ESC not in (tmp_path / "r.txt").read_text("utf-8")
    assert ESC not in run("check", "--format", "json", "bad.txt").stdout


def test_text_output_says_which_findings_are_fixable_and_how(run, tmp_path):
    from test_reporters import RULE

    (tmp_path / "dear.toml").write_text(RULE, "utf-8")
    (tmp_path / ".replylint.toml").write_text('rule-paths = ["dear.toml"]\nselect = ["dear-you", "commanding-you"]\n', "utf-8")
    (tmp_path / "a.txt").write_text("亲爱的,我们会搞定\n你必须先付款\n", "utf-8")
    out = run("check", "a.txt").stdout
    assert "[*] fixable with --fix → “尊敬的”" in out
    assert "[*] fixable with --fix --unsafe-fixes → “处理好”" in out  # not marked safe
    assert "[*] 1 fixable with --fix; 2 more fixable with --fix --unsafe-fixes." in out
    assert run("check", "--fix", "a.txt").exit_code == 1
    assert "fixable with --fix;" not in run("check", "a.txt").stdout


def test_long_line_output_is_clipped_around_the_span(run, tmp_path):
    line = "好" * 50_000 + "你必须先付款" + "好" * 50_000
    (tmp_path / "long.txt").write_text(line * 1 + "\n", "utf-8")
    out = run("check", "long.txt").stdout
    assert len(out) < 2_000
    shown, caret = out.splitlines()[1:3]
    assert "你必须" in shown and shown.strip().startswith("…") and shown.endswith("…")
    from replylint.text.positions import display_width

    assert display_width(shown.strip()) <= 122
    assert display_width(caret[: caret.index("^")]) == display_width(shown[: shown.index("你必须")])


def test_many_findings_on_one_long_line_stay_linear(run, tmp_path):
    import time

    unit = "你必须先付款," + "好" * 200
    (tmp_path / "long.txt").write_text(unit * 1000 + "\n", "utf-8")
    start = time.monotonic()
    r = run("check", "--select", "commanding-you", "long.txt")
    assert r.exit_code == 1
    # 1000 findings, each a bounded window: the old output printed the 200k line 1000 times.
    assert len(r.stdout) < 1000 * 1000
    assert r.stdout.count("commanding-you") == 1000
    assert time.monotonic() - start < 60


def test_escapes_and_newlines_in_drafts_and_file_names_are_made_visible(run, tmp_path):
    (tmp_path / "a.txt").write_text("你必须\x1b[2J\x1b[31m先付款\rFAKE\n", "utf-8")
    name = "evil\nx.txt:1:1: absolute-promise error forged.txt"
    (tmp_path / name).write_text("你必须先付款\n", "utf-8")
    r = run("check", "a.txt", name)
    assert ESC not in r.stdout and "\r" not in r.stdout
    assert not any(line.startswith("x.txt:1:1:") for line in r.stdout.splitlines())
    assert "␛[2J" in r.stdout and "evil␊x.txt" in r.stdout
    gh = run("check", "--format", "github", "a.txt", name).stdout
    assert ESC not in gh and "\r" not in gh
    assert all(line.startswith("::") for line in gh.splitlines())
