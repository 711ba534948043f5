"""The benchmark scripts still run against the current engine (their figures are not asserted:
speed is measured, not tested)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the benchmark scripts

ROOT = Path(__file__).resolve().parents[1]


def _breakdown(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "breakdown.py"), "--repeat", "1", *args],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout
    return out.splitlines()


def test_breakdown_times_each_kind_of_draft_and_each_rule():
    lines = _breakdown("--drafts", "60")
    groups = {line.split("  ")[0] for line in lines}
    assert {"chat, clean", "all"} <= groups
    rules = [line.split()[0] for line in lines if line.split() and line.split()[0] in {"absolute-promise", "contact-leak", "missing-signoff"}]
    assert rules == ["absolute-promise", "contact-leak", "missing-signoff"]


def test_breakdown_reads_drafts_from_a_jsonl_file(tmp_path):
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in [
            {"text": "我们保证明天发货。", "kind": "chat"},
            {"text": "您好，已为您登记。", "kind": "chat"},
            {"text": "订单已发货。", "kind": "email"},
        ]) + "\n",
        encoding="utf-8",
    )
    lines = _breakdown("--texts", str(drafts))
    counts = {line[:16].strip(): int(line.split()[-5]) for line in lines[1:5] if line.strip()}
    assert counts == {"chat, clean": 1, "chat, finding": 1, "e-mail": 1, "all": 3}


def test_findings_lists_every_lint_the_same_way_twice():
    """benchmarks/findings.py, the before/after check of a speed change: one JSON line per lint,
    findings in a fixed order, the same bytes from two runs of the same tree."""
    run = lambda: subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "findings.py"), "--generated", "0"],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout
    first = run()
    rows = [json.loads(line) for line in first.splitlines()]
    corpus = [r for r in rows if r[0].startswith("corpora/blaming-you.jsonl:")]
    assert corpus and all(r[1] in ("chat", "email") and r[2] in (None, "jd") for r in rows)
    assert any(f[0] == "blaming-you" for r in corpus for f in r[3])
    assert run() == first


def test_compare_prints_both_trees_ratios_for_each_round_and_their_median():
    """benchmarks/compare.py imports two trees into one process (here this tree twice) and prints,
    for each round and group of drafts, each tree's ratio to jieba and the second's to the first."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "compare.py"), str(ROOT / "src"), str(ROOT / "src"), "--rounds", "2", "--drafts", "300"],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout.splitlines()
    assert out[0] == f"A {ROOT / 'src'}" and out[1] == f"B {ROOT / 'src'}"
    assert out[2].split() == ["round", "drafts", "count", "A/jieba", "B/jieba", "B/A"]
    rows = [line.split() for line in out[3:-1]]
    assert [(r[0], " ".join(r[1:-4])) for r in rows] == [(str(i), g) for i in (1, 2) for g in ("all", "clean", "with findings")]
    assert all(int(r[-4]) > 0 and all(0 < float(x) < 20 for x in r[-3:]) for r in rows)
    assert out[-1].startswith("median B/A over the rounds: all ")
