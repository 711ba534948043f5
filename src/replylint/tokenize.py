"""The one tokenizer: jieba, loaded lazily on first use and shared by every rule and draft.

Rules register their own words before any text is cut, so that compounds such as 保证金
segment as one word and a rule's words are never split by the dictionary.
"""
from __future__ import annotations

import functools
import logging
import threading
from typing import Iterable



class Segmenter:
    """jieba behind a lock, with the rules' words added to its dictionary once it loads."""

    def __init__(self) -> None:
        self._tokenizer = None
        self._pending: dict[str, None] = {}
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def add_words(self, words: Iterable[str]) -> None:
        with self._lock:
            new = [w for w in words if len(w) > 1 and w not in self._known]
            if not new:
                return
            self._known.update(new)
            if self._tokenizer is None:
                for w in new:
                    self._pending[w] = None
            else:
                for w in new:
                    _keep_whole(self._tokenizer, w)
                self.cut.cache_clear()

    @property
    def loaded(self) -> bool:
        return self._tokenizer is not None

    def _load(self):
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in self._pending:
            _keep_whole(tokenizer, word)
        self._pending.clear()
        return tokenizer

    @functools.lru_cache(maxsize=4096)
    def cut(self, text: str) -> tuple[str, ...]:
        """Words of ``text`` in order; joined they give ``text`` back exactly."""
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = self._load()
            return tuple(self._tokenizer.cut(text))


def _keep_whole(tokenizer, word: str) -> None:
    """Make ``word`` one token without outweighing the words jieba already knows."""
    if tokenizer.FREQ.get(word):
        return
    tokenizer.add_word(word, max(tokenizer.suggest_freq(word, False), 10))


_shared = Segmenter()


def segmenter() -> Segmenter:
    return _shared
