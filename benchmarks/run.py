"""replylint's speed against jieba's, as ratios measured in the same run (machines are shared and
noisy, so absolute times mean little; ratios of interleaved runs mean more).

    python benchmarks/run.py            # the full run, about a minute
    python benchmarks/run.py --quick    # fewer repeats and drafts, for a smoke test

Targets (docs/speed.md):
  cold start   `replylint check one-draft.txt`        <= 0.3 x `python -c "import jieba; jieba.initialize()"`
  throughput   `replylint check` on 4,000 drafts       <= 1.0 x a process loading jieba and cutting them
  warm library `replylint.lint(draft)` per draft       <= 1.0 x `jieba.lcut(draft)` in the same process
Peak memory is the largest resident set of each process (getrusage), and tracemalloc's peak for
the library.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from drafts import generate, write  # noqa: E402

ONE_DRAFT = "亲，您好！这款是我们店的爆款，我们保证明天一定发货，到货后有任何问题随时联系我们哦~\n"

JIEBA_INIT = "import jieba; jieba.initialize()"
JIEBA_FILES = """
import sys, pathlib, jieba
jieba.initialize()
for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    jieba.lcut(p.read_text(encoding="utf-8"))
"""
JIEBA_JSONL = """
import sys, json, jieba
jieba.initialize()
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        jieba.lcut(json.loads(line)["text"])
"""


def replylint_command() -> list[str]:
    """The console script next to this interpreter (what users run), else ``python -m replylint``."""
    script = shutil.which("replylint", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "replylint"]


def compile_package() -> None:
    """Bytecode for replylint's modules, as an installed package has it. pip compiles a package's
    modules when it installs it (jieba's, click's, regex's), but an editable install on a machine
    that sets PYTHONDONTWRITEBYTECODE compiles every module of ours at every start, a fifth of a
    cold start that no user's installed replylint pays."""
    import compileall

    import replylint

    compileall.compile_dir(str(Path(replylint.__file__).parent), quiet=1)


def run(cmd: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall time in seconds and peak resident set in KiB of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err}")
    return wall, usage.ru_maxrss


def compare(name: str, ours: list[str], theirs: list[str], repeat: int, ok: tuple[int, ...], target: "float | None" = None) -> dict:
    """Interleaved runs of both commands; the ratio of the medians."""
    run(ours, ok)  # caches (ours and jieba's) built, files in the page cache
    run(theirs)
    a, b, ma, mb = [], [], 0, 0
    for _ in range(repeat):
        t, m = run(theirs)
        b.append(t)
        mb = max(mb, m)
        t, m = run(ours, ok)
        a.append(t)
        ma = max(ma, m)
    ours_t, theirs_t = statistics.median(a), statistics.median(b)
    return {"name": name, "ours": ours_t, "jieba": theirs_t, "ratio": ours_t / theirs_t, "target": target,
            "ours_rss_kib": ma, "jieba_rss_kib": mb}


def warm_up() -> None:
    """jieba's dictionary loaded, replylint's rules compiled, both run on drafts other than those timed."""
    import jieba

    import replylint

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for text, kind in generate(500, seed=99):
        replylint.lint(text, kind=kind)
        jieba.lcut(text)


def time_both(drafts: list[tuple[str, str]], chunk: int = 100) -> tuple[float, float]:
    """Seconds ``jieba.lcut`` and ``replylint.lint`` take over ``drafts``, a hundred drafts of one
    and then the same hundred of the other: a machine that speeds up or slows down in the middle
    of a run (shared, noisy) does so for both."""
    import jieba

    import replylint

    theirs = ours = 0.0
    for i in range(0, len(drafts), chunk):
        part = drafts[i : i + chunk]
        t0 = time.perf_counter()
        for text, _ in part:
            jieba.lcut(text)
        t1 = time.perf_counter()
        for text, kind in part:
            replylint.lint(text, kind=kind)
        theirs += t1 - t0
        ours += time.perf_counter() - t1
    return theirs, ours


def warm(count: int, repeat: int, which: str = "all") -> dict:
    """Per-draft time of ``replylint.lint`` and ``jieba.lcut`` on the same unseen drafts: all of
    them, or only the clean ones or only those with a finding (``which``), sorted by a separate
    linter so that the timed one has never seen them."""
    import replylint

    warm_up()
    judge = replylint.Linter()
    best_ours = best_jieba = float("inf")
    ratios = []
    for r in range(repeat):
        drafts = generate(count, seed=1000 + r)  # unseen, so no cache answers for us
        if which != "all":
            drafts = [(t, k) for t, k in drafts if bool(judge.lint(t, kind=k)) == (which == "with findings")]
            segmenter = judge.segmenter
            for cache in (segmenter.cut, segmenter.cut_block, segmenter.block_ends):
                cache.cache_clear()  # shared with the timed linter (same words): judging must not warm it
        theirs, ours = time_both(drafts)
        best_jieba = min(best_jieba, theirs / len(drafts))
        best_ours = min(best_ours, ours / len(drafts))
        ratios.append(ours / theirs)
    tracemalloc.start()
    for text, kind in generate(300, seed=7):
        replylint.lint(text, kind=kind)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "name": "warm library, per draft" + ("" if which == "all" else f" ({which})"),
        "ours": best_ours,
        "jieba": best_jieba,
        "ratio": statistics.median(ratios),  # of each run's own ratio: the runs' bests may come from different moments
        "target": 1.0,
        "tracemalloc_peak_kib": peak // 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description="replylint speed as ratios against jieba")
    ap.add_argument("--quick", action="store_true", help="fewer repeats and drafts")
    ap.add_argument("--drafts", type=int, default=4000)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7
    count = 1000 if args.quick else args.drafts
    cli = replylint_command()
    compile_package()
    results = []
    with tempfile.TemporaryDirectory(prefix="replylint-bench-") as tmp:
        root = Path(tmp)
        one = root / "one-draft.txt"
        one.write_text(ONE_DRAFT, encoding="utf-8")
        folder = root / "drafts"
        write(folder, count)
        jsonl = root / "drafts.jsonl"
        with open(jsonl, "w", encoding="utf-8") as f:
            for text, kind in generate(count):
                f.write(json.dumps({"text": text, "kind": kind}, ensure_ascii=False) + "\n")
        py = sys.executable
        findings = (0, 1)
        results.append(compare("cold start", cli + ["check", str(one)], [py, "-c", JIEBA_INIT], repeat * 2, findings, 0.3))
        few = max(2, repeat // 2)
        results.append(compare(f"throughput, {count} files", cli + ["check", str(folder)], [py, "-c", JIEBA_FILES, str(folder)], few, findings, 1.0))
        results.append(compare(f"throughput, {count} files, -j 1", cli + ["check", "-j", "1", str(folder)], [py, "-c", JIEBA_FILES, str(folder)], few, findings))
        results.append(compare("throughput, 1 JSONL file", cli + ["check", str(jsonl)], [py, "-c", JIEBA_JSONL, str(jsonl)], few, findings, 1.0))
    for which in ("all", "clean", "with findings"):
        results.append(warm(min(count, 2000), 3, which))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"replylint vs jieba, {count} drafts, median of {repeat}-{repeat * 2} interleaved runs ({' '.join(Path(c).name for c in cli)})")
    print(f"{'measure':<34} {'replylint':>11} {'jieba':>11} {'ratio':>6} {'target':>7}  {'':<7} peak memory (replylint / jieba)")
    for r in results:
        unit, scale = ("µs", 1e6) if r["name"].startswith("warm") else ("s", 1)
        target = r["target"]
        verdict = "" if target is None else ("ok" if r["ratio"] <= target else "MISSED")
        target_text = f"≤{target:.1f}" if target is not None else "-"
        if "ours_rss_kib" in r:
            mem = f"{r['ours_rss_kib'] / 1024:.0f} MiB / {r['jieba_rss_kib'] / 1024:.0f} MiB RSS"
        else:
            mem = f"tracemalloc peak {r['tracemalloc_peak_kib'] / 1024:.1f} MiB"
        print(
            f"{r['name']:<34} {r['ours'] * scale:>9.3f}{unit:>2} {r['jieba'] * scale:>9.3f}{unit:>2} "
            f"{r['ratio']:>6.2f} {target_text:>7}  {verdict:<7} {mem}"
        )


if __name__ == "__main__":
    main()
