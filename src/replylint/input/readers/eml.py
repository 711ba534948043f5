"""E-mail files (.eml): the subject and the text body (quoted-printable and base64 decoded) are
the drafts. A body line found verbatim in the file is placed exactly; any other line (encoded,
folded) is placed at the first line of its body part. The subject is linted like a chat line
(a subject has no greeting or sign-off); the body is an e-mail."""
from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Optional

import regex

from ...errors import InputError
from .base import Parsed, Segment, split_lines

_HEADER_END = regex.compile(r"\r?\n\r?\n")
# RFC 2046 allows boundaries of 1-70 characters; the standard library's parser slows down with the
# cube of a boundary's length and recurses once per nested part, so both are bounded before it runs.
MAX_BOUNDARY = 70
MAX_MULTIPARTS = 100
_BOUNDARY_PARAM = regex.compile(r"""\bboundary(?:\*\d*)?\*?[ \t]*=[ \t]*(?:"([^"\r\n]*)"|([^\s;"]*))""", regex.IGNORECASE)
_SUBJECT = regex.compile(r"^subject:[ \t]*", regex.IGNORECASE | regex.MULTILINE)


def read(text: str, data: bytes, codec: str, path: str) -> Parsed:
    raw = data if codec.replace("-", "") in ("utf8", "gb18030", "big5", "ascii") else text.encode("utf-8")
    _check_bounds(text, path)
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except RecursionError:
        raise InputError(f"{path}: MIME parts nested too deeply") from None
    if not msg.keys():  # no headers: a plain letter saved as .eml
        return Parsed([Segment(text, 0, "email")])
    head_end = _body_start(text, 0)
    segments = []
    subject = _subject(msg, text, head_end)
    if subject is not None:
        segments.append(subject)
    try:
        body = msg.get_body(preferencelist=("plain", "html"))
    except RecursionError:
        raise InputError(f"{path}: MIME parts nested too deeply") from None
    if isinstance(body, EmailMessage):
        try:
            content = body.get_content()
        except (LookupError, ValueError, UnicodeError) as exc:
            raise InputError(f"{path}: cannot decode the e-mail body: {exc}") from None
        if body.get_content_subtype() == "html":
            content = _html_text(content)
        span = _locate(msg, body, text, 0, len(text)) or (head_end, len(text))
        segments.append(Segment(content, span[0], "email", "body", _place(content, text, *span)))
    return Parsed(segments)


def _check_bounds(text: str, path: str) -> None:
    """InputError for a MIME boundary longer than RFC 2046 allows, or more multipart containers
    than any real e-mail has (each names a boundary): work for the parser stays bounded."""
    count = 0
    for m in _BOUNDARY_PARAM.finditer(text):
        count += 1
        value = m.group(1) if m.group(1) is not None else m.group(2)
        if len(value) > MAX_BOUNDARY:
            line = text.count("\n", 0, m.start()) + 1
            raise InputError(f"{path}:{line}: MIME boundary of {len(value)} characters (RFC 2046 allows {MAX_BOUNDARY})")
        if count > MAX_MULTIPARTS:
            raise InputError(f"{path}: more than {MAX_MULTIPARTS} multipart sections; not an e-mail this linter reads")


def _subject(msg: EmailMessage, text: str, head_end: int) -> Optional[Segment]:
    value = msg.get("subject")
    m = _SUBJECT.search(text, 0, head_end)
    if not value or m is None:
        return None
    value = str(value)
    at = text.find(value, m.end(), head_end)
    offsets = list(range(at, at + len(value) + 1)) if at != -1 else [m.end()] * (len(value) + 1)
    return Segment(value, offsets[0], "chat", "subject", offsets)


def _body_start(text: str, lo: int) -> int:
    """Where the body begins after the headers starting at ``lo``."""
    for blank in ("\r\n", "\n"):
        if text.startswith(blank, lo):
            return lo + len(blank)
    m = _HEADER_END.search(text, lo)
    return m.end() if m else len(text)


def _locate(msg: EmailMessage, target: EmailMessage, text: str, lo: int, hi: int) -> Optional[tuple[int, int]]:
    """The ``[start, end)`` of ``target``'s body in the file, walking the MIME boundaries."""
    body = _body_start(text, lo)
    if msg is target:
        return body, hi
    boundary = msg.get_boundary() if msg.is_multipart() else None
    if not boundary:
        return None
    delimiter = regex.compile(r"^--" + regex.escape(boundary) + r"(?:--)?[ \t]*(?:\r?\n|\Z)", regex.MULTILINE)
    marks = list(delimiter.finditer(text, body, hi))
    for child, (a, b) in zip(msg.iter_parts(), zip(marks, marks[1:])):
        found = _locate(child, target, text, a.end(), b.start())  # type: ignore[arg-type]
        if found:
            return found
    return None


def _place(content: str, text: str, start: int, end: int) -> list[int]:
    """File offsets of the content's characters: verbatim lines exactly, the rest at ``start``."""
    out: list[int] = []
    cursor = start
    for line in split_lines(content):
        body = line.rstrip("\r\n")
        at = text.find(body, cursor, end) if body else -1
        if at != -1:
            out.extend(range(at, at + len(body)))
            cursor = at + len(body)
            out.extend([cursor] * (len(line) - len(body)))
        else:
            out.extend([start] * len(line))
    out.append(out[-1] + 1 if out else start)
    return [min(o, end) for o in out]  # an added final newline is not past the part's end


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("br", "p", "div", "tr", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style"):
            self.skip = max(self.skip - 1, 0)

    def handle_data(self, data) -> None:
        if not self.skip:
            self.parts.append(data)


def _html_text(html: str) -> str:
    """The visible text of an HTML-only e-mail."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
