"""Auditing one conversation: every agent message linted with replylint's rules, the conversation
rules run over the whole session, and the session scored.

The engine is used only through the public API (``Linter(cfg).lint``). The customer's earlier
words are context: a platform name or contact that the customer wrote first and the agent repeats
is still reported, marked ``echo`` (and scored by the ``[echo]`` factor, never fatal)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from .. import Config, Diagnostic, InputError, Linter, RuleTimeout
from .conversation import Conversation, Message
from .rules import ConversationRule, FoldCache, load_rules
from .scoring import Scoring, load_scoring

_MESSAGE_SETTINGS = {"severity", "points", "enabled"}


@dataclass
class Finding:
    """One row of findings.jsonl."""

    conversation: str
    message: str
    agent: str
    role: str
    rule: str
    source: str  # "message": a replylint draft rule on one agent message; "conversation": a conversation rule
    severity: str
    points: float
    span: Optional[tuple[int, int]]
    match: str
    note: str
    echo: bool = False
    ts: str = ""
    day: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "conversation": self.conversation, "message": self.message, "agent": self.agent, "role": self.role,
            "rule": self.rule, "source": self.source, "severity": self.severity, "points": self.points,
            "span": list(self.span) if self.span else None, "match": self.match, "echo": self.echo,
            "ts": self.ts, "day": self.day, "note": self.note,
        }


@dataclass
class Session:
    """A conversation with its findings and score: one row of sessions.csv."""

    conversation: Conversation
    findings: list[Finding]
    score: float
    fatal: bool
    timeouts: list[str] = field(default_factory=list)  # ids of the messages whose lint timed out
    flagged: dict[int, list[Finding]] = field(default_factory=dict)  # message index → its findings


def _key(text: str) -> str:
    """Text compared for echoes: width and case folded, spaces and punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum() or ch in "_@.+")


_ID = re.compile(r"[a-z0-9_@.+-]*[0-9_@][a-z0-9_@.+-]*")
_AROUND = 24  # characters after a match searched for the id it introduces (微信 → shop_8866)


def is_echo(match: str, customer_key: str, after: str = "") -> bool:
    """Whether the customer wrote the flagged words first. An id or number in the match or just
    after it (微信 lily_2023, 13800138000) counts only if the customer wrote every one of them, so
    the shop's own id is never an echo because the customer once said 微信; a match with no id
    nearby (淘宝, Amazon) is an echo if the customer wrote it."""
    key = _key(match)
    if not key:
        return False
    ids = [i for i in _ID.findall(_key(match + after[:_AROUND])) if len(i) >= 4]
    if ids:
        return all(i in customer_key for i in ids)
    return key in customer_key


class Auditor:
    """Holds one warm Linter and the conversation rules; ``audit(conversation)`` per session."""

    def __init__(
        self,
        config: Optional[Config] = None,
        platform: Optional[str] = None,
        scoring: Optional[Scoring] = None,
        rule_paths: Iterable[Path] = (),
        settings_path: str = "settings",
    ) -> None:
        self.config = config or Config()
        self.linter = Linter(self.config)
        self.platform = platform
        self.scoring = scoring or load_scoring()
        rules = load_rules(rule_paths)
        known_message = {r.id for r in self.linter.rules}
        all_message = {r.id for r in self.linter.all_rules}
        known = {r.id for r in rules} | all_message
        for rule_id, table in self.scoring.rules.items():
            if rule_id not in known:
                raise InputError(f"{settings_path}: [rules.{rule_id}]: unknown rule (known: {', '.join(sorted(known))})")
            if rule_id in all_message and set(table) - _MESSAGE_SETTINGS:
                raise InputError(f"{settings_path}: [rules.{rule_id}]: a message rule takes {', '.join(sorted(_MESSAGE_SETTINGS))}")
        self.rules: list[ConversationRule] = [
            r.with_settings(self.scoring.rules.get(r.id, {}), settings_path) for r in rules
        ]
        self.rules = [r for r in self.rules if r.enabled]
        self.message_rules = [
            r for r in self.linter.rules if r.id in known_message and self.scoring.rules.get(r.id, {}).get("enabled", True)
        ]
        self._select = [r.id for r in self.message_rules]
        self.linter.lint("", kind="chat", platform=platform)  # an unknown platform fails here, before any work

    def audit(self, conversation: Conversation) -> Session:
        findings: list[Finding] = []
        flagged: dict[int, list[Finding]] = {}
        said: list[str] = []  # the customer's words so far, folded for echo checks
        timeouts: list[str] = []
        index = {id(m): i for i, m in enumerate(conversation.messages)}
        for i, m in enumerate(conversation.messages):
            if m.role == "customer":
                said.append(_key(m.text))
                continue
            if m.role != "agent":
                continue
            if not m.text.strip():
                continue
            try:
                diags = self.linter.lint(m.text, kind="chat", platform=self.platform, select=self._select)
            except RuleTimeout as stopped:
                timeouts.append(m.message_id)  # counted and reported; the audit goes on
                diags = list(stopped.diagnostics)  # the findings of the rules that did finish
            customer_key = "\n".join(said) if diags else ""
            for d in diags:
                f = self._from_diagnostic(conversation, m, d, customer_key)
                findings.append(f)
                flagged.setdefault(i, []).append(f)
        folded = FoldCache()
        for rule in self.rules:
            for hit in rule.check(conversation, folded):
                m = hit.message
                agent = m.agent_id if m.role == "agent" else self._agent_before(conversation, index[id(m)])
                f = Finding(
                    conversation=conversation.id, message=m.message_id, agent=agent, role=m.role, rule=rule.id,
                    source="conversation", severity=rule.severity, points=rule.points, span=hit.span,
                    match=m.text[hit.span[0]:hit.span[1]] if hit.span else "", note=hit.note,
                    ts=m.ts.isoformat(sep=" ") if m.ts else "", day=m.day or conversation.day,
                )
                findings.append(f)
                flagged.setdefault(index[id(m)], []).append(f)
        score, fatal = self.scoring.score(findings)
        return Session(conversation, findings, score, fatal, timeouts, flagged)

    def _agent_before(self, conversation: Conversation, i: int) -> str:
        for m in reversed(conversation.messages[:i]):
            if m.role == "agent" and m.agent_id:
                return m.agent_id
        return conversation.agent

    def _from_diagnostic(self, conversation: Conversation, m: Message, d: Diagnostic, customer_key: str) -> Finding:
        severity = self.scoring.severity(d.rule, d.severity)
        points = self.scoring.points_for(d.rule, severity)
        match = m.text[d.start:d.end]
        echo = d.rule in self.scoring.echo_rules and is_echo(match, customer_key, m.text[d.end:])
        if echo:
            points = points * self.scoring.echo_factor
        return Finding(
            conversation=conversation.id, message=m.message_id, agent=m.agent_id, role=m.role, rule=d.rule,
            source="message", severity=severity, points=points, span=(d.start, d.end), match=match,
            note=d.message, echo=echo, ts=m.ts.isoformat(sep=" ") if m.ts else "", day=m.day or conversation.day,
        )
