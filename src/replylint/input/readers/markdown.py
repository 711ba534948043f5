"""Markdown template collections. What a template is depends on ``markdown-templates``:

- ``fenced``: each fenced code block (any info string, or one of ``markdown-fences``) is a draft;
- ``paragraphs``: each paragraph and each list item of the prose is a draft;
- ``sections``: the prose under each heading is a draft (a section that is only a list: each item);
- ``auto`` (default): ``fenced`` when the file has such a block, else ``sections``.

In the prose, front matter, code blocks, inline code, HTML comments, and what is never a reply
(headings, link targets, image and badge lines, tables, HTML, link definitions, rules) are
blanked (spaces, line breaks kept), so every offset of a draft is its offset in the file. HTML
comments never reach the customer, so they carry the suppression directives."""
from __future__ import annotations

from typing import Optional

import regex

from ...errors import InputError
from ...report import suppressions
from ...text.draft import KINDS
from .base import Parsed, ReadOptions, Segment, split_lines
from .plain import pieces

_FRONT = regex.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n")
_FENCE_OPEN = regex.compile(r"^ {0,3}(`{3,}|~{3,})([^\r\n]*)")
_LIST_ITEM = regex.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_INDENTED = regex.compile(r"^(?: {4}|\t| {0,3}\t)")
_BACKTICKS = regex.compile(r"`+")
_BLANK_LINE = regex.compile(r"\n[ \t]*\r?\n")
_NOT_EOL = regex.compile(r"[^\r\n]")


def read(text: str, options: Optional[ReadOptions] = None) -> Parsed:
    options = options or ReadOptions()
    hidden: list[tuple[int, int]] = []
    lines = _lines(text)
    first = _front_matter(text, lines)
    if first:
        hidden.append((0, lines[first - 1][1]))
    fences: list[tuple[int, int, str]] = []
    hidden.extend(_code_blocks(text, lines, first, fences))
    comments, inline = _comments_and_code(text, hidden)
    found, warnings = suppressions.from_comments(text, comments)
    kind, platform = _front_settings(text, lines[:first])
    parsed = _read(text, lines, first, fences, hidden, comments, inline, found, warnings, options)
    for seg in parsed.segments:
        seg.kind, seg.platform = seg.kind or kind, seg.platform or platform
    return parsed


_FRONT_SETTING = regex.compile(r"^(kind|platform)\s*[:=]\s*[\"']?([A-Za-z0-9_\-\p{Han}]+)[\"']?\s*$")


