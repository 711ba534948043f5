"""The audit's outputs: findings JSONL, sessions CSV, and the HTML report's figures.

Every writer takes sessions one at a time, so an export of any size is written in constant memory;
the report keeps counts, a bounded table of templates and a few examples per rule."""
from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional, TextIO

from .auditor import Finding, Session
from .conversation import template_of

SESSION_COLUMNS = ["conversation", "agent", "day", "started", "messages", "agent_messages", "turns", "findings", "score", "fatal", "rules"]


class FindingsWriter:
    """findings.jsonl: one JSON object per finding (see ``Finding.to_dict``)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0

    def add(self, session: Session) -> None:
        for f in session.findings:
            self.stream.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
            self.count += 1


class SessionsWriter:
    """sessions.csv: one row per conversation (score, turns, findings…)."""

    def __init__(self, stream: TextIO) -> None:
        self.writer = csv.writer(stream)
        self.writer.writerow(SESSION_COLUMNS)

    def add(self, session: Session) -> None:
        c = session.conversation
        started = c.started
        self.writer.writerow([
            c.id, c.agent, c.day, started.isoformat(sep=" ") if started else "", len(c.messages),
            sum(m.role == "agent" for m in c.messages), c.turns, len(session.findings), _num(session.score),
            "yes" if session.fatal else "no", ";".join(sorted({f.rule for f in session.findings})),
        ])


def _num(x: float) -> Any:
    return int(x) if float(x).is_integer() else round(x, 2)


@dataclass
class RuleStats:
    findings: int = 0
    sessions: int = 0
    points: float = 0.0
    echo: int = 0


@dataclass
class AgentStats:
    messages: int = 0
    sessions: int = 0
    findings: int = 0
    score_sum: float = 0.0
    fatal: int = 0
    rules: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        """Findings per 100 of the agent's messages."""
        return 100.0 * self.findings / self.messages if self.messages else 0.0


@dataclass
class DayStats:
    sessions: int = 0
    messages: int = 0
    agent_messages: int = 0
    findings: int = 0
    score_sum: float = 0.0


