"""Names that are fine or not depending on where the draft is sent: other selling platforms."""
from __future__ import annotations

import functools
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

from ...errors import RuleFileError
from ...matching.boundaries import is_whole
from ...text.draft import Draft
from ..context import fold
from ..schema import Field
from .base import Finding
from .wordlist import WordList


class PlatformNames:
    """Which platforms a configured value names, read generously: any of a platform's names
    (``jd``, ``JD``, ``京东``, ``jingdong``), and ``homes`` letting one value stand for several
    platforms. Shared by the mention kind and by other kinds that depend on the home platform."""

    def __init__(self, owner: Mapping[str, str], homes: Mapping[str, frozenset[str]]) -> None:
        self.owner = dict(owner)
        self.homes = dict(homes)
        self.known = frozenset(self.owner.values())

    @classmethod
    def from_params(cls, params: Mapping[str, Any], expand: Callable[[Iterable[str]], list[str]]) -> "PlatformNames":
        """From a mention rule's ``entries`` (words + platform) and ``homes``."""
        owner: dict[str, str] = {}
        for raw in params["entries"]:
            for word in expand(raw["words"]):
                owner.setdefault(fold(word), raw["platform"].lower())
        homes = {fold(k.lower()): frozenset(p.lower() for p in v) for k, v in params.get("homes", {}).items()}
        return cls(owner, homes)

    def knows(self, platform: str) -> bool:
        """Whether ``platform`` names a platform (or a group of them) these names know."""
        key = fold(platform.strip().lower())
        return key in self.homes or key in self.owner or key in self.known

    def home_of(self, platform: Optional[str]) -> Optional[frozenset[str]]:
        """The platforms whose names count as the draft's own, or None when none is configured."""
        if not platform:
            return None
        key = fold(platform.strip().lower())
        if key in self.homes:
            return self.homes[key]
        owner = self.owner.get(key, key)
        return self.homes.get(owner, frozenset({owner}))


@functools.lru_cache(maxsize=8)
def bundled_platform_names(rule_id: str) -> PlatformNames:
    """The platform names of the bundled mention rule ``rule_id`` (platform-mention)."""
    from ..catalogue import bundled_rules_dir
    from ..file import load_rule
    from . import get_kind  # the registry imports this module

    path = bundled_rules_dir() / f"{rule_id}.toml"
    if not path.is_file():
        raise RuleFileError(f"platform-names: no bundled rule {rule_id!r} to read platform names from")
    rule = load_rule(path, lambda name: getattr(get_kind(name), "fields", None))
    if rule.kind != Mention.name:
        raise RuleFileError(f"platform-names: {path} is a {rule.kind!r} rule, not a {Mention.name!r} rule")

    def expand(values: Iterable[str]) -> list[str]:
        return [w for v in values for w in (rule.sets.get(v[1:], (v,)) if v.startswith("@") else (v,))]

    return PlatformNames.from_params(rule.params, expand)


class Mention(WordList):
    """A word list whose entries belong to a platform; the draft's home platform's own names pass.

    The configured platform is read generously (``jd``, ``JD``, ``京东`` and ``jingdong`` all name
    JD) and may stand for several platforms (``homes``: a Tmall shop is also at home on Taobao).
    With no home platform configured every name is a finding with the ``no-platform`` message;
    with one this rule does not know, with the ``unknown-platform`` message.
    """

    name = "mention"
    fields = {
        **WordList.fields,
        "entries": Field(
            "list[table]",
            required=True,
            items={**(WordList.fields["entries"].items or {}), "platform": Field("str", required=True, doc="the platform these names belong to")},
            doc="names, grouped by the platform they belong to",
        ),
        "suffixes": Field(
            "list[str]",
            doc="words jieba may glue to a name's last character (快|手上) that still leave the name whole",
        ),
        "homes": Field(
            "table[list[str]]",
            doc="a configured platform value and the platforms whose names count as its own (tmall = [\"tmall\", \"taobao\"])",
        ),
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        self.names = PlatformNames.from_params(params, self.expand)
        self.owner = self.names.owner
        self.known = self.names.known
        self.suffixes = tuple(fold(w) for w in params.get("suffixes", ()))

    def home_of(self, platform: Optional[str]) -> Optional[frozenset[str]]:
        """The platforms whose names count as the draft's own, or None when none is configured."""
        return self.names.home_of(platform)

    def is_whole(self, draft: Draft, start: int, end: int, compound_head: bool = False) -> bool:
        """Also whole when jieba glued one of the ``suffixes`` to the name (快|手上)."""
        if is_whole(draft, start, end, compound_head):
            return True
        text = draft.view.text
        return any(text.startswith(s, end) and is_whole(draft, start, end + len(s)) for s in self.suffixes)

    def find(self, draft: Draft) -> Iterator[Finding]:
        home = self.home_of(draft.platform)
        if home is None:
            message = "no-platform"
        elif home & self.known:
            message = "default"
        else:
            message = "unknown-platform"
        known = ", ".join(sorted(self.known))
        for f in super().find(draft):
            name = draft.view.text[f.start : f.end]
            owner = self.owner.get(name, "")
            if home is not None and owner in home:
                continue
            yield Finding(
                f.start, f.end, f.suggestions, f.fix, f.safe,
                f.message if f.message != "default" else message,
                {"platform": owner, "home": draft.platform or "", "known": known},
            )
