"""The prose of a Markdown template collection, cut into drafts.

Collections put templates under headings, between badges, links and tables of links: none of
those is a reply. They are blanked (spaces, line breaks kept) so that offsets stay those of the
file, then the prose is cut into paragraphs and list items, or into the sections under headings.
"""
from __future__ import annotations

import regex

from .base import Segment
from .plain import pieces

_ATX = regex.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT = regex.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_BREAK = regex.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_DELIMITER = regex.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_HTML_LINE = regex.compile(r"^[ \t]*</?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)")
_LINK_DEFINITION = regex.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S+")
_LIST_ITEM = regex.compile(r"^( {0,3})(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_QUOTE = regex.compile(r"^ {0,3}(?:>[ \t]?)+")
# A link or image as a whole, its target, its text: [text](target), [text][ref], <https://…>.
_IMAGE = regex.compile(r"!\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_LINKED_IMAGE = regex.compile(r"\[\s*!\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])\s*\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_LINK = regex.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\](?P<target>\([^)\n]*\)|\[[^\]\n]*\])")
_AUTOLINK = regex.compile(r"<(?P<url>(?:https?|mailto|ftp):[^>\s]*)>")
_BARE_URL = regex.compile(r"https?://\S+")
_INLINE_HTML = regex.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
# What may be left on a line of links and badges besides them: separators and list markers.
_ONLY_SEPARATORS = regex.compile(r"^[\s|·•・,，、;；/\\\-–—*+>:：()（）\[\]0-9.]*$")
_NOT_EOL = regex.compile(r"[^\r\n]")


def _spaces(text: str) -> str:
    return _NOT_EOL.sub(" ", text)


def _clean_line(line: str) -> tuple[str, bool]:
    """The line with link targets, images and HTML tags blanked, and whether nothing but links,
    badges and separators was on it (a badge row, a link list: not a reply)."""
    out = _LINKED_IMAGE.sub(lambda m: _spaces(m[0]), line)
    out = _IMAGE.sub(lambda m: _spaces(m[0]), out)
    links_only = out
    links_only = _LINK.sub(lambda m: _spaces(m[0]), links_only)
    links_only = _AUTOLINK.sub(lambda m: _spaces(m[0]), links_only)
    links_only = _BARE_URL.sub(lambda m: _spaces(m[0]), links_only)
    links_only = _INLINE_HTML.sub(lambda m: _spaces(m[0]), links_only)
    if links_only != line and _ONLY_SEPARATORS.match(links_only):
        return _spaces(line), True
    out = _LINK.sub(lambda m: " " + m["text"] + _spaces(m["target"]) + " ", out)
    out = _AUTOLINK.sub(lambda m: " " + m["url"] + " ", out)
    out = _INLINE_HTML.sub(lambda m: _spaces(m[0]), out)
    quote = _QUOTE.match(out)
    if quote:
        out = _spaces(quote[0]) + out[quote.end() :]
    return out, False


def _classify(prose: str, lines: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """Each line's kept text (blanked where it is not a reply) and whether a heading ends the
    section before it."""
    raw = [prose[s:e] for s, e in lines]
    kept = list(raw)
    heading = [False] * len(raw)
    blank = [not r.strip() for r in raw]
    # Tables: a delimiter row and the rows around it that hold a pipe.
    for i, r in enumerate(raw):
        if "-" in r and "|" in r and _TABLE_DELIMITER.match(r.rstrip("\r\n")):
            j = i
            while j >= 0 and not blank[j] and "|" in raw[j]:
                kept[j] = _spaces(raw[j])
                j -= 1
            j = i + 1
            while j < len(raw) and not blank[j] and "|" in raw[j]:
                kept[j] = _spaces(raw[j])
                j += 1
    for i, r in enumerate(raw):
        if blank[i] or not kept[i].strip():
            continue
        line = r.rstrip("\r\n")
        if _ATX.match(line):
            kept[i], heading[i] = _spaces(r), True
        elif _SETEXT.match(line) and i and not blank[i - 1] and kept[i - 1].strip() and not _LIST_ITEM.match(raw[i - 1]):
            kept[i], kept[i - 1], heading[i - 1] = _spaces(r), _spaces(raw[i - 1]), True
        elif _BREAK.match(line) or _LINK_DEFINITION.match(line) or _HTML_LINE.match(line) or line.lstrip().startswith("|"):
            kept[i] = _spaces(r)
        else:
            kept[i], _ = _clean_line(r)
    return kept, heading


def templates(prose: str, lines: list[tuple[int, int]], paragraphs: bool = False) -> list[Segment]:
    """The drafts of ``prose`` (the file text with code, comments and front matter blanked):
    each paragraph and list item when ``paragraphs``, else each section under a heading, or each
    item of a section that is nothing but a list."""
    kept, heading = _classify(prose, lines)
    if not lines:
        return []
    text = prose[: lines[0][0]] + "".join(kept) + prose[lines[-1][1] :]
    sections: list[list[tuple[int, int, bool]]] = [[]]
    block: list[int] = []  # line indexes of the block being read
    item = False
    indent = 0

    def close() -> None:
        nonlocal block
        if block:
            start = lines[block[0]][0]
            end = lines[block[-1]][1]
            sections[-1].append((start, end, item))
        block = []

    for i in range(len(lines)):
        line = kept[i]
        if heading[i]:
            close()
            sections.append([])
            continue
        if not line.strip():
            if block and not item:
                close()
            continue
        marker = _LIST_ITEM.match(line)
        if marker:
            close()
            block, item, indent = [i], True, len(marker[1])
            continue
        if block and item:
            lead = len(line) - len(line.lstrip(" \t"))
            previous_blank = not kept[i - 1].strip()
            if previous_blank and lead <= indent:
                close()
            else:
                block.append(i)
                continue
        if not block:
            item = False
        block.append(i)
    close()
    out: list[Segment] = []
    for blocks in sections:
        if not blocks:
            continue
        if paragraphs or all(is_item for _, _, is_item in blocks):
            spans = [(s, e, is_item) for s, e, is_item in blocks]
        else:
            spans = [(blocks[0][0], blocks[-1][1], False)]
        for s, e, is_item in spans:
            if is_item:
                m = _LIST_ITEM.match(text[s:e])
                s = s + m.end() if m else s
            out.extend(_segment(text, s, e))
    return out


def _segment(text: str, start: int, end: int) -> list[Segment]:
    """The stretch ``[start, end)`` as drafts, without its surrounding blank space."""
    body = text[start:end]
    lead = len(body) - len(body.lstrip())
    body = body.strip()
    if not body:
        return []
    first = start + lead
    return [Segment(body[s:e], first + s) for s, e in pieces(body)]
