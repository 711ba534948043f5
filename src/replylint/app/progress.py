"""A progress bar on stderr for long runs: shown only on a terminal, only once a run has taken
longer than a couple of seconds, and wiped before the report is printed."""
from __future__ import annotations

import time
from typing import Callable, Optional, TextIO


class Progress:
    """Counts files done out of ``total`` and redraws one line at most ten times a second."""

    def __init__(
        self,
        total: int,
        stream: Optional[TextIO],
        delay: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        width: int = 30,
    ) -> None:
        self.total = total
        self.done = 0
        self._stream = stream
        self._clock = clock
        self._started = clock()
        self._delay = delay
        self._width = width
        self._drawn_at: Optional[float] = None

    @classmethod
    def on_terminal(cls, total: int, stream: TextIO) -> "Progress":
        """A bar on ``stream`` if it is a terminal, else one that never draws."""
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        return cls(total, stream if tty else None)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._stream is None:
            return
        now = self._clock()
        if now - self._started < self._delay:
            return
        if self._drawn_at is not None and now - self._drawn_at < 0.1 and self.done < self.total:
            return
        self._drawn_at = now
        self._stream.write("\r" + self.line(now))
        self._stream.flush()

    def line(self, now: float) -> str:
        """``[#######.......]  1200/4000 files  3 s``."""
        share = self.done / self.total if self.total else 1.0
        filled = int(share * self._width)
        bar = "#" * filled + "." * (self._width - filled)
        return f"[{bar}] {self.done:>{len(str(self.total))}}/{self.total} files  {now - self._started:.0f} s"

    def close(self) -> None:
        """Wipe the bar, if one was drawn, so the report starts on a clean line."""
        if self._stream is not None and self._drawn_at is not None:
            self._stream.write("\r" + " " * (self._width + 40) + "\r")
            self._stream.flush()
            self._drawn_at = None
