"""What every rule kind shares: its rule, its parameters, and the shape of a finding."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable, Iterator, Mapping, Optional

from ...text.draft import Draft
from ..file import Rule
from ..schema import Field


TIMEOUT_CHARS = 100_000
"""A rule's pattern gets its timeout per this many characters of text: a search through a long
text is slow without being runaway, and a runaway pattern is still stopped."""


def scaled_timeout(timeout: float, length: int) -> float:
    """Seconds one search may take on a text of ``length`` characters."""
    return timeout * max(1.0, length / TIMEOUT_CHARS)


@dataclass(frozen=True)
class Finding:
    """A span of the draft's normalised view that a rule objects to."""

    start: int
    end: int
    suggestions: tuple[str, ...] = ()
    fix: Optional[str] = None
    safe: bool = False
    message: str = "default"
    values: Mapping[str, Any] = field(default_factory=dict)


class RuleKind:
    """A kind of rule. Subclasses declare their TOML ``fields`` and implement ``check``."""

    name: ClassVar[str] = ""
    fields: ClassVar[dict[str, Field]] = {}

    def __init__(self, rule: Rule, params: Mapping[str, Any]) -> None:
        self.rule = rule
        self.params = params

    def words(self) -> Iterable[str]:
        """Words the tokenizer should keep whole."""
        return ()

    def check(self, draft: Draft) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def expand(self, values: Iterable[str]) -> list[str]:
        """Replace ``@name`` by the rule's named set."""
        out: list[str] = []
        for v in values:
            if v.startswith("@") and v[1:] in self.rule.sets:
                out.extend(self.rule.sets[v[1:]])
            else:
                out.append(v)
        return out
