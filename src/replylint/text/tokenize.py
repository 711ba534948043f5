"""The one tokenizer: jieba's segmentation, over a dictionary that opens in a millisecond.

The algorithm is jieba 0.42's default mode, step for step (blocks of Chinese, Latin letters and
digits; a DAG of dictionary words; the most probable route; runs of single characters that are not
words go through jieba's HMM), so tokens are identical to ``jieba.lcut``'s. Only the dictionary
differs in form: ``dictionary.py`` maps it from a file instead of loading it into a dict.

Each ``Linter`` has a segmenter of its own: its rules' words as an overlay over the one shared,
memory-mapped table, so that compounds such as 保证金 segment as one word and a rule's words are
never split by the dictionary, and one linter's team words never change another's tokens. Words are
added the way jieba's ``add_word(word, max(suggest_freq(word), 10))`` adds them, in the same order;
linters with the same words share one segmenter (``segmenter_for``).
"""
from __future__ import annotations

import functools
import re
import threading
from itertools import accumulate
from math import log
from typing import Callable, Iterable, Iterator, Optional

from .dictionary import FrequencyTable, open_table

# jieba's own patterns (jieba/__init__.py and jieba/finalseg/__init__.py).
_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
BLOCK = _BLOCK
"""jieba's blocks: runs of these characters are cut on their own; every other character is a word
by itself (a ``\\r\\n`` pair aside)."""
_SPACE = re.compile("(\r\n|\\s)", re.U)
_LATIN = re.compile("[a-zA-Z0-9]", re.U)
_HMM_HAN = re.compile("([\u4E00-\u9FD5]+)")
_HMM_OTHER = re.compile("([a-zA-Z0-9]+(?:\\.\\d+)?%?)")

_MIN_FLOAT = -3.14e100
_PREV_STATES = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}
_MISSING = object()


_table: Optional[FrequencyTable] = None
_table_lock = threading.Lock()


def shared_table() -> FrequencyTable:
    """jieba's dictionary, opened once per process and shared (read-only) by every segmenter."""
    global _table
    if _table is None:
        with _table_lock:
            if _table is None:
                _table = open_table()
    return _table


