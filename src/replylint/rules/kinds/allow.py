"""A team's own contact points (``[rules.contact-leak] allow = ["paysend.com", "400-123-4567"]``),
which an identifier rule leaves alone: its domains (and their subdomains, the URLs under them and
the addresses at them), its numbers whatever the separators or country code, its exact
addresses and URL prefixes, and its handles (compared without separators or case)."""
from __future__ import annotations

import re
from typing import Iterable

from ..context import fold

_HOST = re.compile(r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)+")
_SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?")
_DIGITS = re.compile(r"\D")
_SEPARATORS = re.compile(r"[\s_\-.:：/·()（）+]")
_PHONE_LIKE = re.compile(r"^[\d\s\-+().]+$")
# A country or trunk prefix one side may carry and the other not (+86, 0086, 0).
_PREFIX_DIGITS = 4


class Allowed:
    """The allow list of one rule, split by what each value is."""

    def __init__(self, values: Iterable[str]) -> None:
        self.domains: list[str] = []
        self.prefixes: list[str] = []
        self.addresses: set[str] = set()
        self.numbers: list[str] = []
        self.handles: list[str] = []
        for raw in values:
            v = fold(raw.strip())
            if not v:
                continue
            if "@" in v:
                self.addresses.add(v)
            elif _PHONE_LIKE.match(v) and len(_DIGITS.sub("", v)) >= 5:
                self.numbers.append(_DIGITS.sub("", v))
            elif _HOST.fullmatch(_SCHEME.sub("", v).rstrip("/")):
                self.domains.append(_SCHEME.sub("", v).rstrip("/"))
            elif "/" in v and _HOST.match(_SCHEME.sub("", v)):
                self.prefixes.append(_SCHEME.sub("", v))
            else:
                self.handles.append(_SEPARATORS.sub("", v))

    def __bool__(self) -> bool:
        return bool(self.domains or self.prefixes or self.addresses or self.numbers or self.handles)

    def covers(self, matched: str) -> bool:
        """Whether the matched text (folded, possibly the compact view) is one of ours."""
        text = matched.strip()
        if self.addresses and text in self.addresses:
            return True
        if self.numbers:
            digits = _DIGITS.sub("", text)
            if len(digits) >= 5 and any(_same_number(digits, n) for n in self.numbers):
                return True
        if self.domains or self.prefixes:
            bare = _SCHEME.sub("", text.split("@", 1)[1] if "@" in text and "/" not in text else text)
            host = _HOST.match(bare)
            if host is not None:
                name = host.group(0)
                if any(name == d or name.endswith("." + d) for d in self.domains):
                    return True
                if any(bare.startswith(p) for p in self.prefixes):
                    return True
        if self.handles:
            compact = _SEPARATORS.sub("", text)
            if any(h and h in compact for h in self.handles):
                return True
        return False


def _same_number(a: str, b: str) -> bool:
    """The same number, one side perhaps with a country or trunk prefix (+86 400… and 400…)."""
    if len(a) < len(b):
        a, b = b, a
    return a.endswith(b) and len(a) - len(b) <= _PREFIX_DIGITS
