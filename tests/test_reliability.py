"""Issue 11: a first run on a fresh machine never fails, and no state leaks between linters.

The runs here start from an empty cache (a new REPLYLINT_CACHE_DIR), some under CPU load from busy
processes the test starts and ends, and compare with a warm run byte for byte."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from rulefile import write_rule
from test_lsp import LspClient

from replylint import Config, ConfigError, Linter, RuleTimeout
from replylint.config import from_table

CONTACT_DRAFTS = [
    "好的呢麻烦您给一下微-信号哦",
    "亲，加我vx：kf_8888，或者打一三八零零一三八零零零，我们保证明天一定发货",
    "您好，有问题可以加QQ 12345678 或者发邮件到 shop@example.com 联系我们，是你自己没看清楚",
]


def _letter(i: int) -> str:
    body = "\n".join(f"关于您的订单{i}，我们已经安排补发，物流单号会在今天短信通知您，第{n}段说明。" for n in range(40))
    return f"尊敬的客户：\n您好！\n{body}\n如有疑问请加微信 shop_{i:04d} 咨询。\n此致\n敬礼\n客服小李\n"


def _write_drafts(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        if i % 4 == 3:
            (folder / f"letter-{i:03d}.eml").write_text(f"Subject: 订单{i}\n\n" + _letter(i), encoding="utf-8")
        else:
            (folder / f"reply-{i:03d}.txt").write_text(CONTACT_DRAFTS[i % 3] + f" 订单{i}", encoding="utf-8")
    return folder


@contextlib.contextmanager
def cpu_load(workers: int = 3) -> Iterator[None]:
    """Busy processes on every core (and one more) for the duration; always ended."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(workers)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()


