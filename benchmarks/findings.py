"""Every finding on every draft we have, one JSON line each, to compare two trees byte for byte.

    python benchmarks/findings.py > before.jsonl     # on the old tree
    python benchmarks/findings.py > after.jsonl      # on the new one
    cmp before.jsonl after.jsonl

A speed change must not change a finding: this runs every bundled rule (those off by default too)
over the corpora, the samples, the seed documents and real replies beside the project (when there),
and generated drafts, and prints each draft's findings in a fixed order.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from drafts import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def texts(generated: int) -> list[tuple[str, str, str]]:
    """(where, text, kind) of every draft to lint."""
    out: list[tuple[str, str, str]] = []
    shared = ROOT.parent / "shared"
    for path in sorted([*ROOT.glob("corpora/**/*.jsonl"), *shared.glob("realworld/*.jsonl")]):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                entry = json.loads(line)
                text = entry.get("text")
                if isinstance(text, str):
                    kind = entry.get("kind") if entry.get("kind") in ("chat", "email") else "chat"
                    out.append((f"{path.relative_to(path.parents[1])}:{n}", text, kind))
    for path in sorted([*ROOT.glob("samples/**/*.*"), *shared.glob("seeds/*.txt")]):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for kind in ("chat", "email"):
                out.append((f"{path.name}", text, kind))
                for i, para in enumerate(p for p in text.split("\n\n") if p.strip()):
                    out.append((f"{path.name}#{i}", para, kind))
    for seed in range(generated):
        out += [(f"generated:{seed}:{i}", t, k) for i, (t, k) in enumerate(generate(2000, seed=7000 + seed))]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generated", type=int, default=5, help="batches of 2,000 generated drafts")
    args = ap.parse_args()
    import replylint
    from replylint.config import Config

    linter = replylint.Linter(Config(select=["ALL"]))
    for where, text, kind in texts(args.generated):
        for platform in (None, "jd"):
            found = [
                [d.rule, d.start, d.end, d.message, list(d.suggestions), d.fix and [d.fix.start, d.fix.end, d.fix.replacement]]
                for d in linter.lint(text, kind=kind, platform=platform)
            ]
            print(json.dumps([where, kind, platform, found], ensure_ascii=False))


if __name__ == "__main__":
    main()
