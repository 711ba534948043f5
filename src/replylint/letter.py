"""The parts of an e-mail that are not the writer's own reply: earlier messages quoted below it."""
from __future__ import annotations

import regex

QUOTE_START_RE = regex.compile(
    r"""^[ \t]*(?:
        >                                                   # > quoted line
      | -{2,}[ \t]*(?:原始邮件|原始郵件|Original\ Message|Forwarded\ message|转发的邮件|轉寄的郵件)
      | On\ .{3,200}\ wrote:[ \t]*$
      | 在.{2,120}(?:写道|寫道)[:：][ \t]*$
      | (?:发件人|寄件者|From)[ \t]*[:：].*\n(?:.*\n)?[ \t]*(?:发送时间|寄件日期|Sent|Date|收件人|To)[ \t]*[:：]
    )""",
    regex.VERBOSE | regex.MULTILINE | regex.IGNORECASE,
)


def quoted_start(text: str) -> int | None:
    """Offset where quoted earlier correspondence begins, or None."""
    m = QUOTE_START_RE.search(text)
    if m is None:
        return None
    return m.start()