class Summary:
    """The report's figures, gathered one session at a time."""

    MAX_TEMPLATES = 20_000  # past this, templates seen with one finding are dropped (the top ones stay)
    EXAMPLES_PER_RULE = 3
    CONTEXT_BEFORE, CONTEXT_AFTER = 4, 2

    def __init__(self) -> None:
        self.conversations = 0
        self.messages = 0
        self.agent_messages = 0
        self.findings = 0
        self.echo = 0
        self.fatal = 0
        self.score_sum = 0.0
        self.timeouts = 0
        self.internal_skipped = 0
        self.scores: Counter[int] = Counter()  # bucket (0, 10, … 90, 100) → sessions
        self.rules: dict[str, RuleStats] = {}
        self.agents: dict[str, AgentStats] = {}
        self.days: dict[str, DayStats] = {}
        self.templates: dict[str, list] = {}  # template → [findings, Counter(rules), example text]
        self.examples: dict[str, list[dict[str, Any]]] = {}

    def add(self, session: Session) -> None:
        c = session.conversation
        self.conversations += 1
        self.messages += len(c.messages)
        agent_msgs = [m for m in c.messages if m.role == "agent"]
        self.agent_messages += len(agent_msgs)
        self.findings += len(session.findings)
        self.echo += sum(f.echo for f in session.findings)
        self.fatal += session.fatal
        self.score_sum += session.score
        self.timeouts += len(session.timeouts)
        self.scores[min(90, int(session.score // 10) * 10)] += 1
        for rule in {f.rule for f in session.findings}:
            self._rule(rule).sessions += 1
        for f in session.findings:
            stats = self._rule(f.rule)
            stats.findings += 1
            stats.points += f.points
            stats.echo += f.echo
        for m in agent_msgs:
            self._agent(m.agent_id).messages += 1
        for agent in {m.agent_id for m in agent_msgs}:
            a = self._agent(agent)
            a.sessions += 1
            a.score_sum += session.score
            a.fatal += session.fatal
        for f in session.findings:
            a = self._agent(f.agent)
            a.findings += 1
            a.rules[f.rule] += 1
        # Sessions and scores count on the day a session started; messages and findings on their own
        # day (a session past midnight spreads over two), so the figures add up to the findings file.
        day = self._day(c.day)
        day.sessions += 1
        day.score_sum += session.score
        for m in c.messages:
            d = self._day(m.day or c.day)
            d.messages += 1
            d.agent_messages += m.role == "agent"
        for f in session.findings:
            self._day(f.day).findings += 1
        for i, found in session.flagged.items():
            m = c.messages[i]
            if m.role != "agent":
                continue
            entry = self.templates.get(template := template_of(m.text))
            if entry is None:
                entry = self.templates[template] = [0, Counter(), m.text]
            entry[0] += len(found)
            entry[1].update(f.rule for f in found)
            if len(self.templates) > self.MAX_TEMPLATES:
                self.templates = {k: v for k, v in self.templates.items() if v[0] > 1}
            for f in found:
                self._example(session, i, f)
        for f in session.findings:  # findings on customer messages and missing phrases also get examples
            if f.role != "agent" or f.span is None:
                at = next((j for j, m in enumerate(c.messages) if m.message_id == f.message), None)
                if at is not None:
                    self._example(session, at, f)

    def _day(self, day: str) -> DayStats:
        return self.days.setdefault(day or "(no date)", DayStats())

    def _rule(self, rule: str) -> RuleStats:
        return self.rules.setdefault(rule, RuleStats())

    def _agent(self, agent: str) -> AgentStats:
        return self.agents.setdefault(agent or "(none)", AgentStats())

    def _example(self, session: Session, i: int, f: Finding) -> None:
        kept = self.examples.setdefault(f.rule, [])
        if len(kept) >= self.EXAMPLES_PER_RULE or any(e["conversation"] == f.conversation for e in kept):
            return
        c = session.conversation
        lo, hi = max(0, i - self.CONTEXT_BEFORE), min(len(c.messages), i + self.CONTEXT_AFTER + 1)
        context = []
        for j in range(lo, hi):
            m = c.messages[j]
            text = m.text if len(m.text) <= 400 else m.text[:400] + "…"
            parts = [("", text)]
            if j == i and f.span and f.span[1] <= len(text):
                s, e = f.span
                parts = [("", text[:s]), ("hit", text[s:e]), ("", text[e:])]
            context.append({"role": m.role, "who": m.agent_id or m.role, "ts": m.ts.strftime("%m-%d %H:%M") if m.ts else "",
                            "flagged": j == i, "parts": parts})
        kept.append({"conversation": f.conversation, "agent": f.agent, "rule": f.rule, "note": f.note,
                     "echo": f.echo, "messages": context, "more_before": lo > 0, "more_after": hi < len(c.messages)})

    @property
    def mean_score(self) -> float:
        return self.score_sum / self.conversations if self.conversations else 100.0

    def top_templates(self, n: int = 15) -> list[dict[str, Any]]:
        ranked = sorted(self.templates.items(), key=lambda kv: (-kv[1][0], kv[0]))[:n]
        return [{"template": t, "findings": v[0], "rules": ", ".join(r for r, _ in v[1].most_common()), "example": v[2]} for t, v in ranked]

    def to_dict(self) -> dict[str, Any]:
        """The figures as JSON (embedded in the report, so that a test or a script can read them)."""
        return {
            "totals": {
                "conversations": self.conversations, "messages": self.messages, "agent_messages": self.agent_messages,
                "findings": self.findings, "echo": self.echo, "fatal_sessions": self.fatal,
                "mean_score": round(self.mean_score, 2), "timeouts": self.timeouts, "internal_skipped": self.internal_skipped,
            },
            "rules": {r: {"findings": s.findings, "sessions": s.sessions, "points": _num(s.points), "echo": s.echo} for r, s in sorted(self.rules.items())},
            "agents": {a: {"messages": s.messages, "sessions": s.sessions, "findings": s.findings, "per_100": round(s.rate, 2),
                           "mean_score": round(s.score_sum / s.sessions, 2) if s.sessions else None, "fatal": s.fatal}
                       for a, s in sorted(self.agents.items())},
            "days": {d: {"sessions": s.sessions, "messages": s.messages, "findings": s.findings,
                         "mean_score": round(s.score_sum / s.sessions, 2) if s.sessions else None}
                     for d, s in sorted(self.days.items())},
            "scores": {str(k): self.scores[k] for k in range(0, 100, 10)},
        }


def open_output(path: Optional[str], default: Optional[TextIO] = None, newline: Optional[str] = None) -> Optional[TextIO]:
    """A file to write to (``-``: stdout); None when not asked for."""
    import sys

    if path is None:
        return default
    if path == "-":
        return sys.stdout
    from .. import InputError

    try:
        return open(path, "w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
