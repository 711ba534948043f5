"""A synthetic export in the common schema: several agents and days, conversations with and
without problems (the phrases are in ``data/synthetic.toml``). For tests and benchmarks:

    python -m replylint.audit.synthetic --messages 100000 --out export.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timedelta
from typing import Any, Iterator, Optional, TextIO

from ..paths import PACKAGE
from .schema import load_toml_file


def _phrases() -> dict[str, Any]:
    return load_toml_file(PACKAGE / "audit" / "data" / "synthetic.toml", "the synthetic phrases")


class _Chat:
    def __init__(self, rng: random.Random, cid: str, agent: str, start: datetime, lang: dict[str, list[str]], care: float,
                 others: list[str]) -> None:
        self.rng, self.cid, self.agent, self.t, self.lang, self.care = rng, cid, agent, start, lang, care
        self.others = [a for a in others if a != agent] or others
        self.rows: list[dict[str, Any]] = []

    def fill(self, key: str) -> str:
        text = self.rng.choice(self.lang[key])
        return (text.replace("{order}", str(self.rng.randint(10**11, 10**12 - 1)))
                    .replace("{n}", str(self.rng.randint(2, 45)))
                    .replace("{code}", str(self.rng.randint(100, 9999))))

    def say(self, role: str, text: str, after: float = 0.5, internal: bool = False) -> None:
        self.t += timedelta(minutes=after * self.rng.uniform(0.5, 1.5))
        self.rows.append({
            "conversation_id": self.cid, "message_id": f"{self.cid}-{len(self.rows) + 1}", "ts": self.t.strftime("%Y-%m-%dT%H:%M:%S"),
            "role": role, "agent_id": self.agent if role == "agent" else "", "text": text, "internal": internal,
        })

    def bad(self) -> bool:
        return self.rng.random() < self.care

    def build(self) -> list[dict[str, Any]]:
        r = self.rng
        if r.random() < 0.15:
            self.say("bot", self.fill("bot"), 0.1)
        self.say("customer", self.fill("open"), 0)
        self.say("agent", self.fill("no-greet" if self.bad() else "greet"), 0.4)
        for _ in range(r.randint(1, 4)):
            self.say("customer", self.fill("echo-ask" if r.random() < 0.05 else "ask"), 1)
            asked_echo = self.rows[-1]["text"] in self.lang["echo-ask"]
            late = r.random() < 0.12
            gap = r.uniform(4, 9) if late else 0.7
            prefix = self.fill("apology-gap") if late and not self.bad() else ""
            roll = r.random()
            if asked_echo:
                self.say("agent", prefix + self.fill("echo-answer"), gap)
            elif roll < 0.08:
                self.say("agent", self.fill("wait-bare" if self.bad() else "wait-reason"), gap)
                self.say("agent", self.fill("answer"), 1)
            elif roll < 0.15:
                self.say("agent", prefix + self.fill("check-back"), gap)
                if not self.bad():
                    self.say("agent", self.fill("follow-up"), 2)
                else:
                    self.say("customer", "？", 8)
                    self.say("agent", self.fill("follow-up"), 1)
            elif roll < 0.2:
                if self.bad() and r.random() < 0.5:
                    self.say("agent", prefix + self.fill("answer"), gap)  # and then moved without a word
                else:
                    self.say("agent", self.fill("transfer-bare" if self.bad() else "transfer-explained"), gap)
                self.say("system", self.fill("transfer-event").replace("{other}", r.choice(self.others)), 0.2)
            elif roll < 0.2 + self.care * 0.6:
                self.say("agent", prefix + self.fill("bad"), gap)
            else:
                self.say("agent", prefix + self.fill("answer"), gap)
            if r.random() < self.care * 0.3:
                self.say("customer", self.fill("repeat"), 0.6)
                self.say("agent", self.fill("answer"), 0.5)
            if r.random() < 0.05:
                self.say("agent", self.fill("notes"), 0.2, internal=True)
        if r.random() < 0.6:
            self.say("customer", self.fill("thanks"), 0.5)
            self.say("agent", self.fill("thanks-ignored" if self.bad() else "thanks-answer"), 0.4)
        self.say("agent", self.fill("close-bare" if self.bad() else "close"), 0.5)
        return self.rows


def generate(messages: int, seed: int = 14, days: int = 7, english: float = 0.1, start: str = "2026-11-02") -> Iterator[dict[str, Any]]:
    """Rows in the common schema, conversation after conversation, ``messages`` rows in all."""
    data = _phrases()
    rng = random.Random(seed)
    agents = data["agents"]
    care = dict(zip(agents, data["carelessness"]))
    first = datetime.fromisoformat(start)
    made, n = 0, 0
    while made < messages:
        n += 1
        agent = rng.choice(agents)
        day = first + timedelta(days=rng.randrange(days), hours=rng.randint(8, 21), minutes=rng.randint(0, 59))
        lang = data["en"] if rng.random() < english else data["zh"]
        rows = _Chat(rng, f"c{n:06d}", agent, day, lang, care[agent], agents).build()
        for row in rows[: messages - made]:
            yield row
        made += min(len(rows), messages - made)


def write(out: TextIO, messages: int, seed: int = 14, days: int = 7) -> int:
    count = 0
    for row in generate(messages, seed, days):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic chat export (JSONL, common schema).")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--out", default="-")
    args = parser.parse_args(argv)
    if args.out == "-":
        write(sys.stdout, args.messages, args.seed, args.days)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            write(f, args.messages, args.seed, args.days)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
