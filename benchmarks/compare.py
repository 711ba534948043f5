"""Two trees' warm speed side by side in one process: each against jieba, and the second to the first.

    git worktree add /tmp/old <commit>
    python benchmarks/compare.py /tmp/old/src                 # the old tree against this one
    python benchmarks/compare.py /tmp/old/src src --rounds 12

On a shared machine a change of a few per cent drowns in the drift between minutes, and between
two processes. So both trees are imported into this one process, each package copied under a name
of its own (``replylint_a``, ``replylint_b``, with its tree's rule files), and they lint the same
unseen drafts in turn, round after round, the order swapped each round, with jieba cutting them
too. Before each linter runs, its cut caches are emptied: neither profits from drafts the other or
the judge (which splits the clean drafts from those with a finding) has seen. Printed: each
round's ratios against jieba, and the median over the rounds of B/A for all drafts, clean ones and
ones with a finding. A tree against itself gave medians within 1.5 % of 1.00 (12 rounds), single rounds
within about 8 %.
"""
from __future__ import annotations

import argparse
import atexit
import importlib
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from drafts import generate  # noqa: E402

GROUPS = ("all", "clean", "with findings")


def load(tree: Path, name: str, into: Path) -> ModuleType:
    """The ``replylint`` package of source folder ``tree`` imported as ``name``, with the rule
    files of its checkout (``tree/../rules``) where an installed package keeps them."""
    package = into / name
    shutil.copytree(tree / "replylint", package, ignore=shutil.ignore_patterns("__pycache__"))
    rules = tree.parent / "rules"
    if rules.is_dir() and not (package / "data" / "rules").is_dir():
        shutil.copytree(rules, package / "data" / "rules")
    return importlib.import_module(name)


def empty_caches(module: ModuleType) -> None:
    segmenter = module._default.segmenter
    for name in ("cut", "cut_block", "block_starts", "block_ends"):  # a tree's own, whichever it has
        cache = getattr(segmenter, name, None)
        if cache is not None:
            cache.cache_clear()


def timed(module: ModuleType, drafts: list[tuple[str, str]]) -> float:
    empty_caches(module)
    lint = module.lint
    t0 = time.thread_time()
    for text, kind in drafts:
        lint(text, kind=kind)
    return (time.thread_time() - t0) / len(drafts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="+", help="source folders holding the replylint package: A, then B (default: this tree's src)")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--drafts", type=int, default=1500, help="unseen drafts a round")
    args = ap.parse_args()
    trees = [Path(t).resolve() for t in args.trees]
    if len(trees) == 1:
        trees.append(HERE.parent / "src")
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    tmp = tempfile.mkdtemp(prefix="replylint-compare-")
    atexit.register(shutil.rmtree, tmp, True)  # registered first, run last: after the packages save their caches
    sys.path.insert(0, tmp)
    a, b = (load(tree, name, Path(tmp)) for tree, name in zip(trees, ("replylint_a", "replylint_b")))
    for module in (a, b):
        for text, kind in generate(500, seed=99):
            module.lint(text, kind=kind)
    judge = a.Linter()
    ratios: dict[str, list[float]] = {g: [] for g in GROUPS}
    print(f"A {trees[0]}\nB {trees[1]}")
    print(f"{'round':>5s} {'drafts':15s} {'count':>5s} {'A/jieba':>8s} {'B/jieba':>8s} {'B/A':>6s}")
    for r in range(args.rounds):
        drafts = generate(args.drafts, seed=5000 + r)
        clean = [not judge.lint(t, kind=k) for t, k in drafts]
        for group in GROUPS:
            part = [d for d, c in zip(drafts, clean) if group == "all" or c == (group == "clean")]
            t0 = time.thread_time()
            for text, _ in part:
                jieba.lcut(text)
            theirs = (time.thread_time() - t0) / len(part)
            first, second = (a, b) if r % 2 == 0 else (b, a)
            took = {first: timed(first, part), second: timed(second, part)}
            ratios[group].append(took[b] / took[a])
            print(f"{r + 1:5d} {group:15s} {len(part):5d} {took[a] / theirs:8.3f} {took[b] / theirs:8.3f} {took[b] / took[a]:6.3f}")
    print("median B/A over the rounds: " + ", ".join(f"{g} {statistics.median(v):.3f}" for g, v in ratios.items()))


if __name__ == "__main__":
    main()
