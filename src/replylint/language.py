"""Which language a draft is written in, and the character tables that fold scripts."""
from __future__ import annotations

import functools
from importlib import resources


@functools.lru_cache(maxsize=1)
def _t2s() -> dict[str, str]:
    table: dict[str, str] = {}
    data = resources.files("replylint").joinpath("data/t2s.txt").read_text(encoding="utf-8")
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
    han = latin = trad = simp = 0
    t2s = _t2s()
    simp_only = _simplified_only()
    for ch in text:
        if is_han(ch):
            han += 1
            if ch in t2s:
                trad += 1
            elif ch in simp_only:
                simp += 1
        elif ch.isascii() and ch.isalpha():
            latin += 1
    if han == 0 or latin > 3 * han:
        return "en" if latin else "zh-Hans"
    return "zh-Hant" if trad > simp else "zh-Hans"


def message_language(lang: str) -> str:
    """The language of the messages shown for a draft: ``zh`` or ``en``."""
    return "en" if lang == "en" else "zh"
