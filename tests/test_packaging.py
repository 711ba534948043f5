"""A plain, non-editable install ships the rule files inside the wheel and works from there."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds a wheel and installs it

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    [whl] = out.glob("replylint-*.whl")
    return whl


def test_wheel_contains_rules_and_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    bundled = sorted(p.name for p in (ROOT / "rules").glob("*.toml"))
    assert bundled
    for name in bundled:
        assert f"replylint/data/rules/{name}" in names
    assert "replylint/data/t2s.txt" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_lints_from_its_own_rules(wheel, tmp_path):
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import replylint, replylint.rules.catalogue as rs;"
        "print(rs.bundled_rules_dir());"
        "print([d.rule for d in replylint.lint('亲,我们保证明天发货')])"
    )
    run = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    rules_dir, found = run.stdout.splitlines()
    assert rules_dir.startswith(str(target))
    assert found == "['absolute-promise']"


def test_wheel_ships_the_audit_data(wheel, tmp_path):
    """`replylint audit` reads its conversation rules, mappings, scoring and report template from the wheel."""
    names = zipfile.ZipFile(wheel).namelist()
    for rule in (ROOT / "conversation-rules").glob("*.toml"):
        assert f"replylint/data/conversation-rules/{rule.name}" in names
    for data in ("mappings.toml", "scoring.toml", "report.html.j2", "data/synthetic.toml"):
        assert f"replylint/audit/{data}" in names
    target = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    code = ("import sys; sys.path.insert(0, sys.argv[1]);"
            "from replylint.audit.rules import bundled_dir, load_rules; print(bundled_dir()); print(len(load_rules()))")
    run = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    where, count = run.stdout.splitlines()
    assert where.startswith(str(target)) and int(count) == len(list((ROOT / "conversation-rules").glob("*.toml")))
