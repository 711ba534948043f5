"""Names of programmes and policies, which a promise word inside them does not make a promise:
the A-to-z Guarantee, Buyer Protection guarantee, on-time guarantee, Price Match Guarantee.

Read in the writer's own text (the view is case-folded): the word itself in Title Case away from
the start of its sentence, or the word right before it in Title Case (not a pronoun or a
determiner) or a hyphenated compound (on-time, a-to-z, 30-day). Text in capitals is shouting,
not a name."""
from __future__ import annotations

import re

_WORD_BEFORE = re.compile(r"([A-Za-z0-9][A-Za-z0-9'’\-]*)[\"'”’»]?\s+[\"'“‘«]?$")
_SENTENCE_START = re.compile(r"(?:^|[.!?。！？:：;；]\s*|\n)[\s\"'“‘(（«]*$")
_NOT_NAMES = frozenset({
    "I", "We", "You", "They", "He", "She", "It", "Our", "My", "Your", "This", "That", "These", "Those",
    "And", "But", "So", "Yes", "Also", "Please", "Of", "Definitely", "Absolutely", "Surely", "Certainly",
})


def _title(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def in_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (original offsets) is part of a programme's or policy's name."""
    word = text[start:end]
    before = text[max(0, start - 80) : start]
    m = _WORD_BEFORE.search(before)
    prev = m.group(1) if m else ""
    if prev.capitalize() in _NOT_NAMES:
        return False  # I Guarantee it, we Guarantee: a pronoun makes it a verb
    if _title(word) and not _SENTENCE_START.search(before):
        return True
    if not prev:
        return False
    if "-" in prev.strip("-") and any(c.isalpha() for c in prev):
        return True  # on-time, A-to-z, 30-day, money-back
    return _title(prev) and prev not in _NOT_NAMES
