"""Where a warm draft's time goes, as ratios against jieba in the same process.

    python benchmarks/breakdown.py             # 4,000 drafts, a few seconds
    python benchmarks/breakdown.py --drafts 1000
    python benchmarks/breakdown.py --texts ../shared/realworld/real-replies.jsonl   # your own drafts

Two tables. First, the warm ratio (``replylint.lint`` against ``jieba.lcut``, best of five
interleaved runs) for each kind of draft: chat drafts with no finding, chat drafts with one, and
e-mails. Second, the one pass that rules rules out (``matching.triggers``), then for each rule the
drafts it was run on (those the pass left it) and its time per draft, split between the runs that
found something and those that found nothing (the share a sharper pass could skip). ``run.py`` gives the headline figures;
this says which drafts and which rules make them.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from drafts import generate  # noqa: E402
from run import time_both, warm_up  # noqa: E402


def by_kind_of_draft(drafts: list[tuple[str, str]], repeat: int) -> None:
    import replylint

    groups: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for text, kind in drafts:
        if kind == "email":
            groups["e-mail"].append((text, kind))
        else:
            groups["chat, finding" if replylint.lint(text, kind=kind) else "chat, clean"].append((text, kind))
    print(f"{'drafts':16s} {'count':>6s} {'chars':>6s} {'replylint':>10s} {'jieba':>9s} {'ratio':>6s}")
    groups["all"] = list(drafts)
    for name in ("chat, clean", "chat, finding", "e-mail", "all"):
        group = groups.get(name, [])
        if not group:
            continue
        timings = [time_both(group) for _ in range(repeat)]
        theirs, ours = min(t for t, _ in timings), min(o for _, o in timings)
        n = len(group)
        chars = sum(len(t) for t, _ in group) / n
        print(f"{name:16s} {n:6d} {chars:6.0f} {ours / n * 1e6:8.1f}µs {theirs / n * 1e6:7.1f}µs {ours / theirs:6.2f}")


def by_rule(drafts: list[tuple[str, str]]) -> None:
    import replylint
    from replylint.text.draft import Draft

    linter = replylint._default
    rules = linter.selected(linter.settings_for(None))
    found: collections.Counter[str] = collections.Counter()
    vain: collections.Counter[str] = collections.Counter()
    fired: collections.Counter[str] = collections.Counter()
    run: collections.Counter[str] = collections.Counter()
    scan = 0.0
    for text, kind in drafts:
        draft = Draft(text, kind, segmenter=linter.segmenter)
        t0 = time.perf_counter()
        draft.live = live = linter.triggers_for(kind).scan(draft.view.text)
        scan += time.perf_counter() - t0
        for rule in rules:
            if kind not in rule.applies_to or rule.id not in live:
                continue
            t0 = time.perf_counter()
            hits = [f for f in linter._compile(rule, kind).find(draft)]
            spent = time.perf_counter() - t0
            (found if hits else vain)[rule.id] += spent
            fired[rule.id] += bool(hits)
            run[rule.id] += 1
    n = len(drafts)
    print(f"\none pass over each draft (matching.triggers): {scan / n * 1e6:.1f}µs")
    print(f"{'rule':22s} {'run on':>7s} {'finds (drafts)':>22s} {'finds nothing':>14s}   (µs per draft, one rule at a time)")
    for rule in rules:
        print(
            f"{rule.id:22s} {run[rule.id]:7d} {found[rule.id] / n * 1e6:9.1f}µs ({fired[rule.id]:5d})"
            f" {vain[rule.id] / n * 1e6:12.1f}µs"
        )
    print(f"{'all':22s} {sum(run.values()):7d} {sum(found.values()) / n * 1e6:9.1f}µs {'':7s} {sum(vain.values()) / n * 1e6:12.1f}µs")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drafts", type=int, default=4000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--texts", metavar="JSONL", help='drafts to time instead of generated ones, one {"text": …, "kind": …} a line')
    args = ap.parse_args()
    import replylint

    warm_up()
    if args.texts:
        with open(args.texts, encoding="utf-8") as f:
            drafts = [(d["text"], d.get("kind", "chat")) for d in map(json.loads, filter(str.strip, f))]
        for text, kind in drafts:  # as warm as the generated drafts are after the warm-up
            replylint.lint(text, kind=kind)
        by_kind_of_draft(drafts, args.repeat)
        by_rule(drafts)
        return
    by_kind_of_draft(generate(args.drafts, seed=1000), args.repeat)
    by_rule(generate(args.drafts, seed=2000))


if __name__ == "__main__":
    main()
