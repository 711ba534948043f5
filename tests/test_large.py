"""Very large drafts: a multi-megabyte e-mail body is one draft, and must lint in time roughly
linear in its length, in bounded memory, without a legitimate pattern hitting the timeout; a
runaway pattern is still stopped and named."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rulefile import write_rule

from replylint.config import Config
from replylint.engine import Linter
from replylint.errors import RuleTimeout
from replylint.matching.timeout import TIMEOUT_CHARS, scaled_timeout
from replylint.text.draft import Draft

pytestmark = pytest.mark.slow  # lints inputs of megabytes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from drafts import generate  # noqa: E402

MIB = 1024 * 1024

_MEASURE = """
import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as f:
    json.dump([os.waitstatus_to_exitcode(status), usage.ru_maxrss], f)
"""


def _body(size_bytes: int, seed: int = 3) -> str:
    """Ordinary replies one after another (some with findings, unclosed quotes, long lines)."""
    texts = [t for t, _ in generate(2000, seed=seed)] + ["他说“这个不行", "请注意“保证金”的规定", "亲" * 300]
    parts: list[str] = []
    size = i = 0
    while size < size_bytes:
        piece = texts[i % len(texts)] + ("\n" if i % 3 else "\n\n")
        parts.append(piece)
        size += len(piece.encode("utf-8"))
        i += 1
    return "".join(parts)


def test_three_megabyte_email_lints_in_bounded_memory(tmp_path):
    body = _body(3_000_000)
    path = tmp_path / "big.eml"
    path.write_text("From: shop@example.com\nTo: buyer@example.com\nSubject: reply\n\n" + body, encoding="utf-8")
    assert path.stat().st_size >= 3_000_000
    start = time.monotonic()
    result = tmp_path / "usage.json"
    with open(tmp_path / "out.json", "wb") as out, open(tmp_path / "err.txt", "wb") as err:
        # Through a small parent: Linux counts in a child's peak what its parent held when it forked.
        subprocess.run(
            [sys.executable, "-c", _MEASURE, str(result), sys.executable, "-m", "replylint", "check", "--format", "json", str(path)],
            stdout=out, stderr=err, cwd=tmp_path, check=True, timeout=600,
        )
    returncode, peak_kib = json.loads(result.read_text())
    errors = (tmp_path / "err.txt").read_text(encoding="utf-8")
    assert returncode in (0, 1), errors
    findings = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["diagnostics"]
    assert len(findings) > 100 and not errors.strip()
    # The engine before this work peaked at 408 MiB here (and took 21 s against 8 s now).
    assert peak_kib * 1024 < 300 * MIB, f"peak RSS {peak_kib / 1024:.0f} MiB"
    assert time.monotonic() - start < 240


def _lint_time(linter: Linter, text: str) -> float:
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        linter.run_draft(Draft(text, segmenter=linter.segmenter), linter.all_rules)
        best = min(best, time.perf_counter() - t0)
    return best


def test_time_grows_about_linearly_with_length():
    linter = Linter()
    small, large = _body(150_000, seed=5), _body(600_000, seed=5)
    ratio = _lint_time(linter, large) / _lint_time(linter, small)
    assert ratio < 8, f"4x the text took {ratio:.1f}x the time"  # quadratic would be ~16x


def test_timeout_budget_scales_with_the_text():
    assert scaled_timeout(1.0, 0) == scaled_timeout(1.0, TIMEOUT_CHARS) == 1.0
    assert scaled_timeout(0.5, 10 * TIMEOUT_CHARS) == pytest.approx(5.0)


@pytest.fixture
def runaway(tmp_path) -> Linter:
    rules = tmp_path / "rules"
    write_rule(rules, "runaway", "pattern", "patterns = ['(a|a)+$']")
    return Linter(Config(rule_paths=(rules,), timeout=0.2, select=("runaway",), root=tmp_path))


def test_runaway_pattern_on_a_long_draft_is_still_stopped_and_named(runaway):
    text = _body(300_000) + "a" * 40 + "b"
    budget = scaled_timeout(0.2, len(text))
    start = time.monotonic()
    with pytest.raises(RuleTimeout) as caught:
        runaway.lint(text)
    assert "runaway" in str(caught.value) and caught.value.rule == "runaway"
    assert time.monotonic() - start < budget + 10


def test_long_draft_positions_are_those_of_the_short_one():
    linter = Linter()
    short = "亲，我们保证明天一定发货。"
    filler = "您好，已经为您查询物流了。\n" * 20_000
    alone = linter.lint(short)
    inside = linter.lint(filler + short)
    assert alone and [(d.rule, d.start + len(filler), d.end + len(filler)) for d in alone] == [
        (d.rule, d.start, d.end) for d in inside if d.start >= len(filler)
    ]


def test_runaway_structure_pattern_is_stopped_and_exits_2(tmp_path):
    """A structure rule's line pattern that runs away ends in a one-line error and exit code 2,
    not a traceback, as for the other kinds."""
    rules = tmp_path / "rules"
    write_rule(rules, "runaway-opening", "structure", "position = \"start\"\npatterns = ['(a|a)+$']")
    (tmp_path / ".replylint.toml").write_text('rule-paths = ["rules"]\nselect = ["runaway-opening"]\n', encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("a" * 40 + "b\n", encoding="utf-8")
    with pytest.raises(RuleTimeout) as caught:
        Linter(Config(rule_paths=(rules,), select=("runaway-opening",), root=tmp_path)).lint(draft.read_text(encoding="utf-8"))
    assert caught.value.rule == "runaway-opening"
    proc = subprocess.run(
        [sys.executable, "-m", "replylint", "check", str(draft)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "runaway-opening" in proc.stderr


def test_entry_pattern_findings_on_a_long_draft_stay_linear():
    """Word-list entry patterns check overlap by bisection: many findings on one draft cost about
    linear time, and the findings are those of the short draft repeated."""
    linter = Linter()
    unit = "这件衣服再怎么洗都不会褪色，质量没得说。\n"
    one = [d for d in linter.lint(unit) if d.rule == "absolute-promise"]
    assert one
    times = []
    for n in (1_000, 4_000):
        start = time.perf_counter()
        found = [d for d in linter.lint(unit * n) if d.rule == "absolute-promise"]
        times.append(time.perf_counter() - start)
        assert len(found) == n * len(one)
        assert [(d.start - i * len(unit), d.end - i * len(unit)) for i, d in enumerate(found[:: len(one)])] == [
            (one[0].start, one[0].end)
        ] * n
    assert times[1] < 8 * times[0] + 0.5


def test_json_string_offsets_are_compact_and_exact():
    """Each decoded character's file offset (escapes, surrogate pairs, raw text), kept as a range
    or an array rather than a list of Python ints."""
    from replylint.input.readers.jsondoc import string_offsets

    for value in ["亲，您好", 'a"b\\\\c\\n😀é\x01亲', "😀" * 3, ""]:
        for ascii_only in (True, False):
            raw = "  " + json.dumps(value, ensure_ascii=ascii_only) + " "
            offsets = string_offsets(raw, 3, len(value))
            assert not isinstance(offsets, list)
            assert len(offsets) == len(value) + 1 and raw[offsets[-1]] == '"'
            for i, ch in enumerate(value):
                piece = raw[offsets[i] : offsets[i + 1]]
                assert json.loads('"' + piece + '"') == ch, (value, i, piece)
