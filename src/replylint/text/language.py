"""Which language a draft is written in, and the character tables that fold scripts."""
from __future__ import annotations

import functools
import re

from ..paths import DATA

_NOT_HAN = re.compile("[^\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002fa1f\uf900-\ufaff]+")
_NOT_LATIN = re.compile("[^A-Za-z]+")


@functools.lru_cache(maxsize=1)
def _t2s() -> dict[str, str]:
    table: dict[str, str] = {}
    data = (DATA / "t2s.txt").read_text(encoding="utf-8")
    for line in data.splitlines():
        if line and not line.startswith("#"):
            chars = list(line)
            table[chars[0]] = chars[1]
    return table


@functools.lru_cache(maxsize=1)
def _simplified_only() -> frozenset[str]:
    table = _t2s()
    return frozenset(table.values()) - frozenset(table)


def to_simplified_char(ch: str) -> str:
    return _t2s().get(ch, ch)


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F or 0xF900 <= o <= 0xFAFF


def detect_language(text: str) -> str:
    """``zh-Hans``, ``zh-Hant`` or ``en``: by script, then by characters only one script has."""
    han_text = _NOT_HAN.sub("", text)  # the characters is_han accepts, in C rather than a Python loop
    if _english(len(han_text), text):
        return "en"
    if not han_text:
        return "zh-Hans"
    marked = han_text.translate(_script_marks())
    return "zh-Hant" if marked.count("T") > marked.count("S") else "zh-Hans"


@functools.lru_cache(maxsize=1)
def _script_marks() -> dict[int, str]:
    """Traditional-only characters → ``T``, simplified-only → ``S`` (applied to Han text only)."""
    marks = {ord(c): "S" for c in _simplified_only()}
    marks.update({ord(c): "T" for c in _t2s()})
    return marks


def message_language(lang: str) -> str:
    """The language of the messages shown for a draft: ``zh`` or ``en``."""
    return "en" if lang == "en" else "zh"


def messages_for(text: str) -> str:
    """``message_language(detect_language(text))``, without telling the Chinese scripts apart."""
    return "en" if _english(len(_NOT_HAN.sub("", text)), text) else "zh"


def _english(han: int, text: str) -> bool:
    """Whether a text with ``han`` Chinese characters is English: mostly Latin letters."""
    if han and len(text) <= 3 * han:
        return False  # fewer than 3 × han Latin letters, whatever the rest is
    latin = len(_NOT_LATIN.sub("", text))
    return latin > 0 and (han == 0 or latin > 3 * han)