def _front_settings(text: str, lines: list[tuple[int, int]]) -> tuple[Optional[str], Optional[str]]:
    """``kind`` and ``platform`` set in the front matter (``kind: email``), for every draft of the file."""
    found: dict[str, str] = {}
    for s, e in lines[1:-1]:
        m = _FRONT_SETTING.match(text[s:e].strip())
        if m:
            found.setdefault(m[1], m[2])
    kind = found.get("kind")
    if kind is not None and kind not in KINDS:
        raise InputError(f"front matter kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return kind, found.get("platform")


def _read(text, lines, first, fences, hidden, comments, inline, found, warnings, options: ReadOptions) -> Parsed:
    """The drafts, as ``markdown-templates`` says: the fenced blocks, or the prose cut up."""
    mode = options.markdown_templates
    wanted = set(options.markdown_fences)
    fences = [f for f in fences if not wanted or f[2] in wanted]
    if mode == "fenced" or (mode == "auto" and fences):
        return Parsed(_fenced(text, fences), found, warnings)
    # Prose with nothing but headings, links and tables in it is a table of contents, not a
    # collection whose templates were missed: no warning.
    hidden.extend((s, e) for s, e, _ in comments)
    hidden.extend(inline)
    from .mdprose import templates  # the prose: what is not a reply blanked, cut into drafts

    drafts = templates(_blank(text, hidden), lines[first:], paragraphs=mode == "paragraphs")
    return Parsed(drafts, found, warnings, quiet=True)


def _fenced(text: str, fences: list[tuple[int, int, str]]) -> list[Segment]:
    """One draft per fenced block: its content, verbatim (so findings and fixes land in the block)."""
    out: list[Segment] = []
    for start, end, _ in fences:
        body = text[start:end]
        if not body.strip():
            continue
        out.extend(Segment(body[s:e], start + s) for s, e in pieces(body))
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line, end including its line break."""
    out = []
    pos = 0
    for line in split_lines(text):
        out.append((pos, pos + len(line)))
        pos += len(line)
    return out


def _front_matter(text: str, lines: list[tuple[int, int]]) -> int:
    """How many lines the YAML (---) or TOML (+++) front matter takes, 0 without any."""
    m = _FRONT.match(text)
    if not m:
        return 0
    fence = text[:3]
    closers = ("---", "...") if fence == "---" else ("+++",)
    for i in range(1, len(lines)):
        s, e = lines[i]
        if text[s:e].rstrip() in closers:
            return i + 1
    return 0


def _code_blocks(
    text: str, lines: list[tuple[int, int]], first: int, fences: Optional[list[tuple[int, int, str]]] = None
) -> list[tuple[int, int]]:
    """Fenced and indented code blocks (an indented line continues a list item, not code); the
    content ``(start, end, info word)`` of each fenced block is added to ``fences``."""
    out = []
    fence = ""
    fence_start = 0
    content_start = 0
    info = ""
    prev_blank = True
    in_list = False
    for s, e in lines[first:]:
        line = text[s:e].rstrip("\r\n")
        if fence:
            stripped = line.strip()
            indent = len(line) - len(line.lstrip(" "))
            if indent <= 3 and len(stripped) >= len(fence) and stripped == fence[0] * len(stripped):
                out.append((fence_start, e))
                if fences is not None:
                    fences.append((content_start, s, info))
                fence = ""
                prev_blank = True
            continue
        m = _FENCE_OPEN.match(line)
        if m and not (m[1][0] == "`" and "`" in m[2]):
            fence, fence_start, content_start = m[1], s, e
            info = (m[2].split() or [""])[0].lstrip("{.").rstrip("}").lower()
            continue
        blank = not line.strip()
        if not blank and _INDENTED.match(line) and prev_blank and not in_list:
            out.append((s, e))
            continue  # prev_blank stays True: the next indented line is code too
        if not blank:
            if _LIST_ITEM.match(line):
                in_list = True
            elif not line[:1].isspace():
                in_list = False
        prev_blank = blank
    if fence:
        out.append((fence_start, len(text)))
        if fences is not None:
            fences.append((content_start, len(text), info))
    return out


def _comments_and_code(text: str, hidden: list[tuple[int, int]]) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """HTML comments ``(start, end, body)`` and inline code spans outside the hidden blocks."""
    hidden = sorted(hidden)
    comments: list[tuple[int, int, str]] = []
    inline: list[tuple[int, int]] = []
    h = 0
    i = 0
    n = len(text)
    while i < n:
        while h < len(hidden) and hidden[h][1] <= i:
            h += 1
        if h < len(hidden) and hidden[h][0] <= i:
            i = hidden[h][1]
            continue
        limit = hidden[h][0] if h < len(hidden) else n
        lt = text.find("<!--", i, limit)
        bt = text.find("`", i, limit)
        if lt == -1 and bt == -1:
            i = limit
            continue
        if lt != -1 and (bt == -1 or lt < bt):
            shut = text.find("-->", lt + 4)
            end = n if shut == -1 else shut + 3
            comments.append((lt, end, text[lt + 4 : end - 3 if shut != -1 else end]))
            i = end
            continue
        run = _BACKTICKS.match(text, bt)
        size = run.end() - bt
        j = run.end()
        para_end = _BLANK_LINE.search(text, j, limit)
        stop = para_end.start() if para_end else limit
        close = None
        for m in _BACKTICKS.finditer(text, j, stop):
            if m.end() - m.start() == size:
                close = m
                break
        if close is None:
            i = run.end()  # literal backticks
            continue
        inline.append((bt, close.end()))
        i = close.end()
    return comments, inline


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts = []
    pos = 0
    for s, e in sorted(spans):
        s = max(s, pos)
        if e <= s:
            continue
        parts.append(text[pos:s])
        parts.append(_NOT_EOL.sub(" ", text[s:e]))
        pos = e
    parts.append(text[pos:])
    return "".join(parts)
