"""Precision and recall of the conversation rules on labelled whole conversations.

A corpus line (corpora/conversation/RULE.jsonl) is one conversation: ``id`` (``RULE:NNN``),
``expect`` (the rules it must trigger), ``messages`` (role, text, optional ts and agent_id). Each
rule is measured on the cases written for it (its id prefix), since a case is written to show one
norm and says nothing about the others.

    python -m replylint.audit.corpus corpora/conversation/*.jsonl
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .. import InputError
from ..app.evaluate import Score  # the same tallies as a draft corpus
from .auditor import Auditor
from .conversation import Conversation
from .schema import load_mapping


@dataclass
class Case:
    id: str
    expect: frozenset[str]
    conversation: Conversation
    lang: str = ""
    note: str = ""


def load_cases(path: Path) -> list[Case]:
    mapping = load_mapping("common")
    cases = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            conversation = Conversation(raw["id"])
            for i, m in enumerate(raw["messages"], 1):
                record = {"conversation_id": raw["id"], "message_id": str(i), **m}
                conversation.messages.append(mapping.message(record, n, str(path)))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: not a conversation case: {exc}") from None
        cases.append(Case(raw["id"], frozenset(raw.get("expect", ())), conversation, raw.get("lang", ""), raw.get("note", "")))
    return cases


def evaluate(auditor: Auditor, cases: Iterable[Case], rules: Optional[Iterable[str]] = None) -> dict[str, Score]:
    chosen = list(rules) if rules is not None else [r.id for r in auditor.rules]
    scores = {r: Score(r) for r in chosen}
    for case in cases:
        rule = case.id.split(":", 1)[0]
        if rule not in scores:
            continue
        found = {f.rule for f in auditor.audit(case.conversation).findings}
        s = scores[rule]
        if rule in case.expect:
            if rule in found:
                s.tp += 1
            else:
                s.fn += 1
                s.misses.append(case.id)
        elif rule in found:
            s.fp += 1
            s.false_alarms.append(case.id)
        else:
            s.tn += 1
    return scores


def main(argv: Optional[list[str]] = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        print("usage: python -m replylint.audit.corpus corpora/conversation/*.jsonl", file=sys.stderr)
        return 2
    try:
        scores = evaluate(Auditor(), [c for p in paths for c in load_cases(p)])
    except InputError as exc:
        print(f"replylint: error: {exc}", file=sys.stderr)
        return 2
    width = max(len(r) for r in scores)
    print(f"{'rule'.ljust(width)}  caught missed false quiet  precision recall")
    for s in (s for s in scores.values() if s.tp + s.fn + s.fp + s.tn):
        print(f"{s.rule.ljust(width)}  {s.tp:>6} {s.fn:>6} {s.fp:>5} {s.tn:>5}  {s.precision:>9.3f} {s.recall:>6.3f}"
              + (f"  missed {s.misses}" if s.misses else "") + (f"  false alarms {s.false_alarms}" if s.false_alarms else ""))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
