"""Template collections as teams keep them (tests/fixtures/templates), linted end to end through
the CLI: every template found, each planted problem at its line and column, the prose, badges,
links and tool files around them silent. The same fixtures go through the real pre-commit in
tests/test_precommit.py."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from templates_planted import FIXTURES, SILENT_FILES, TEMPLATES, expected, position

from replylint.input.readers.markdown import read as read_markdown
from replylint.input.sources import ReadOptions, read_source


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the fixtures as a team's template repository."""
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_every_planted_problem_at_its_place_and_nothing_else(run, repo):
    r = run("check", "--format", "json", ".")
    assert r.exit_code == 1, r.stderr
    found = {(Path(d["path"]).as_posix(), d["rule"], d["line"], d["column"]) for d in json.loads(r.stdout)["diagnostics"]}
    assert found == expected()
    assert r.stderr == ""  # tool files yield nothing and say nothing


def test_summary_counts_every_template_in_every_file(run, repo):
    r = run("check", ".")
    files = len(TEMPLATES) + len(SILENT_FILES)
    drafts = sum(TEMPLATES.values())
    with_problems = len({name for name, *_ in expected()})
    assert r.stdout.splitlines()[-1].startswith(f"Found {len(expected())} problems")
    assert r.stdout.splitlines()[-1].endswith(f"in {with_problems} of {files} files ({drafts} drafts)."), r.stdout


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_each_template_is_its_own_draft(repo, name):
    config_free = read_source(str(repo / name), ReadOptions())
    assert len([s for s in config_free.segments if s.text.strip()]) == TEMPLATES[name]


def test_fenced_templates_are_the_blocks_verbatim():
    text = (FIXTURES / "collection" / "kefu-huashu.md").read_text(encoding="utf-8")
    drafts = read_markdown(text).segments
    blocks = text.split("```")[1::2]  # what lies between fences, info string line included
    assert [d.text for d in drafts] == [b.split("\n", 1)[1] for b in blocks]
    assert all(text[d.start : d.start + len(d.text)] == d.text for d in drafts)


def test_contact_span_covers_the_handle(run, repo):
    r = run("check", "--format", "json", "collection/kefu-huashu.md")
    leak = next(d for d in json.loads(r.stdout)["diagnostics"] if d["rule"] == "contact-leak")
    line, column = position("collection/kefu-huashu.md", "微信 kf_8888")
    assert (leak["line"], leak["column"], leak["end_line"], leak["end_column"]) == (line, column, line, column + len("微信 kf_8888"))


def test_own_contact_points_pass_only_with_the_allow_list(run, repo):
    # Without the team's config, its tracking link, hotline and help link are off-platform contacts.
    (repo / ".replylint.toml").write_text('platform = "taobao"\n', encoding="utf-8")
    r = run("check", "--format", "json", "collection/macros.json", "snippets/refund-approved.md")
    flagged = {(Path(d["path"]).name, d["line"]) for d in json.loads(r.stdout)["diagnostics"] if d["rule"] == "contact-leak"}
    assert ("macros.json", position("collection/macros.json", "https://track.paysend.com")[0]) in flagged
    # (the e-mail's hotline and site are a company signature block: never flagged in an e-mail)
    assert not any(name == "refund-approved.md" for name, _ in flagged)


def test_dot_folders_other_than_github_are_skipped_unless_named(run, repo):
    assert not any(".drafts" in p for p, *_ in expected())
    r = run("check", "--format", "json", ".")
    assert all(".drafts" not in d["path"] for d in json.loads(r.stdout)["diagnostics"])
    r = run("check", "--format", "json", "--include", ".drafts/*.md", ".")
    assert any(".drafts/notes.md" in Path(d["path"]).as_posix() for d in json.loads(r.stdout)["diagnostics"])
    r = run("check", "--format", "json", ".drafts")
    assert r.exit_code == 1 and json.loads(r.stdout)["diagnostics"]
