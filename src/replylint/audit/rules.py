"""The `conversation` rule kind: norms about a whole session rather than one draft.

A rule looks at the messages of one ``role`` in a window — the first N, the last N, or those after
an anchor message (the next N, within M minutes) or the anchor itself — and ``require``s phrases
there (each group matched by some message of the window) or ``forbid``s them (each match is a
finding unless the message also says one of ``unless``). An anchor is a message of its own role
matching its patterns, or one that answers a customer who has waited ``gap-minutes``. Timing
conditions are skipped where timestamps are missing. The rules are TOML files in
``conversation-rules/``; docs/audit.md describes every field."""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Optional

from .. import RuleFileError
from ..paths import DATA
from .conversation import ROLES, Conversation, Message
from .schema import load_toml_file

SEVERITIES = ("info", "warning", "error", "fatal")
_TOP = {"id", "kind", "severity", "points", "summary", "norm", "message", "role", "window", "anchor",
        "require", "forbid", "unless", "sets", "report-at", "source"}
_WINDOW = {"first", "last", "next", "before", "self", "within-minutes", "if-none"}
_ANCHOR = {"role", "patterns", "unless", "gap-minutes"}
SETTABLE = {"severity", "points", "enabled", "gap-minutes", "within-minutes", "first", "last", "next"}


def bundled_dir() -> Path:
    """`data/conversation-rules/` inside the installed package, or `conversation-rules/` at the top
    of a source checkout (like the draft rules)."""
    packaged = DATA / "conversation-rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "conversation-rules"


@functools.lru_cache(maxsize=65536)
def _piece(ch: str) -> str:
    return ch if ch.isascii() and not ch.isupper() else unicodedata.normalize("NFKC", ch).casefold()


def fold_text(text: str) -> str:
    """NFKC width and case folded text, one character at a time (so offsets can be mapped back)."""
    if text.isascii():
        return text.lower()
    return "".join(map(_piece, text))


def fold(text: str) -> tuple[str, list[int]]:
    """The folded text, with the original offset of every folded character (and of its end)."""
    where: list[int] = []
    pieces = []
    for i, ch in enumerate(text):
        piece = _piece(ch)
        pieces.append(piece)
        where.extend([i] * len(piece))
    where.append(len(text))
    return "".join(pieces), where


@dataclass
class Hit:
    """What a conversation rule found: the message, and the span in its text (None for a phrase
    that is missing rather than present)."""

    rule: "ConversationRule"
    message: Message
    span: Optional[tuple[int, int]]
    note: str


