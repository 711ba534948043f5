"""Text from drafts and file names made safe to print: no terminal escape, carriage return or
newline of the user's reaches the terminal raw, so a draft cannot recolour the screen, hide a line
or forge a report line, and a file name cannot start a new one."""
from __future__ import annotations

import re

# C0 controls (not tab), DEL, C1 controls, and the bidirectional overrides/isolates that reorder text.
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(m: "re.Match[str]") -> str:
    ch = m.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␍ for CR, ␊ for LF: one narrow column, like the original
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


_HIDDEN_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as a one-column picture (␛, ␍, ␊…); tabs stay,
    and with ``keep_newlines`` CR and LF too (for a format that encodes them itself)."""
    pattern = _HIDDEN_BUT_LINES if keep_newlines else _HIDDEN
    return pattern.sub(_picture, text) if pattern.search(text) else text
