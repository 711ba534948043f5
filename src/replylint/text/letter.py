"""The parts of an e-mail that are not the writer's own reply: earlier messages quoted in it.

Two quoting styles exist. Top-posting clients put the whole earlier message below the reply, behind
a divider (-----原始邮件-----, "On … wrote:", an Outlook From:/Sent: header block): everything from
the divider on is history. Bottom-posting and inline replies quote with ``>`` line by line, and the
writer's own lines may come after (or between) the quoted ones: only those blocks are history.
"""
from __future__ import annotations

import regex

from ..matching import cache as regex_cache

_FLAGS = regex.VERBOSE | regex.MULTILINE | regex.IGNORECASE

# A divider after which the rest of the text is the earlier message.
_DIVIDER_RE = regex_cache.compile(
    r"""^[ \t]*(?:
        [-_=—–·*\ \t]{2,}[ \t]*(?:原始邮件|原始郵件|原邮件|原郵件|邮件原件|回复的原邮件|回覆的原郵件|转发邮件|轉寄郵件|转发的邮件|轉寄的郵件
                              |Original(?:\ |&nbsp;)?Message|Original|Forwarded\ message|Begin\ forwarded\ message)[ \t]*[-_=—–·*\ \t]*$
      | (?:Begin\ forwarded\ message|以下为转发的邮件|以下為轉寄的郵件)[ \t]*[:：]?[ \t]*$
      | (?:On|Am|Le)\ [^\n]{3,200}?(?:[ \t]|\n[ \t]*|\n[^\n]{1,120}?[ \t])(?:wrote|schrieb|a\ écrit)[ \t]*:[ \t]*$
      | 在[^\n]{2,160}?(?:写道|寫道)[ \t]*[:：][ \t]*$
      | [^\n]{2,120}?[于於][^\n]{2,80}?(?:写道|寫道)[ \t]*[:：][ \t]*$
      | _{8,}[ \t]*\n[ \t]*(?:发件人|寄件者|寄件人|From)[ \t]*[:：]
      | (?:发件人|發件人|寄件者|寄件人|From)[ \t]*[:：][^\n]*\n(?:[^\n]*\n){0,2}?[ \t]*(?:发送时间|發送時間|寄件日期|发送日期|时间|時間|日期|Sent|Date)[ \t]*[:：]
    )""",
    _FLAGS,
)

# One line quoted with ">" (also "> >", full-width "＞").
_QUOTED_LINE_RE = regex_cache.compile(r"^[ \t]*[>＞]")
# The "who wrote it" line that introduces a quoted block.
_ATTRIBUTION_RE = regex_cache.compile(
    r"^[ \t]*(?:(?:On|Am|Le)\ .{3,200}?\ (?:wrote|schrieb|a\ écrit)[ \t]*:|在.{2,160}?(?:写道|寫道)[ \t]*[:：]|.{2,120}?[于於].{2,80}?(?:写道|寫道)[ \t]*[:：])[ \t]*$",
    _FLAGS,
)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` (sorted, not overlapping) that quote earlier correspondence.

    A divider only counts once the writer has written something above it, so a draft that opens
    with its own header lines (From:/To:/Subject:) is not taken for a forwarded message.
    """
    spans: list[tuple[int, int]] = []
    cut = len(text)
    for m in _DIVIDER_RE.finditer(text):
        if not _all_quoted(text[: m.start()]):
            cut = m.start()
            break
    pos = 0
    block_start = None
    attribution = None  # start of an attribution line waiting for its quoted block
    quoting = ">" in text or "＞" in text  # else no line is quoted, and no attribution counts
    for line in text[:cut].splitlines(keepends=True) if quoting else ():
        if _QUOTED_LINE_RE.match(line):
            if block_start is None:
                block_start = pos if attribution is None else attribution
        elif line.strip():
            if block_start is not None:
                spans.append((block_start, pos))
                block_start = None
            attribution = pos if _ATTRIBUTION_RE.match(line) else None
        pos += len(line)
    if block_start is not None:
        spans.append((block_start, cut))
        block_start = None
    if cut < len(text):
        if spans and spans[-1][1] == cut:
            spans[-1] = (spans[-1][0], len(text))
        else:
            spans.append((cut, len(text)))
    return spans


def _all_quoted(text: str) -> bool:
    """True when ``text`` holds no line of the writer's own (blank or only ">" lines)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return all(_QUOTED_LINE_RE.match(line) for line in lines)
