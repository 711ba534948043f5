"""Issue 17 item 4: adopting replylint on a repository with findings — suppression comments
added in bulk where the format can carry them (--add-noqa), and a baseline elsewhere."""
from __future__ import annotations

import json

MD = "# 回复模板\n\n亲,我们保证明天发货\n你必须先付款,我们保证\n\n- 你必须先付款\n"


def test_add_noqa_suppresses_every_finding_in_markdown_and_names_the_rest(run, tmp_path):
    (tmp_path / "a.md").write_text(MD, "utf-8")
    (tmp_path / "b.txt").write_text("你必须先付款\n", "utf-8")
    assert run("check", "a.md").exit_code == 1
    r = run("check", "--add-noqa", ".")
    assert r.exit_code == 0
    assert "b.txt: its format cannot carry a suppression comment" in r.stderr and "--write-baseline" in r.stderr
    text = (tmp_path / "a.md").read_text("utf-8")
    assert "<!-- replylint-disable-next-line absolute-promise -->\n亲,我们保证明天发货\n" in text
    # Inside a paragraph the comment goes at the end of the line, so the paragraph stays whole.
    assert "你必须先付款,我们保证 <!-- replylint-disable-line absolute-promise commanding-you -->\n" in text
    assert "<!-- replylint-disable-next-line commanding-you -->\n- 你必须先付款\n" in text
    after = run("check", "a.md")
    assert after.exit_code == 0, after.stdout
    assert (tmp_path / "b.txt").read_text("utf-8") == "你必须先付款\n"  # untouched
    # Running it again adds nothing.
    run("check", "--add-noqa", "a.md")
    assert (tmp_path / "a.md").read_text("utf-8") == text


def test_add_noqa_keeps_the_files_encoding_and_line_endings(run, tmp_path):
    data = "亲,我们保证明天发货\r\n".encode("gb18030")
    (tmp_path / "a.md").write_bytes(data)
    run("check", "--add-noqa", "a.md")
    assert (tmp_path / "a.md").read_bytes() == (
        "<!-- replylint-disable-next-line absolute-promise -->\r\n亲,我们保证明天发货\r\n".encode("gb18030"))


def test_baseline_hides_known_findings_and_survives_moved_lines(run, tmp_path):
    (tmp_path / "a.txt").write_text("你必须先付款\n", "utf-8")
    r = run("check", "--write-baseline", ".")
    assert r.exit_code == 0 and "Wrote 1 finding(s)" in r.stderr
    data = json.loads((tmp_path / ".replylint-baseline.json").read_text("utf-8"))
    assert data["version"] == 1 and data["findings"][0]["rule"] == "commanding-you"
    known = run("check", "--baseline", ".replylint-baseline.json", ".")
    assert known.exit_code == 0 and "1 finding(s) hidden by the baseline" in known.stdout
    # Lines added above: still the same finding.
    (tmp_path / "a.txt").write_text("亲,你好\n\n你必须先付款\n", "utf-8")
    assert run("check", "--baseline", ".replylint-baseline.json", ".").exit_code == 0
    # A second occurrence is new, and only it is reported.
    (tmp_path / "a.txt").write_text("亲,你好\n\n你必须先付款\n你必须先付款\n", "utf-8")
    new = run("check", "--format", "json", "--baseline", ".replylint-baseline.json", ".")
    assert new.exit_code == 1
    assert [d["line"] for d in json.loads(new.stdout)["diagnostics"]] == [4]


def test_baseline_from_config_and_from_another_folder(run, tmp_path, monkeypatch):
    project = tmp_path / "p"
    (project / "t").mkdir(parents=True)
    (project / "t" / "a.txt").write_text("你必须先付款\n", "utf-8")
    (project / ".replylint.toml").write_text('baseline = "lint-baseline.json"\n', "utf-8")
    monkeypatch.chdir(project)
    assert run("check", "--write-baseline", "t").exit_code == 0
    assert (project / "lint-baseline.json").is_file()
    monkeypatch.chdir(tmp_path)
    assert run("check", "p/t/a.txt").exit_code == 0  # paths are relative to the baseline's folder
    (project / "t" / "b.txt").write_text("我们保证明天发货\n", "utf-8")
    assert run("check", "p/t").exit_code == 1


def test_a_broken_baseline_is_a_one_line_error(run, tmp_path):
    (tmp_path / "a.txt").write_text("你必须先付款\n", "utf-8")
    (tmp_path / "bl.json").write_text("[1, 2]", "utf-8")
    r = run("check", "--baseline", "bl.json", "a.txt")
    assert r.exit_code == 2 and "not a replylint baseline" in r.stderr
    r = run("check", "--baseline", "missing.json", "a.txt")
    assert r.exit_code == 2 and "baseline file not found" in r.stderr
