"""Bytes to text: which encoding a draft file is in, and whether it is text at all.

The codec returned is the one to write the file back with (``utf-8-sig`` keeps a BOM,
``utf-16`` writes one). Line endings are never translated.
"""
from __future__ import annotations

import codecs
import functools
from typing import Optional

from ...errors import InputError
from ...paths import DATA
from ...text.language import to_simplified_char

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy Chinese encodings tried, in this order, when a file is not UTF-8.
_LEGACY = ("gb18030", "big5")
# A guess is trusted when at least this share of its non-ASCII characters are common ones.
_MIN_PLAUSIBLE = 0.6
_SNIFF = 8192
# Bytes deleted before counting control characters: all but C0 controls other than tab, LF, FF, CR, ESC.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B)))


class BinaryFile(Exception):
    """Raised for data that is not text (the caller skips the file with a warning)."""


def check_codec(name: str) -> str:
    """The normalised name of a codec the user asked for, or an InputError naming it."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InputError(f"unknown encoding {name!r}") from None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13…: bytes-to-bytes codecs
        raise InputError(f"{name!r} is not a text encoding")
    return info.name


def decode(data: bytes, path: str, encoding: Optional[str] = None) -> tuple[str, str]:
    """``(text, codec)`` for the bytes of ``path``; ``encoding`` forces a codec.

    Raises BinaryFile for binary data and InputError for bytes no supported encoding reads."""
    if encoding:
        codec = check_codec(encoding)
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"  # so the BOM is neither read as text nor lost on writing back
        return _strict(data, codec, path), codec
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, path), codec
    if _looks_binary(data):
        raise BinaryFile(path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    mixed = _utf8_line(data)
    if mixed is not None:
        raise InputError(
            f"{path}: mixed encodings: line {mixed} is UTF-8 but {_where(data, utf8_error.start)} is not; "
            "convert the file to one encoding (UTF-8) or pass --encoding"
        )
    best: Optional[tuple[float, str, str]] = None
    for codec in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is not None and best[0] >= _MIN_PLAUSIBLE:
        return best[1], best[2]
    where = _where(data, utf8_error.start)
    raise InputError(
        f"{path}: {where}: not UTF-8, GB18030 or Big5 text (mixed or unknown encoding); "
        "convert it to UTF-8 or pass --encoding"
    )


def _utf8_line(data: bytes) -> Optional[int]:
    """The number of a line that is valid UTF-8 holding a character of three or more bytes
    (Chinese text) that is plausible text, in a file that is not UTF-8 as a whole: a file that mixes
    encodings. A line of GB18030 or Big5 is practically never valid UTF-8 with such characters: a
    run of two-byte characters would have to fall exactly on UTF-8's lead and continuation bytes."""
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if any(ord(c) >= 0x800 for c in text) and plausibility(text) >= _MIN_PLAUSIBLE:
            return number
    return None


def _strict(data: bytes, codec: str, path: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: {_where(data, exc.start)}: not valid {codec} text") from None


def _where(data: bytes, offset: int) -> str:
    """``line N (byte M)`` for a byte offset (counting LF bytes: right for ASCII-compatible codecs)."""
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line} (byte {offset})"


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters, near the start: not a draft."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))
    return bool(head) and controls / len(head) > 0.1


@functools.lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    data = (DATA / "common-han.txt").read_text(encoding="utf-8")
    return frozenset("".join(line for line in data.splitlines() if not line.startswith("#")))


def plausibility(text: str) -> float:
    """Share of non-ASCII characters that are common Han characters (either script) or CJK
    punctuation: a wrong legacy codec turns text into rare characters and scores low."""
    common = _common()
    total = good = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            continue
        total += 1
        if 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027:
            good += 1
        elif to_simplified_char(ch) in common:
            good += 1
    return good / total if total else 1.0