@dataclass
class ConversationRule:
    id: str
    severity: str
    points: int
    summary: str
    role: str
    messages: dict[str, str]
    path: Path
    window: dict[str, Any] = field(default_factory=dict)
    anchor: Optional[dict[str, Any]] = None
    require: list[re.Pattern] = field(default_factory=list)
    forbid: Optional[re.Pattern] = None
    unless: Optional[re.Pattern] = None
    anchor_patterns: Optional[re.Pattern] = None
    anchor_unless: Optional[re.Pattern] = None
    report_at: str = "first"
    norm: str = ""
    enabled: bool = True

    def with_settings(self, settings: dict[str, Any], where: str) -> "ConversationRule":
        """The rule with a team's ``[rules.ID]`` settings: points, severity, enabled, and the
        window's numbers (gap-minutes, within-minutes, first, last, next)."""
        unknown = set(settings) - SETTABLE
        if unknown:
            raise RuleFileError(f"{where}: [rules.{self.id}]: unknown setting(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(SETTABLE))})")
        rule = replace(self, window=dict(self.window), anchor=dict(self.anchor) if self.anchor else None)
        for key, value in settings.items():
            if key == "severity":
                if value not in SEVERITIES:
                    raise RuleFileError(f"{where}: [rules.{self.id}] severity must be one of {', '.join(SEVERITIES)}")
                rule.severity = value
            elif key == "points":
                rule.points = _number(value, f"{where}: [rules.{self.id}] points")
            elif key == "enabled":
                rule.enabled = bool(value)
            elif key == "gap-minutes":
                if not rule.anchor or "gap-minutes" not in rule.anchor:
                    raise RuleFileError(f"{where}: [rules.{self.id}] has no gap-minutes to set")
                rule.anchor["gap-minutes"] = _number(value, f"{where}: [rules.{self.id}] gap-minutes")
            else:
                rule.window[key] = _number(value, f"{where}: [rules.{self.id}] {key}")
        return rule

    def message_for(self, lang: str) -> str:
        return self.messages.get(lang) or self.messages.get("en") or self.summary

    def check(self, conversation: Conversation, folded: "FoldCache") -> list[Hit]:
        msgs = conversation.messages
        lang = "zh" if any(_has_han(m.text) for m in msgs[:6]) else "en"
        note = self.message_for(lang)
        hits: list[Hit] = []
        windows: list[tuple[Optional[Message], Optional[tuple[int, int]], list[Message]]] = []
        if self.anchor is None:
            pool = [m for m in msgs if m.role == self.role]
            if pool:
                windows.append((None, None, _slice(pool, self.window)))
        else:
            for i, anchor_span in self._anchors(msgs, folded):
                windows.append((msgs[i], anchor_span, self._after(msgs, i)))
        for anchor, anchor_span, win in windows:
            if not win:
                if anchor is not None and self.window.get("if-none") == "finding":
                    hits.append(Hit(self, anchor, anchor_span, note))
                continue
            for group in self.require:
                if not any(group.search(folded.text(m)) for m in win):
                    at = anchor if anchor is not None and self.report_at == "anchor" else win[-1] if self.report_at == "last" else win[0]
                    hits.append(Hit(self, at, anchor_span if at is anchor else None, note))
                    break
            if self.forbid is not None:
                for m in win:
                    text = folded.text(m)
                    found = self.forbid.search(text)
                    if found and not (self.unless is not None and self.unless.search(text)):
                        hits.append(Hit(self, m, folded.span(m, found.start(), found.end()), note))
        return hits

    def _anchors(self, msgs: list[Message], folded: "FoldCache") -> Iterable[tuple[int, Optional[tuple[int, int]]]]:
        assert self.anchor is not None
        role = self.anchor.get("role", self.role)
        gap = self.anchor.get("gap-minutes")
        waiting = None  # when the customer started waiting for an agent's answer
        for i, m in enumerate(msgs):
            waited = None
            if m.role == "customer" and waiting is None:
                waiting = m.ts
            elif m.role == "agent":
                if waiting is not None and m.ts is not None:
                    waited = (m.ts - waiting).total_seconds() / 60
                waiting = None
            if m.role != role:
                continue
            if gap is not None and (waited is None or waited < gap):
                continue  # timing off without timestamps; answered in time
            span = None
            if self.anchor_patterns is not None:
                found = self.anchor_patterns.search(folded.text(m))
                if not found:
                    continue
                span = folded.span(m, found.start(), found.end())
            if self.anchor_unless is not None and self.anchor_unless.search(folded.text(m)):
                continue
            yield i, span

    def _after(self, msgs: list[Message], i: int) -> list[Message]:
        if self.window.get("self"):
            return [msgs[i]]
        if "before" in self.window:
            return [m for m in msgs[:i] if m.role == self.role][-int(self.window["before"]):]
        # Walk forward only as far as the window reaches: a long conversation with many anchors
        # stays linear in practice.
        limit = self.window.get("next")
        within = self.window.get("within-minutes")
        start = msgs[i].ts
        after: list[Message] = []
        taken = 0
        for m in msgs[i + 1:]:
            if m.role != self.role:
                continue
            taken += 1
            if limit is not None and taken > limit:
                break
            if within is not None and start is not None and m.ts is not None and (m.ts - start).total_seconds() > within * 60:
                if limit is not None:
                    continue
                break
            after.append(m)
        return after


