"""The registry of rule kinds: the built-in ones, and those other packages add through the
``replylint.kinds`` entry-point group (``name = "package.module:Class"``)."""
from __future__ import annotations

import functools
from typing import Optional

from .base import Finding, RuleKind
from .confusable import Confusable
from .identifier import Identifier
from .mention import Mention
from .occurrence import Occurrence
from .pattern import Pattern
from .structure import Structure
from .wordlist import WordList

ENTRY_POINT_GROUP = "replylint.kinds"

BUILTIN: dict[str, type[RuleKind]] = {k.name: k for k in (WordList, Pattern, Identifier, Structure, Mention, Occurrence, Confusable)}


@functools.lru_cache(maxsize=1)
def _plugins() -> dict[str, object]:
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name not in BUILTIN}


def get_kind(name: str) -> Optional[type[RuleKind]]:
    """The kind called ``name``; entry points are only consulted for names not built in."""
    if name in BUILTIN:
        return BUILTIN[name]
    ep = _plugins().get(name)
    if ep is None:
        return None
    kind = ep.load()  # type: ignore[attr-defined]
    if not (isinstance(kind, type) and issubclass(kind, RuleKind)):
        return None
    return kind


def all_kinds() -> dict[str, type[RuleKind]]:
    kinds = dict(BUILTIN)
    for name in _plugins():
        k = get_kind(name)
        if k is not None:
            kinds[name] = k
    return kinds


__all__ = ["BUILTIN", "ENTRY_POINT_GROUP", "Finding", "RuleKind", "all_kinds", "get_kind"]
