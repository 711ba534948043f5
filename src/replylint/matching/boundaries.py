"""Whether a span of a draft's view is a whole word: Latin words end at non-letters, Chinese words
where jieba's segmentation (the draft's, with its linter's words) starts a word."""
from __future__ import annotations

from ..text.draft import Draft
from ..text.language import is_han


def is_word_char(ch: str) -> bool:
    return ch.isalnum() and (ch.isascii() or not is_han(ch))


def is_whole(draft: Draft, start: int, end: int, compound_head: bool = False) -> bool:
    """With ``compound_head``, a Chinese span may also end a longer word (人格担保: X担保 is a 担保)."""
    text = draft.view.text
    first, last = text[start], text[end - 1]
    if is_word_char(first) and start > 0 and is_word_char(text[start - 1]):
        return False
    if is_word_char(last) and end < len(text) and is_word_char(text[end]):
        return False
    if is_han(first) and not draft.is_boundary(start) and not (compound_head and is_han(last)):
        return False
    if is_han(last) and not draft.is_boundary(end):
        return False
    return True