class FoldCache:
    """Each message folded once per conversation, whatever the number of rules asking; the map
    back to original offsets is made only for a message where something was found."""

    def __init__(self) -> None:
        self._text: dict[int, str] = {}
        self._where: dict[int, list[int]] = {}

    def text(self, m: Message) -> str:
        key = id(m)
        got = self._text.get(key)
        if got is None:
            got = self._text[key] = fold_text(m.text)
        return got

    def span(self, m: Message, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of a folded span."""
        key = id(m)
        where = self._where.get(key)
        if where is None:
            where = self._where[key] = fold(m.text)[1]
        return where[start], where[end]


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _slice(pool: list[Message], window: dict[str, Any]) -> list[Message]:
    if "first" in window:
        return pool[: int(window["first"])]
    if "last" in window:
        return pool[-int(window["last"]):]
    return pool


def _number(value: Any, where: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise RuleFileError(f"{where}: expected a number ≥ 0, not {value!r}")
    return value


def _compile(patterns: Any, sets: dict[str, list[str]], where: str) -> Optional[re.Pattern]:
    if patterns is None:
        return None
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise RuleFileError(f"{where}: expected a list of patterns")
    expanded: list[str] = []
    for p in patterns:
        if p.startswith("@"):
            if p[1:] not in sets:
                raise RuleFileError(f"{where}: no set {p[1:]!r} in [sets]")
            expanded.extend(sets[p[1:]])
        else:
            expanded.append(p)
    # Only non-ASCII characters are folded (full-width → ASCII): ASCII case is left to IGNORECASE,
    # since folding it would turn \D or \S into \d or \s.
    folded = ["".join(ch if ch.isascii() else unicodedata.normalize("NFKC", ch).casefold() for ch in p) for p in expanded]
    try:
        return re.compile("|".join(f"(?:{p})" for p in folded), re.IGNORECASE)
    except re.error as exc:
        raise RuleFileError(f"{where}: bad pattern: {exc}") from None


def load_rule(path: Path) -> ConversationRule:
    data = load_toml_file(path, "the conversation rule")
    where = str(path)

    def need(cond: bool, message: str) -> None:
        if not cond:
            raise RuleFileError(f"{where}: {message}")

    unknown = set(data) - _TOP
    need(not unknown, f"unknown field(s) {', '.join(sorted(unknown))}")
    need(data.get("kind") == "conversation", "kind must be \"conversation\"")
    need(isinstance(data.get("id"), str) and re.fullmatch(r"[a-z][a-z0-9-]*", data["id"]) is not None, "id: lower-case words joined by -")
    severity = data.get("severity", "warning")
    need(severity in SEVERITIES, f"severity must be one of {', '.join(SEVERITIES)}")
    role = data.get("role", "agent")
    need(role in ROLES, f"role must be one of {', '.join(ROLES)}")
    window = data.get("window", {})
    need(isinstance(window, dict) and not set(window) - _WINDOW, f"window: fields are {', '.join(sorted(_WINDOW))}")
    need(window.get("if-none", "pass") in ("pass", "finding"), "window.if-none must be pass or finding")
    anchor = data.get("anchor")
    need(anchor is None or (isinstance(anchor, dict) and not set(anchor) - _ANCHOR), f"anchor: fields are {', '.join(sorted(_ANCHOR))}")
    need(anchor is None or anchor.get("role", role) in ROLES, "anchor.role must be a role")
    need(anchor is None or not ({"first", "last"} & set(window)), "window first/last are for rules without an anchor")
    sets = data.get("sets", {})
    need(isinstance(sets, dict) and all(isinstance(v, list) for v in sets.values()), "sets: lists of patterns")
    require = data.get("require", [])
    need(isinstance(require, list), "require: a list of groups (lists of patterns)")
    groups = [_compile(g if isinstance(g, list) else [g], sets, f"{where}: require") for g in require]
    need(bool(require) or "forbid" in data or window.get("if-none") == "finding", "nothing to check: give require, forbid or window.if-none = \"finding\"")
    messages = data.get("message", {})
    need(isinstance(messages, dict) and ("en" in messages or "zh" in messages), "message: a table with zh and en")
    report_at = data.get("report-at", "first")
    need(report_at in ("first", "last", "anchor"), "report-at must be first, last or anchor")
    points = data.get("points", 5)
    _number(points, f"{where}: points")
    return ConversationRule(
        id=data["id"],
        severity=severity,
        points=points,
        summary=data.get("summary", ""),
        role=role,
        messages=messages,
        path=path,
        window=window,
        anchor=anchor,
        require=[g for g in groups if g is not None],
        forbid=_compile(data.get("forbid"), sets, f"{where}: forbid"),
        unless=_compile(data.get("unless"), sets, f"{where}: unless"),
        anchor_patterns=_compile(anchor.get("patterns"), sets, f"{where}: anchor.patterns") if anchor else None,
        anchor_unless=_compile(anchor.get("unless"), sets, f"{where}: anchor.unless") if anchor else None,
        report_at=report_at,
        norm=data.get("norm", ""),
    )


def load_rules(extra: Iterable[Path] = ()) -> list[ConversationRule]:
    """The bundled conversation rules, then a team's files or folders; ids must be unique."""
    rules: dict[str, ConversationRule] = {}
    for root in (bundled_dir(), *extra):
        root = Path(root)
        if not root.exists():
            raise RuleFileError(f"{root}: conversation rule path not found")
        for path in sorted(root.glob("*.toml")) if root.is_dir() else [root]:
            rule = load_rule(path)
            if rule.id in rules:
                raise RuleFileError(f"{path}: rule id {rule.id!r} is already defined in {rules[rule.id].path}")
            rules[rule.id] = rule
    return list(rules.values())
