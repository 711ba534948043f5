"""The conversation model: messages in the common schema and a conversation built from them.

A message is one row of an export after its mapping (see ``schema.py``); a conversation is the
run of consecutive rows sharing a conversation_id, in the order of the export."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

ROLES = ("agent", "customer", "bot", "system")


@dataclass
class Message:
    """One message of a conversation. ``ts`` is None when the export has no usable timestamp,
    which turns the timing conditions of conversation rules off for it."""

    conversation_id: str
    message_id: str
    role: str
    text: str
    ts: Optional[datetime] = None
    agent_id: str = ""
    internal: bool = False
    line: int = 0  # where it was read (1-based line or CSV record), for errors and the report

    @property
    def day(self) -> str:
        return self.ts.date().isoformat() if self.ts else ""


@dataclass
class Conversation:
    """The public messages of one conversation, internal notes already left out."""

    id: str
    messages: list[Message] = field(default_factory=list)

    def of(self, role: str) -> list[Message]:
        return [m for m in self.messages if m.role == role]

    @property
    def agent(self) -> str:
        """The agent who wrote most of the agent messages (first one on a tie); '' if none."""
        counts: dict[str, int] = {}
        for m in self.messages:
            if m.role == "agent" and m.agent_id:
                counts[m.agent_id] = counts.get(m.agent_id, 0) + 1
        return max(counts, key=counts.__getitem__) if counts else ""

    @property
    def turns(self) -> int:
        """Runs of messages by one side (customer, agent/bot): a question and its answer are two turns."""
        turns, last = 0, None
        for m in self.messages:
            side = "customer" if m.role == "customer" else "service" if m.role in ("agent", "bot") else None
            if side is not None and side != last:
                turns, last = turns + 1, side
        return turns

    @property
    def started(self) -> Optional[datetime]:
        return next((m.ts for m in self.messages if m.ts is not None), None)

    @property
    def day(self) -> str:
        ts = self.started
        return ts.date().isoformat() if ts else ""


_MASKS = [
    (re.compile(r"\{\{[^{}]*\}\}|\$\{[^{}]*\}|\{[A-Za-z_][A-Za-z0-9_]*\}|%\([a-z_]+\)s|\[[A-Za-z_ ]+\]"), "{…}"),
    (re.compile(r"https?://\S+"), "<url>"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "<email>"),
    (re.compile(r"[0-9０-９]+(?:[.:：,，/-][0-9０-９]+)*"), "#"),
    (re.compile(r"\s+"), " "),
]


def template_of(text: str) -> str:
    """The text with digits, links, e-mail addresses and placeholders masked, so that one reply
    template sent with different order numbers, times or names counts as one."""
    for pattern, mask in _MASKS:
        text = pattern.sub(mask, text)
    return text.strip()
