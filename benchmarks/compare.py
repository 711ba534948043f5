"""Two trees' warm speed side by side, alternating, as ratios against jieba in each process.

    git worktree add /tmp/old <commit>
    python benchmarks/compare.py /tmp/old/src            # the old tree against this one
    python benchmarks/compare.py /tmp/old/src src --rounds 3

On a shared machine a change of a few per cent drowns in the drift between minutes; this runs each
tree in its own process (``PYTHONPATH=<tree>``) one after the other, round after round, and in
each process lints and cuts the same unseen drafts a hundred at a time in turn, so both trees see
the same machine. Printed: each round's ratios for all drafts, clean ones and ones with a finding.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure() -> dict:
    """In this process: ratios of ``replylint.lint`` to ``jieba.lcut`` over 6,000 unseen drafts."""
    sys.path.insert(0, str(HERE))
    import jieba
    from drafts import generate

    import replylint

    jieba.setLogLevel(60)
    jieba.initialize()
    for text, kind in generate(2000, seed=92):
        replylint.lint(text, kind=kind)
        jieba.lcut(text)
    drafts = generate(6000, seed=91)
    clean = {t for t, k in drafts if not replylint.lint(t, kind=k)}
    unseen = [(t + "。", k, t in clean) for t, k in drafts]  # a new last sentence: no cache answers

    def ratio(group: list) -> float:
        ours = theirs = 0.0
        for i in range(0, len(group), 100):
            part = group[i : i + 100]
            t0 = time.perf_counter()
            for text, kind, _ in part:
                replylint.lint(text, kind=kind)
            t1 = time.perf_counter()
            for text, _, _ in part:
                jieba.lcut(text)
            ours += t1 - t0
            theirs += time.perf_counter() - t1
        return ours / theirs

    return {
        "all": ratio(unseen),
        "clean": ratio([d for d in unseen if d[2]]),
        "with findings": ratio([d for d in unseen if not d[2]]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="*", help="source folders (the one holding the replylint package); default: this tree's src")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return
    trees = [str(Path(t).resolve()) for t in args.trees] or [str(HERE.parent / "src")]
    if len(trees) == 1 and trees[0] != str(HERE.parent / "src"):
        trees.append(str(HERE.parent / "src"))
    print(f"{'round':>5s}  {'tree':40s} {'all':>6s} {'clean':>6s} {'findings':>9s}")
    for r in range(args.rounds):
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": tree}
            out = subprocess.run([sys.executable, __file__, "--measure"], env=env, capture_output=True, text=True, check=True)
            got = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{r + 1:5d}  {tree[-40:]:40s} {got['all']:6.2f} {got['clean']:6.2f} {got['with findings']:9.2f}")


if __name__ == "__main__":
    main()
