"""A progress bar for `replylint audit` on a terminal: bytes of the export read (when its size is
known), messages and conversations so far. Nothing is drawn when stderr is not a terminal."""
from __future__ import annotations

import time
from typing import Callable, Optional, TextIO


class AuditProgress:
    def __init__(self, stream: Optional[TextIO], size: Optional[int], clock: Callable[[], float] = time.monotonic,
                 delay: float = 1.0, width: int = 28) -> None:
        self.stream = stream if stream is not None and _isatty(stream) else None
        self.size = size
        self.clock = clock
        self.started = clock()
        self.delay = delay
        self.width = width
        self._drawn = 0.0
        self._shown = False

    def update(self, done_bytes: int, messages: int, conversations: int) -> None:
        if self.stream is None:
            return
        now = self.clock()
        if now - self.started < self.delay or now - self._drawn < 0.2:
            return
        self._drawn = now
        self._shown = True
        self.stream.write("\r" + self.line(done_bytes, messages, conversations, now))
        self.stream.flush()

    def line(self, done_bytes: int, messages: int, conversations: int, now: float) -> str:
        """``[#######.......]  43%  12,000 messages  800 conversations  9 s``."""
        elapsed = now - self.started
        rate = messages / elapsed if elapsed > 0 else 0
        if self.size:
            share = min(1.0, done_bytes / self.size)
            filled = int(share * self.width)
            head = f"[{'#' * filled}{'.' * (self.width - filled)}] {share:4.0%}"
        else:
            head = "[audit]"
        return f"{head}  {messages:,} messages  {conversations:,} conversations  {rate:,.0f}/s  {elapsed:.0f} s"

    def close(self) -> None:
        if self.stream is not None and self._shown:
            self.stream.write("\r" + " " * (self.width + 80) + "\r")
            self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
