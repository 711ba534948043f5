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
