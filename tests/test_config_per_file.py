"""Issue 17 item 2: each file is linted with the nearest config above it (like ruff), from
whatever folder the CLI runs, and the language server finds the same one (config_for_file)."""
from __future__ import annotations

import json
import os

import pytest

from replylint.app.lsp.linting import BufferLinter
from replylint.config import config_for_file

TEXT = "京东的价格和淘宝不一样。\n"


@pytest.fixture
def shops(tmp_path):
    """Two shops side by side, each with its own config, and a file outside both."""
    for name, platform in (("jd-shop", "jd"), ("tb-shop", "taobao")):
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / ".replylint.toml").write_text(f'platform = "{platform}"\n', "utf-8")
        (tmp_path / name / "sub" / "reply.txt").write_text(TEXT, "utf-8")
    (tmp_path / "loose.txt").write_text(TEXT, "utf-8")
    return tmp_path


def test_each_file_gets_its_nearest_config_in_one_run(run, shops):
    r = run("check", "--format", "json", "--select", "platform-mention", "jd-shop", "tb-shop/sub/reply.txt", "loose.txt")
    by = {}
    for d in json.loads(r.stdout)["diagnostics"]:
        by.setdefault(d["path"].replace(os.sep, "/"), []).append(TEXT[d["column"] - 1:d["end_column"] - 1])
    assert by["jd-shop/sub/reply.txt"] == ["淘宝"]
    assert by["tb-shop/sub/reply.txt"] == ["京东"]
    assert sorted(by["loose.txt"]) == ["京东", "淘宝"]


def test_running_from_outside_the_project_finds_the_files_config(run_process, shops, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    p = run_process("check", "--format", "json", "--select", "platform-mention", str(shops / "jd-shop" / "sub" / "reply.txt"),
                    cwd=elsewhere)
    found = [TEXT[d["column"] - 1:d["end_column"] - 1] for d in json.loads(p.stdout)["diagnostics"]]
    assert found == ["淘宝"], p.stderr


def test_explicit_config_is_used_for_every_file(run, shops):
    r = run("check", "--format", "json", "--select", "platform-mention", "--config", "tb-shop/.replylint.toml", "jd-shop")
    found = [TEXT[d["column"] - 1:d["end_column"] - 1] for d in json.loads(r.stdout)["diagnostics"]]
    assert found == ["京东"]


def test_fail_on_comes_from_each_files_config(run, tmp_path):
    (tmp_path / "lenient").mkdir()
    (tmp_path / "lenient" / ".replylint.toml").write_text('fail-on = "error"\n', "utf-8")
    (tmp_path / "lenient" / "a.txt").write_text("你必须先付款\n", "utf-8")
    (tmp_path / "strict.txt").write_text("你必须先付款\n", "utf-8")
    assert run("check", "lenient/a.txt").exit_code == 0
    assert run("check", "lenient/a.txt", "strict.txt").exit_code == 1


def test_cli_and_language_server_agree_on_the_config(run, shops):
    path = shops / "jd-shop" / "sub" / "reply.txt"
    cli = json.loads(run("check", "--format", "json", str(path)).stdout)["diagnostics"]
    _, lsp = BufferLinter(shops / "tb-shop").lint(TEXT, path)  # the server's workspace is another shop
    assert [(d["rule"], d["start"], d["end"]) for d in cli] == [(d.rule, d.start, d.end) for d in lsp]
    assert config_for_file(path).path == shops / "jd-shop" / ".replylint.toml"
    assert BufferLinter(shops).config_for(path).path == config_for_file(path).path


def test_config_command_shows_each_setting_and_its_source(run, shops):
    r = run("config", "jd-shop/sub/reply.txt")
    assert r.exit_code == 0
    lines = {line.split("=")[0].strip(): line for line in r.stdout.splitlines() if not line.startswith("#")}
    assert lines["platform"].endswith(f'"jd"  # {shops / "jd-shop" / ".replylint.toml"}')
    assert lines["fail-on"].endswith('"warning"  # default')
    data = json.loads(run("config", "--format", "json", "loose.txt").stdout)
    assert data[0]["config"] is None and data[0]["settings"]["platform"] == {"value": None, "source": "default"}


def test_show_settings_marks_command_line_values(run, shops):
    r = run("check", "--show-settings", "--platform", "douyin", "--kind", "email", "jd-shop/sub/reply.txt")
    assert r.exit_code == 0
    lines = {line.split("=")[0].strip(): line for line in r.stdout.splitlines() if not line.startswith("#")}
    assert lines["platform"].endswith('"douyin"  # command line')
    assert lines["kind"].endswith('"email"  # command line')
