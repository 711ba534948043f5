"""Contact identifiers (IM handles, phone numbers, addresses, links), also when disguised.

Patterns may match a compact view of the draft in which separators between characters are
dropped and the variants and digit look-alikes of the rule's tables are folded, so 微 信,
薇信 and 一三八零零一三八零零零 read as 微信 and 13800138000; findings still point at the
writer's own characters.
"""
from __future__ import annotations

from typing import Any

import regex

from ..context import fold
from ..draft import Draft
from ..language import is_han
from ..normalize import View, transform
from ..schema import Field
from .pattern import Pattern

_URL_HOST = regex.compile(r"(?:https?://)?(?:www\.)?([a-z0-9\-.]+\.[a-z]{2,})", regex.IGNORECASE)


class Identifier(Pattern):
    name = "identifier"
    fields = {
        **Pattern.fields,
        "separators": Field("str", doc="characters dropped between letters, digits and Chinese in the compact view"),
        "variants": Field("table[str]", doc="disguised spellings and what they stand for (薇信 = 微信)"),
        "digits": Field("table[str]", doc="digit look-alikes and their digit (三 = 3, ③ = 3)"),
        "categories": Field("list[str]", doc="which pattern categories run (default: all)"),
        "home-domains": Field("table[list[str]]", doc="per platform, link hosts that stay on the platform"),
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        enabled = params.get("categories")
        if enabled is not None:
            self.patterns = [p for p in self.patterns if p.category in enabled]
        self.separators = frozenset(params.get("separators", ""))
        table: dict[str, str] = {}
        for k, v in params.get("variants", {}).items():
            table[fold(k)] = fold(v)
        for k, v in params.get("digits", {}).items():
            table.setdefault(fold(k), v)
        self.table = table
        self.home_domains = {k.lower(): tuple(d.lower() for d in v) for k, v in params.get("home-domains", {}).items()}
        self._cache_key = f"identifier:{rule.id}"

    def _drop(self, prev: str, ch: str, nxt: str) -> bool:
        if ch not in self.separators or not prev or not nxt:
            return False
        return (is_han(prev) or prev.isdigit() or is_han(nxt) or nxt.isdigit()) and not (prev.isspace() or nxt.isspace())

    def view_of(self, draft: Draft, name: str) -> View:
        if name != "compact":
            return draft.view
        cache = draft.derived
        if self._cache_key not in cache:
            # Runs of separators are dropped one character at a time, so fold them to one first.
            squeezed = transform(draft.view, drop=lambda p, c, n: c in self.separators and n in self.separators)
            cache[self._cache_key] = transform(squeezed, drop=self._drop, table=self.table)
        return cache[self._cache_key]

    def accept(self, draft: Draft, p: Any, m: Any) -> bool:
        if p.category != "link" or not draft.platform:
            return True
        host = _URL_HOST.match(m.group(0))
        if host is None:
            return True
        name = host.group(1).lower()
        return not any(name == d or name.endswith("." + d) for d in self.home_domains.get(draft.platform, ()))
