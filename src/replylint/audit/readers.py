"""Streaming readers: records from JSONL or CSV one at a time, conversations as runs of them.

Memory stays constant however large the export: one record, one conversation and a fixed-size
filter of conversation ids already closed (which tells when an export is not ordered by
conversation) are all that is held."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Optional

from .. import InputError
from .conversation import Conversation, Message
from .schema import Mapping

FORMATS = ("jsonl", "csv")


class _Counting(io.RawIOBase):
    """A binary file that counts the bytes read through it, for the progress bar."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def detect_format(path: str, fmt: Optional[str]) -> str:
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json", ""):
        return "jsonl"
    raise InputError(f"{path}: cannot tell the format from the name; pass --input-format jsonl or csv")


class Records:
    """The records of one export: dicts with their line (JSONL) or record number (CSV)."""

    def __init__(self, path: str, fmt: Optional[str] = None, encoding: str = "utf-8-sig") -> None:
        self.path = path
        self.format = detect_format(path, fmt)
        self.encoding = encoding
        self._counter: Optional[_Counting] = None
        self.size: Optional[int] = None
        if path != "-":
            try:
                self.size = Path(path).stat().st_size
            except OSError as exc:
                raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None

    @property
    def bytes_read(self) -> int:
        return self._counter.count if self._counter else 0

    def _open(self) -> io.TextIOWrapper:
        try:
            raw = sys.stdin.buffer if self.path == "-" else open(self.path, "rb")
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        self._counter = _Counting(raw)
        return io.TextIOWrapper(io.BufferedReader(self._counter, 1 << 16), encoding=self.encoding, newline="")

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        stream = self._open()
        try:
            yield from (self._jsonl(stream) if self.format == "jsonl" else self._csv(stream))
        except UnicodeDecodeError as exc:
            raise InputError(f"{self.path}: not {self.encoding} text ({exc.reason}); pass --encoding") from None
        finally:
            if self.path != "-":
                stream.close()

    def _jsonl(self, stream: io.TextIOWrapper) -> Iterator[tuple[int, dict[str, Any]]]:
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{self.path}:{n}: not JSON: {exc.msg}") from None
            if not isinstance(record, dict):
                raise InputError(f"{self.path}:{n}: expected one JSON object per line")
            yield n, record

    def _csv(self, stream: io.TextIOWrapper) -> Iterator[tuple[int, dict[str, Any]]]:
        csv.field_size_limit(1 << 26)
        reader = csv.DictReader(stream)
        try:
            for row in reader:
                if None in row:
                    raise InputError(f"{self.path}:{reader.line_num}: more values than columns")
                yield reader.line_num, row
        except csv.Error as exc:
            raise InputError(f"{self.path}:{reader.line_num}: broken CSV: {exc}") from None


class SeenFilter:
    """A Bloom filter of conversation ids (1 MiB, 3 hashes): constant memory, no false 'new',
    rare false 'seen' (about 1 in 10,000 at a million conversations), so it only warns."""

    def __init__(self, bits: int = 1 << 23) -> None:
        self._bits = bytearray(bits // 8)
        self._n = bits

    def _places(self, key: str) -> list[int]:
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=12).digest()
        return [int.from_bytes(digest[i:i + 4], "little") % self._n for i in (0, 4, 8)]

    def add(self, key: str) -> None:
        for p in self._places(key):
            self._bits[p >> 3] |= 1 << (p & 7)

    def __contains__(self, key: str) -> bool:
        return all(self._bits[p >> 3] & (1 << (p & 7)) for p in self._places(key))


def conversations(
    records: Records,
    mapping: Mapping,
    on_message: Optional[Callable[[Message], None]] = None,
    warn: Optional[Callable[[str], None]] = None,
) -> Iterator[Conversation]:
    """Conversations as runs of consecutive records with one conversation_id, internal notes left
    out. A conversation_id that comes back after another one is reported through ``warn`` (the
    export is not ordered by conversation) and audited as a separate conversation."""
    seen = SeenFilter()
    current: Optional[Conversation] = None
    key = None  # the conversation_id of the rows in ``current`` (its id may carry a #part)
    gap = mapping.split_gap_hours * 3600 if mapping.split_gap_hours else None
    part = 1
    reordered = 0
    for line, record in records:
        message = mapping.message(record, line, records.path)
        if on_message is not None:
            on_message(message)
        if message.internal:
            continue
        if current is not None and message.conversation_id == key:
            last = current.messages[-1].ts if current.messages else None
            if gap is not None and message.ts and last and (message.ts - last).total_seconds() >= gap:
                yield current
                part += 1
                current = Conversation(f"{key}#{part}")
            current.messages.append(message)
            continue
        if current is not None:
            yield current
        key, part = message.conversation_id, 1
        if key in seen:
            reordered += 1
            if warn is not None and reordered == 1:
                warn(f"{records.path}:{line}: conversation {key!r} appears again after other conversations; "
                     "the export should be ordered by conversation (see docs/audit.md), its parts are audited apart")
        seen.add(key)
        current = Conversation(key, [message])
    if current is not None:
        yield current
    if reordered > 1 and warn is not None:
        warn(f"{records.path}: {reordered} conversations appeared in more than one run of rows")