class Segmenter:
    """jieba's segmentation behind a lock, with the rules' words added once the dictionary opens."""

    def __init__(self, table_factory: Callable[[], FrequencyTable] = shared_table) -> None:
        self._factory = table_factory
        self._table: Optional[FrequencyTable] = None
        self._added: dict[str, int] = {}  # rules' words and their new prefixes (0)
        self._total = 0
        self._pending: dict[str, None] = {}
        self._known: set[str] = set()
        self.words: tuple[str, ...] = ()  # the words added, in order
        self._lock = threading.RLock()
        # Caches of this segmenter's own (its words decide the cuts), not shared between instances.
        self.cut = functools.lru_cache(maxsize=4096)(self._cut_text)
        self.cut_block = functools.lru_cache(maxsize=16384)(self._cut_one_block)
        self.block_ends = functools.lru_cache(maxsize=16384)(self._block_ends)

    def add_words(self, words: Iterable[str]) -> None:
        with self._lock:
            new = [w for w in words if len(w) > 1 and w not in self._known]
            if not new:
                return
            self._known.update(new)
            self.words += tuple(new)
            if self._table is None:
                for w in new:
                    self._pending[w] = None
            else:
                for w in new:
                    self._keep_whole(w)
                self.cut.cache_clear()
                self.cut_block.cache_clear()
                self.block_ends.cache_clear()

    @property
    def loaded(self) -> bool:
        return self._table is not None

    def ensure_loaded(self) -> None:
        """Open the dictionary and add the pending words now (before forking workers, say)."""
        with self._lock:
            if self._table is None:
                self._load()

    def _load(self) -> None:
        table = self._factory()
        self._total = table.total
        self._table = table
        for word in self._pending:
            self._keep_whole(word)
        self._pending.clear()

    def _cut_text(self, text: str) -> tuple[str, ...]:
        """Words of ``text`` in order; joined they give ``text`` back exactly."""
        self.ensure_loaded()
        # jieba cuts each block (a run of Han, Latin letters and digits) on its own, so the blocks'
        # cuts are cached: drafts differ by a number or a name while their clauses recur.
        out: list[str] = []
        for blk in BLOCK.split(text):
            if not blk:
                continue
            if BLOCK.match(blk):
                out.extend(self.cut_block(blk))
            else:
                for x in _SPACE.split(blk):
                    if _SPACE.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return tuple(out)

    def _cut_one_block(self, block: str) -> tuple[str, ...]:
        """Words of one block (a whole run of ``BLOCK`` characters, as ``cut`` finds them)."""
        self.ensure_loaded()
        with self._lock:
            return tuple(self._cut_dag(block))

    def _block_ends(self, block: str) -> tuple[int, ...]:
        """Offsets inside ``block`` (a whole run of ``BLOCK`` characters) where each of its words
        (``cut_block``) ends, in order: a word starts where another ends, and a clause walk takes
        the words before or after a place by one bisection, not word by word."""
        return tuple(accumulate(map(len, self.cut_block(block))))

    # -- the dictionary, with the rules' words over it ----------------------------------------
    def _freq(self, word: str) -> Optional[int]:
        f = self._added.get(word, _MISSING)
        if f is _MISSING:
            return self._table.get(word)  # type: ignore[union-attr]
        return f  # type: ignore[return-value]

    def _keep_whole(self, word: str) -> None:
        """Make ``word`` one token without outweighing the words jieba already knows."""
        if self._freq(word):
            return
        freq = max(self._suggest_freq(word), 10)
        self._added[word] = freq
        self._total += freq
        for end in range(1, len(word)):
            prefix = word[:end]
            if self._freq(prefix) is None:
                self._added[prefix] = 0

    def _suggest_freq(self, word: str) -> int:
        """jieba's ``suggest_freq(word, tune=False)``."""
        ftotal = float(self._total)
        freq = 1.0
        for seg in self._cut(word, hmm=False):
            f = self._freq(seg)
            freq *= (1 if f is None else f) / ftotal
        whole = self._freq(word)
        return max(int(freq * self._total) + 1, 1 if whole is None else whole)

    # -- jieba's cut ---------------------------------------------------------------------------
    def _cut(self, sentence: str, hmm: bool) -> Iterator[str]:
        cut_block = self._cut_dag if hmm else self._cut_dag_no_hmm
        for blk in _BLOCK.split(sentence):
            if not blk:
                continue
            if _BLOCK.match(blk):
                yield from cut_block(blk)
            else:
                for x in _SPACE.split(blk):
                    if _SPACE.match(x):
                        yield x
                    else:
                        yield from x

    def _route(self, sentence: str) -> list[int]:
        """For each position, where the most probable word starting there ends (exclusive)."""
        added, table_get = self._added, self._table.get  # type: ignore[union-attr]
        n = len(sentence)
        dag: list[list[tuple[int, int]]] = []
        for k in range(n):
            ends: list[tuple[int, int]] = []
            i = k
            frag = sentence[k]
            while i < n:
                f = added.get(frag, _MISSING)
                if f is _MISSING:
                    f = table_get(frag)
                if f is None:
                    break
                if f:
                    ends.append((i, f))  # type: ignore[arg-type]
                i += 1
                frag = sentence[k : i + 1]
            dag.append(ends or [(k, 1)])
        logtotal = log(self._total)
        best = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for idx in range(n - 1, -1, -1):
            # max() over (score, x) in jieba: on equal scores the longer word wins.
            top_p, top_x = None, 0
            for x, f in dag[idx]:
                p = log(f) - logtotal + best[x + 1]
                if top_p is None or p >= top_p:
                    top_p, top_x = p, x
            best[idx] = top_p  # type: ignore[assignment]
            end[idx] = top_x + 1
        return end

    def _cut_dag(self, sentence: str) -> Iterator[str]:
        end = self._route(sentence)
        x = 0
        buf = ""
        n = len(sentence)
        while x < n:
            y = end[x]
            word = sentence[x:y]
            if y - x == 1:
                buf += word
            else:
                if buf:
                    yield from self._unknown(buf)
                    buf = ""
                yield word
            x = y
        if buf:
            yield from self._unknown(buf)

    def _unknown(self, buf: str) -> Iterator[str]:
        if len(buf) == 1:
            yield buf
        elif not self._freq(buf):
            yield from self._hmm_cut(buf)
        else:
            yield from buf

    def _cut_dag_no_hmm(self, sentence: str) -> Iterator[str]:
        end = self._route(sentence)
        x = 0
        n = len(sentence)
        buf = ""
        while x < n:
            y = end[x]
            word = sentence[x:y]
            if _LATIN.match(word) and len(word) == 1:
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf

    # -- jieba's finalseg (HMM for words not in the dictionary) ------------------------------
    def _hmm_cut(self, sentence: str) -> Iterator[str]:
        for blk in _HMM_HAN.split(sentence):
            if _HMM_HAN.match(blk):
                yield from self._viterbi_cut(blk)
            else:
                for x in _HMM_OTHER.split(blk):
                    if x:
                        yield x

    def _viterbi_cut(self, sentence: str) -> Iterator[str]:
        start_p, trans_p, emit_p = self._table.hmm()  # type: ignore[union-attr]
        pos_list = _viterbi(sentence, start_p, trans_p, emit_p)
        begin, nexti = 0, 0
        for i, char in enumerate(sentence):
            pos = pos_list[i]
            if pos == "B":
                begin = i
            elif pos == "E":
                yield sentence[begin : i + 1]
                nexti = i + 1
            elif pos == "S":
                yield char
                nexti = i + 1
        if nexti < len(sentence):
            yield sentence[nexti:]


def _viterbi(obs: str, start_p, trans_p, emit_p) -> list[str]:
    """jieba.finalseg.viterbi, same arithmetic and the same tie-breaking."""
    states = "BMES"
    V: list[dict[str, float]] = [{}]
    path: dict[str, list[str]] = {}
    for y in states:
        V[0][y] = start_p[y] + emit_p[y].get(obs[0], _MIN_FLOAT)
        path[y] = [y]
    for t in range(1, len(obs)):
        V.append({})
        newpath = {}
        for y in states:
            em_p = emit_p[y].get(obs[t], _MIN_FLOAT)
            prob, state = max([(V[t - 1][y0] + trans_p[y0].get(y, _MIN_FLOAT) + em_p, y0) for y0 in _PREV_STATES[y]])
            V[t][y] = prob
            newpath[y] = path[state] + [y]
        path = newpath
    _, state = max((V[len(obs) - 1][y], y) for y in "ES")
    return path[state]


_by_words: dict[tuple[str, ...], Segmenter] = {}
_by_words_lock = threading.Lock()
_MAX_SEGMENTERS = 64


def segmenter_for(words: Iterable[str] = ()) -> Segmenter:
    """The segmenter with exactly ``words`` (in this order) over the shared table; linters whose
    rules add the same words share it, so a warm process keeps one per distinct set of rules."""
    key = tuple(words)
    found = _by_words.get(key)
    if found is None:
        with _by_words_lock:
            found = _by_words.get(key)
            if found is None:
                found = Segmenter()
                found.add_words(key)
                if len(_by_words) >= _MAX_SEGMENTERS:
                    _by_words.pop(next(iter(_by_words)))
                _by_words[key] = found
    return found
