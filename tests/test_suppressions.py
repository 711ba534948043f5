"""Suppressions: Markdown comments, entry fields and per-file config ignores switch rules off where
they say, and the ones that switch nothing off are reported on request."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from replylint.app.run import lint_source
from replylint.config import Config
from replylint.engine import Linter
from replylint.errors import InputError
from replylint.input.sources import read_options, read_source
from replylint.report.suppressions import split_rules

FIX = Path(__file__).parent / "fixtures" / "inputs"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Config())


def spans(linter: Linter, path: Path, **config) -> list[tuple[str, int, int]]:
    if config:
        linter = Linter(Config(**config))
    result = lint_source(linter, read_source(str(path), read_options(linter.config)))
    return [(d.rule, d.line, d.column) for d in result.diagnostics]


def write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def test_markdown_directives(linter):
    assert spans(linter, FIX / "suppressed.md") == [
        ("absolute-promise", 4, 3),  # the line after next is not covered
        ("absolute-promise", 8, 3),  # re-enabled by name; commanding-you stays off
        ("commanding-you", 10, 1),  # everything re-enabled
    ]


def test_unused_suppressions_reported_on_request(linter):
    found = spans(linter, FIX / "suppressed.md", report_unused_suppressions=True)
    assert ("unused-suppression", 11, 1) in found
    assert [f for f in found if f[0] == "unused-suppression"] == [("unused-suppression", 11, 1)]


def test_disable_file(linter):
    assert spans(linter, FIX / "disable-file.md") == [("commanding-you", 2, 10)]


def test_disable_line_and_all_rules(linter, tmp_path):
    f = write(tmp_path, "a.md", "你必须付款，我们保证 <!-- replylint-disable-line -->\n我们保证\n")
    assert spans(linter, f) == [("absolute-promise", 2, 3)]


def test_enable_one_rule_inside_an_all_region(linter, tmp_path):
    f = write(tmp_path, "a.md", "<!-- replylint-disable -->\n你必须付款，我们保证\n"
              "<!-- replylint-enable absolute-promise -->\n你必须付款，我们保证\n")
    assert spans(linter, f) == [("absolute-promise", 4, 9)]


def test_directive_in_code_block_is_not_a_directive(linter, tmp_path):
    f = write(tmp_path, "a.md", "```\n<!-- replylint-disable-file -->\n```\n我们保证\n")
    assert spans(linter, f, markdown_templates="sections") == [("absolute-promise", 4, 3)]


def test_comments_in_plain_text_reach_the_customer(linter, tmp_path):
    f = write(tmp_path, "a.txt", "<!-- replylint-disable-file -->\n我们保证\n")
    assert spans(linter, f) == [("absolute-promise", 2, 3)]


def test_unused_kinds_named(tmp_path):
    comment = "<!-- replylint-disable-next-line absolute-promise,no-such-rule,commanding-you -->"
    f = write(tmp_path, "a.md", f"{comment}\n好的\n<!-- replylint-disable -->\n好的\n")
    linter = Linter(Config(ignore=("commanding-you",), report_unused_suppressions=True))
    diags = [d for d in lint_source(linter, read_source(str(f))).diagnostics]
    assert [(d.rule, d.severity, d.line, d.column, d.end_line, d.end_column) for d in diags] == [
        ("unused-suppression", "warning", 1, 1, 1, len(comment) + 1),
        ("unused-suppression", "warning", 3, 1, 3, 27),
    ]
    assert diags[0].message == (
        "unused suppression: absolute-promise, no-such-rule (unknown rule), commanding-you (rule not enabled)"
    )
    assert diags[1].message == "unused suppression: no finding to suppress"


def test_used_suppression_not_reported(linter, tmp_path):
    f = write(tmp_path, "a.md", "<!-- replylint-disable-next-line absolute-promise -->\n我们保证\n")
    assert spans(linter, f, report_unused_suppressions=True) == []


def test_json_field_forms(linter, tmp_path):
    f = write(tmp_path, "a.json", """[
{"text": "你必须付款，我们保证", "replylint-ignore": ["absolute-promise"]},
{"text": "你必须付款，我们保证", "replylint-ignore": "absolute-promise, commanding-you"},
{"text": "你必须付款，我们保证", "replylint-ignore": "ALL"},
{"text": "你必须付款，我们保证", "replylint-ignore": []}
]""")
    assert spans(linter, f) == [("commanding-you", 2, 11), ("commanding-you", 5, 11), ("absolute-promise", 5, 19)]


def test_field_name_configurable(tmp_path):
    f = write(tmp_path, "a.yaml", "- text: 我们保证\n  lint-off: absolute-promise\n- text: 我们保证\n  replylint-ignore: absolute-promise\n")
    assert spans(Linter(Config()), f) == [("absolute-promise", 1, 11)]
    assert spans(Linter(Config()), f, ignore_field="lint-off") == [("absolute-promise", 3, 11)]


def test_unused_field_reported_at_the_field(linter):
    found = spans(linter, FIX / "templates.json", report_unused_suppressions=True)
    assert ("unused-suppression", 6, 42) in found


def test_csv_column(linter):
    assert ("absolute-promise", 4, 1) not in spans(linter, FIX / "templates.csv")


def test_bad_field_value_is_an_input_error(tmp_path):
    f = write(tmp_path, "a.json", '[{"text": "好", "replylint-ignore": 3}]')
    with pytest.raises(InputError, match=r"a.json:1:11: the suppression field must be a rule id or a list of them"):
        read_source(str(f))


def test_unknown_directive_warns_on_stderr(run, tmp_path):
    shutil.copy(FIX / "suppressed.md", tmp_path / "s.md")
    r = run("check", "s.md")
    assert r.exit_code == 1
    assert r.stderr == "replylint: warning: s.md:13:1: unknown replylint directive 'replylint-disable-nextline', ignored\n"


def test_cli_flag_and_config_key(run, tmp_path):
    write(tmp_path, "a.md", "<!-- replylint-disable-next-line absolute-promise -->\n好的\n")
    assert run("check", "a.md").exit_code == 0
    r = run("check", "--report-unused-suppressions", "a.md")
    assert r.exit_code == 1 and r.stdout.startswith("a.md:1:1: unused-suppression warning unused suppression: absolute-promise")
    write(tmp_path, ".replylint.toml", "report-unused-suppressions = true\n")
    assert run("check", "a.md").exit_code == 1


def test_overrides_ignore_per_file_glob(run, tmp_path, monkeypatch):
    write(tmp_path, ".replylint.toml",
          '[[overrides]]\nfiles = ["quotes/*.txt", "**/legacy.md"]\nignore = ["absolute-promise"]\n')
    (tmp_path / "quotes").mkdir()
    (tmp_path / "deep" / "er").mkdir(parents=True)
    write(tmp_path / "quotes", "q.txt", "我们保证")
    write(tmp_path / "deep" / "er", "legacy.md", "我们保证")
    write(tmp_path, "a.txt", "我们保证")
    r = run("check", "--format", "json", ".")
    assert [(Path(d["path"]).as_posix(), d["rule"]) for d in json.loads(r.stdout)["diagnostics"]] == [("a.txt", "absolute-promise")]
    # Globs are relative to the config file, wherever the run starts.
    monkeypatch.chdir(tmp_path / "quotes")
    assert run("check", "q.txt").exit_code == 0
    assert run("check", "../a.txt").exit_code == 1


def test_split_rules():
    assert split_rules(" a, b  c,") == ("a", "b", "c")
    assert split_rules("") is None and split_rules("a ALL") is None
