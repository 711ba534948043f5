"""Issue 17 item 8: the README's set-up, example and adoption snippets run as written, agree with
CI's script, and the pre-commit snippet names the release tag."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")
EDITORS = (ROOT / "docs" / "editors.md").read_text("utf-8")


def block_after(text: str, heading: str, lang: str) -> str:
    rest = text[text.index(heading):]
    return re.search(rf"```{lang}\n(.*?)```", rest, re.DOTALL).group(1)


def commands(block: str) -> list[str]:
    return [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]


def replylint(args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    argv = shlex.split(args)
    assert argv[0] == "replylint"
    return subprocess.run([sys.executable, "-m", "replylint", *argv[1:]], cwd=cwd, input=input, capture_output=True,
                          text=True, encoding="utf-8", env=dict(os.environ, PYTHONIOENCODING="utf-8"), timeout=300)


def test_setup_commands_and_ci_script_agree():
    setup = commands(block_after(README, "## Set-up", "sh"))
    install, lint = setup[0].split(" && ")
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
          if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]
    assert any("pip install" in line and line.endswith(install.split("pip install", 1)[1].strip()) for line in ci)
    assert lint == "replylint check samples/" and lint in ci  # run under `set -e`: it must exit 0
    assert any(line == setup[1] or line.startswith(setup[1] + " ") for line in ci), ci


def test_setup_lint_of_the_samples_shows_a_finding_and_succeeds(tmp_path):
    r = replylint("replylint check samples/", ROOT)
    assert r.returncode == 0, r.stdout + r.stderr  # `.ci/run` runs it under set -e
    assert "samples/chat/needs-work.txt:1:7: absolute-promise warning" in r.stdout
    # The samples' own config applies from any folder (config is found from each file).
    elsewhere = replylint(f"replylint check {shlex.quote(str(ROOT / 'samples'))}", tmp_path)
    assert elsewhere.returncode == 0 and "needs-work.txt" in elsewhere.stdout


def test_readme_example_output_is_what_replylint_prints(tmp_path):
    shown = re.search(r"```\n\$ echo \"(.*?)\" \| replylint check -\n(.*?)```", README, re.DOTALL)
    text, expected = shown.group(1), shown.group(2)
    r = replylint("replylint check -", tmp_path, input=text + "\n")
    assert r.stdout == expected


def test_adoption_commands_run_as_written(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "faq.md").write_text("亲,我们保证明天发货\n", "utf-8")
    (tmp_path / "templates" / "reply.txt").write_text("你必须先付款\n", "utf-8")
    assert replylint("replylint check templates/", tmp_path).returncode == 1
    add, write, use = commands(block_after(README, "### Adopting", "sh"))
    assert replylint(add, tmp_path).returncode == 0
    assert replylint(write, tmp_path).returncode == 0
    assert replylint(use, tmp_path).returncode == 0
    (tmp_path / "templates" / "new.txt").write_text("加我微信abc123\n", "utf-8")
    assert replylint(use, tmp_path).returncode == 1


def test_precommit_snippets_name_the_release_tag():
    version = re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text("utf-8"), re.M).group(1)
    for text in (README, EDITORS, (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")):
        revs = re.findall(r"rev: (\S+)", text)
        assert revs and all(rev == f"v{version}" for rev in revs), revs
    assert f"`v{version}` is the\nrelease tag of version {version}" in README


def test_cache_folder_and_json_schema_are_documented():
    assert "REPLYLINT_CACHE_DIR" in README
    link = re.search(r"\((docs/schema/[^)]+\.json)\)", README).group(1)
    assert (ROOT / link).is_file()


def test_neovim_snippets_for_old_versions_use_only_what_they_have():
    old = EDITORS[EDITORS.index("Neovim 0.7 to 0.9"):EDITORS.index("Quick fixes are under")]
    snippets = re.findall(r"```lua\n(.*?)```", old, re.DOTALL)
    assert len(snippets) == 2
    for lua in snippets:
        assert "vim.fs" not in lua and "vim.lsp.start(" not in lua and "vim.lsp.config" not in lua
    assert "vim.lsp.start_client" in snippets[1] and "buf_attach_client" in snippets[1]
    new = EDITORS[EDITORS.index("Neovim 0.10:"):EDITORS.index("Neovim 0.7 to 0.9")]
    assert "vim.lsp.start(" in new and "vim.fs.root" in new


def test_rules_page_is_current_and_has_an_anchor_per_rule():
    from replylint.app.rules_doc import rules_markdown
    from replylint.rules.catalogue import load_rules

    page = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert page == rules_markdown(), "regenerate: python -m replylint.app.rules_doc > docs/rules.md"
    for rule in load_rules():
        assert f"\n## {rule.id}\n" in page