def _check(args: list[str], cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, REPLYLINT_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "replylint", "check", "--format", "json", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> Path:
    return _write_drafts(tmp_path_factory.mktemp("drafts") / "in", 72)


@pytest.fixture(scope="module")
def warm(drafts, tmp_path_factory) -> subprocess.CompletedProcess:
    cache = tmp_path_factory.mktemp("warm-cache")
    _check([str(drafts)], drafts.parent, cache)  # fills the cache
    run = _check([str(drafts)], drafts.parent, cache)
    assert run.returncode == 1, run.stderr
    assert "contact-leak" in run.stdout and "ran longer" not in run.stderr
    return run


@pytest.mark.slow
def test_cold_cache_under_load_gives_the_warm_findings(drafts, warm, tmp_path):
    with cpu_load():
        cold = _check([str(drafts)], drafts.parent, tmp_path / "cache")
    assert "ran longer" not in cold.stderr
    assert (cold.returncode, cold.stdout) == (1, warm.stdout), cold.stderr


@pytest.mark.slow
def test_cold_cache_under_load_with_two_jobs(drafts, warm, tmp_path):
    with cpu_load():
        cold = _check(["--jobs", "2", str(drafts)], drafts.parent, tmp_path / "cache")
    assert "ran longer" not in cold.stderr
    assert (cold.returncode, cold.stdout) == (1, warm.stdout), cold.stderr


@pytest.mark.slow
def test_cold_stdin_under_load(tmp_path):
    env = dict(os.environ, REPLYLINT_CACHE_DIR=str(tmp_path / "cache"))
    with cpu_load():
        run = subprocess.run([sys.executable, "-m", "replylint", "check", "-"], input=CONTACT_DRAFTS[0],
                             env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    assert "contact-leak" in run.stdout and run.stderr == ""


@pytest.mark.slow
def test_language_server_first_lint_on_a_cold_cache_under_load(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path / "cache"))
    with cpu_load():
        client = LspClient(tmp_path)
        try:
            client.initialize(tmp_path)
            client.open(tmp_path / "letter.txt", _letter(1) + CONTACT_DRAFTS[1])
            found = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics", timeout=180)["params"]["diagnostics"]
        finally:
            client.kill()
    codes = {d["code"] for d in found}
    assert "contact-leak" in codes and "absolute-promise" in codes
    assert not any("ran longer" in d["message"] for d in found)


@pytest.mark.slow
def test_ten_first_runs_at_once_on_an_empty_cache(drafts, warm, tmp_path):
    cache = tmp_path / "cache"
    env = dict(os.environ, REPLYLINT_CACHE_DIR=str(cache))
    cmd = [sys.executable, "-m", "replylint", "check", "--format", "json", str(drafts)]
    procs = [subprocess.Popen(cmd, cwd=drafts.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(10)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [1] * 10, [e for _, e in outs]
    assert all(out == warm.stdout for out, _ in outs)
    assert not [p.name for p in cache.iterdir() if "tmp" in p.name]  # nothing left half-written
    again = _check([str(drafts)], drafts.parent, cache)
    assert again.stdout == warm.stdout


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_damaged_cache_files_give_the_warm_findings(drafts, warm, tmp_path, damage):
    cache = tmp_path / "cache"
    _check([str(drafts)], drafts.parent, cache)
    files = sorted(cache.iterdir())
    assert any(p.suffix == ".dict" for p in files) and any(p.name.startswith("patterns-") for p in files)
    for p in files:
        data = p.read_bytes()
        if damage == "truncated":
            p.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            p.write_bytes(os.urandom(4096))
        else:
            p.write_bytes(b"")
    run = _check([str(drafts)], drafts.parent, cache)
    assert (run.returncode, run.stdout) == (1, warm.stdout), run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.slow
def test_a_cache_path_that_is_a_file_or_unwritable_still_lints(drafts, warm, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    run = _check([str(drafts)], drafts.parent, blocker)
    assert (run.returncode, run.stdout) == (1, warm.stdout), run.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        run = _check([str(drafts)], drafts.parent, locked / "sub")
        assert (run.returncode, run.stdout) == (1, warm.stdout), run.stderr
    finally:
        locked.chmod(0o700)


@pytest.mark.slow
def test_a_cache_from_another_version_is_not_used(drafts, warm, tmp_path):
    cache = tmp_path / "cache"
    _check([str(drafts)], drafts.parent, cache)
    for p in cache.glob("patterns-*.json"):
        p.rename(p.with_name(p.name.replace("regex", "regex0.0.")))  # another regex version's cache
    for p in cache.glob("*.dict"):
        data = bytearray(p.read_bytes())
        data[:8] = b"RLDICT00"  # an older table format under the current name
        p.write_bytes(bytes(data))
    run = _check([str(drafts)], drafts.parent, cache)
    assert (run.returncode, run.stdout) == (1, warm.stdout), run.stderr


@pytest.mark.slow
def test_output_is_byte_identical_across_runs_jobs_and_file_order(drafts, warm, tmp_path):
    cache = tmp_path / "cache"
    runs = [_check([str(drafts)], drafts.parent, cache).stdout for _ in range(20)]
    assert runs == [warm.stdout] * 20
    assert _check(["--jobs", "2", str(drafts)], drafts.parent, cache).stdout == warm.stdout
    files = sorted(str(p) for p in drafts.iterdir())
    forward = json.loads(_check(files, drafts.parent, cache).stdout)["diagnostics"]
    backward = json.loads(_check(files[::-1], drafts.parent, cache).stdout)["diagnostics"]
    key = lambda d: (d["path"], d["start"], d["rule"])  # noqa: E731
    assert sorted(forward, key=key) == sorted(backward, key=key) == sorted(json.loads(warm.stdout)["diagnostics"], key=key)


def test_one_linters_team_words_never_change_anothers_findings(tmp_path):
    text = "我们保证明天发货，您放心"
    plain = Linter()
    before = plain.lint(text)
    assert [d.rule for d in before] == ["absolute-promise"]
    rules = tmp_path / "rules"
    # A team word that, in a shared tokenizer, would glue 我们保证明 and hide the 保证 above.
    write_rule(rules, "team-words", "wordlist", '[[entries]]\nwords = ["我们保证明"]')
    team = Linter(Config(rule_paths=(rules,), root=tmp_path))
    assert "我们保证明" in team.segmenter.words and "我们保证明" not in plain.segmenter.words
    team_found = {d.rule for d in team.lint(text)}
    assert "absolute-promise" not in team_found  # the team's own tokens decide its own findings
    assert plain.lint(text) == before
    assert Linter().lint(text) == before  # nor a linter made after it


def test_a_stopped_rule_is_an_error_and_the_other_rules_still_report(tmp_path):
    rules = tmp_path / "rules"
    write_rule(rules, "runaway", "pattern", "patterns = ['(a|a)+$']")
    linter = Linter(Config(rule_paths=(rules,), timeout=0.05, root=tmp_path))
    text = "我们保证明天发货 " + "a" * 30 + "b"
    outcome = linter.run(text)
    assert [t.rule for t in outcome.timeouts] == ["runaway"]
    assert [d.rule for d in outcome.diagnostics] == ["absolute-promise"]
    with pytest.raises(RuleTimeout) as caught:
        linter.lint(text)
    assert caught.value.rule == "runaway" and [d.rule for d in caught.value.diagnostics] == ["absolute-promise"]

    # Through the CLI: the rule and the file are named, the other files are still linted, exit 2.
    (tmp_path / ".replylint.toml").write_text('rule-paths = ["rules"]\ntimeout = 0.05\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text("亲，加我微信 kf_8888", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "replylint", "check", "a.txt", "b.txt"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "a.txt: rule runaway: a pattern ran longer" in run.stderr and "Traceback" not in run.stderr
    assert "a.txt:1:3: absolute-promise" in run.stdout and "b.txt:1:" in run.stdout


def test_a_stopped_rule_reports_none_of_what_it_found_before_it_was_stopped(tmp_path):
    rules = tmp_path / "rules"
    # The first pattern finds 明天 at once; the second then runs away.
    write_rule(rules, "runaway", "pattern", "patterns = ['明天', '(a|a)+$']")
    write_rule(rules, "zz-after", "pattern", "patterns = ['发货']")  # a rule run after the stopped one
    linter = Linter(Config(rule_paths=(rules,), timeout=0.05, root=tmp_path))
    outcome = linter.run("我们保证明天发货 " + "a" * 30 + "b")
    assert [t.rule for t in outcome.timeouts] == ["runaway"]
    assert sorted(d.rule for d in outcome.diagnostics) == ["absolute-promise", "zz-after"]
    assert [d.rule for d in linter.run("明天发货").diagnostics] == ["runaway", "zz-after"]  # unstopped, it reports


def test_an_unknown_platform_is_a_config_error_listing_the_known(tmp_path):
    with pytest.raises(ConfigError) as caught:
        Linter(from_table({"platform": "shopfy"}, tmp_path))
    assert "shopfy" in str(caught.value) and "shopee" in str(caught.value) and "jd" in str(caught.value)
    for value in ("jd", "JD", "京东", "tmall", "Shopee"):
        Linter(from_table({"platform": value}, tmp_path))
    run = subprocess.run([sys.executable, "-m", "replylint", "check", "--platform", "shopfy", "-"], input="你好",
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "unknown platform 'shopfy'" in run.stderr and "Traceback" not in run.stderr
