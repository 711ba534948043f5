"""The pre-commit hook, driven by the real pre-commit against throwaway git repositories.

The hook repository is a committed copy of this working tree, so that `rev` is a real commit.
pre-commit builds the hook's virtualenv once (pip-installing replylint and its dependencies) into
a PRE_COMMIT_HOME shared by the module: the first test pays for it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TAG = "v0.0.0-test"
SHIPPED = ("src", "rules", "conversation-rules", "samples", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml", ".pre-commit-config.yaml")

pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """Git and pre-commit isolated from the machine's settings and caches."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text("[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n")
    return dict(
        os.environ,
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        PYTHONIOENCODING="utf-8",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, env) -> Path:
    repo = tmp_path_factory.mktemp("replylint-hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SHIPPED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=ignore)
        else:
            shutil.copy2(src, repo / name)
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "replylint"), ("tag", TAG)):
        proc = _git(repo, *args, env=env)
        assert proc.returncode == 0, proc.stderr
    return repo


@pytest.fixture
def project(tmp_path, hook_repo, env):
    """A template repository with pre-commit installed; returns a function that configures the
    hook's args, writes files and commits them (the hook runs as part of `git commit`)."""
    _git(tmp_path, "init", "-q", env=env)

    def commit(files: dict[str, str], args: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, bool]:
        hook = "      - id: replylint\n" + (f"        args: [{', '.join(args)}]\n" if args else "")
        (tmp_path / ".pre-commit-config.yaml").write_text(
            f"repos:\n  - repo: {hook_repo.as_posix()}\n    rev: {TAG}\n    hooks:\n{hook}", encoding="utf-8")
        if not (tmp_path / ".git" / "hooks" / "pre-commit").exists():
            installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=tmp_path, env=env,
                                       capture_output=True, text=True, timeout=120)
            assert installed.returncode == 0, installed.stdout + installed.stderr
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        _git(tmp_path, "add", "-A", env=env)
        before = _git(tmp_path, "rev-parse", "-q", "--verify", "HEAD", env=env).stdout
        proc = subprocess.run(["git", "commit", "-m", "templates"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=1200)
        after = _git(tmp_path, "rev-parse", "-q", "--verify", "HEAD", env=env).stdout
        return proc, before != after

    return commit


def test_bad_template_blocks_the_commit_and_shows_the_finding(project):
    text = "亲,我们保证明天发货。\n"
    proc, committed = project({"templates/shipping.txt": text})
    out = proc.stdout + proc.stderr
    assert not committed and proc.returncode != 0, out
    assert "replylint" in out and "Failed" in out
    assert f"templates/shipping.txt:1:{text.index('保证') + 1}" in out and "absolute-promise" in out


def test_clean_template_passes(project):
    proc, committed = project({"templates/shipping.txt": "亲,您的订单已发货,一般三天内送达,请注意查收。\n"})
    out = proc.stdout + proc.stderr
    assert committed and proc.returncode == 0, out
    assert "Passed" in out


def test_args_pass_through_to_replylint(project):
    jd = ("--platform", "jd")
    proc, committed = project({"templates/jd.txt": "感谢您选择京东购物。\n"}, jd)
    assert committed, proc.stdout + proc.stderr
    proc, committed = project({"templates/jd.txt": "京东物流明天送达。\n", "templates/other.txt": "淘宝上的价格不一样。\n"}, jd)
    out = proc.stdout + proc.stderr
    assert not committed and "platform-mention" in out and "templates/other.txt" in out
    assert "templates/jd.txt" not in out


def test_default_files_skip_tool_config(project):
    bad = "我们保证明天发货"
    proc, committed = project({
        "package.json": f'{{"name": "shop", "description": "{bad}"}}\n',
        "notes.py": f"# {bad}\n",
        ".github/workflows/ci.yml": f"name: {bad}\n",
        "templates/faq.jsonl": '{"text": "您好,请问有什么可以帮您?"}\n',
    })
    out = proc.stdout + proc.stderr
    assert committed, out
    assert "absolute-promise" not in out


def test_template_collections_in_every_shape(project):
    """The fixtures of tests/test_templates.py committed as a team's template repository: a Markdown
    collection, a keyed JSON macro file, .github/replies.yml and a snippet folder. The hook reports
    each planted problem at its line and column and nothing else (tool files, dot-folders, prose)."""
    from templates_planted import expected, fixture_files

    proc, committed = project(fixture_files())
    out = proc.stdout + proc.stderr
    assert not committed and proc.returncode != 0, out
    reported = {(path, rule, int(line), int(column))
                for path, line, column, rule in re.findall(r"^(\S+?):(\d+):(\d+): (\S+) ", out, re.M)}
    assert reported == expected(), out
    assert "no templates found" not in out


def test_the_projects_own_config_lints_its_samples(hook_repo, env, tmp_path):
    """`.pre-commit-config.yaml` at the root runs replylint (installed here) on samples/ only."""
    repo = tmp_path / "own"
    shutil.copytree(hook_repo, repo)

    def run_all() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=300)

    clean = run_all()
    assert clean.returncode == 0 and "Passed" in clean.stdout, clean.stdout + clean.stderr
    (repo / "notes.txt").write_text("我们保证明天发货。\n", encoding="utf-8")  # outside samples/: not linted
    # samples/.replylint.toml fails only on errors (needs-work.txt shows warnings): an error blocks.
    (repo / "samples" / "chat" / "bad.txt").write_text("有问题加我微信abc12345。\n", encoding="utf-8")
    _git(repo, "add", "-A", env=env)
    failing = run_all()
    assert failing.returncode != 0
    assert "samples/chat/bad.txt" in failing.stdout and "contact-leak" in failing.stdout
    assert "notes.txt" not in failing.stdout


def test_the_readme_snippet_runs_as_written(hook_repo, env, tmp_path):
    """The README's `.pre-commit-config.yaml`, with only the repository URL pointed at a copy of
    this tree tagged as the README says (the release tag `v` + the version)."""
    import re

    readme = (ROOT / "README.md").read_text("utf-8")
    snippet = re.search(r"```yaml\n(repos:.*?)```", readme, re.DOTALL).group(1)
    rev = re.search(r"rev: (\S+)", snippet).group(1)
    _git(hook_repo, "tag", "-f", rev, env=env)
    _git(tmp_path, "init", "-q", env=env)
    (tmp_path / ".pre-commit-config.yaml").write_text(
        re.sub(r"repo: \S+", f"repo: {hook_repo.as_posix()}", snippet), encoding="utf-8")
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.txt").write_text("京东物流明天送达,淘宝上的价格不一样。\n", encoding="utf-8")
    _git(tmp_path, "add", "-A", env=env)
    proc = subprocess.run(["git", "commit", "-m", "t"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1200)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "platform-mention" in out, out
    assert out.count(" platform-mention ") == 1, out  # args [--platform, jd]: 京东 is the home platform
