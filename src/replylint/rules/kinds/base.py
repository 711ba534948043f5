"""What every rule kind shares: its rule, its parameters, and the shape of a finding."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Hashable, Iterable, Iterator, Mapping, Optional

from ...matching.pattern import Needs, RulePattern
from ...matching.timeout import DEFAULT_TIMEOUT
from ...text.draft import Draft
from ..file import Rule
from ..schema import Field


@dataclass(frozen=True, init=False)
class Finding:
    """A span of the draft's normalised view that a rule objects to."""

    start: int
    end: int
    suggestions: tuple[str, ...] = ()
    fix: Optional[str] = None
    safe: bool = False
    message: str = "default"
    values: Mapping[str, Any] = field(default_factory=dict)

    def __init__(
        self,
        start: int,
        end: int,
        suggestions: tuple[str, ...] = (),
        fix: Optional[str] = None,
        safe: bool = False,
        message: str = "default",
        values: Optional[Mapping[str, Any]] = None,
    ) -> None:
        # One update of the instance's dict, not a frozen dataclass's setattr per field (1.2 ->
        # 0.6 us): a draft with findings makes several.
        self.__dict__.update({
            "start": start, "end": end, "suggestions": suggestions, "fix": fix, "safe": safe, "message": message,
            "values": {} if values is None else values,
        })


class RuleKind:
    """A kind of rule. Subclasses declare their TOML ``fields`` and implement ``find``."""

    name: ClassVar[str] = ""
    fields: ClassVar[dict[str, Field]] = {}

    def __init__(self, rule: Rule, params: Mapping[str, Any]) -> None:
        self.rule = rule
        self.params = params
        # Seconds of the regex engine's work a pattern gets per search (matching.timeout).
        self.timeout = float(params.get("timeout", DEFAULT_TIMEOUT))

    def words(self) -> Iterable[str]:
        """Words the tokenizer should keep whole."""
        return ()

    def rule_patterns(self) -> Iterable[RulePattern]:
        """The patterns this rule runs over the draft's normalised view through ``may_match``
        (or ``absent``): the linter's one pass looks for their factors too, so each is skipped
        on a draft that holds none. Optional, like ``triggers``."""
        return ()

    def triggers(self) -> Optional[list[Needs]]:
        """What a finding of this rule needs in the draft's view, as alternatives: sets of strings
        to hold one of each of (its words; each pattern's literal factors, ``RulePattern.literals``),
        so a draft meeting none skips the rule (``matching.triggers``); None, the default, when
        the rule may find something anywhere."""
        return None

    def view_triggers(self) -> list[tuple[Hashable, list[Needs]]]:
        """Keys of this rule's own, each with what it needs in the draft's view (alternatives, as
        ``triggers``): patterns over a view derived from it (the identifier's compact view) whose
        needs were worked out over the view itself. The draft's ``live`` holds the keys met."""
        return []

    def find(self, draft: Draft) -> Iterator[Finding]:  # pragma: no cover - abstract
        """The findings of this rule on ``draft``, in view offsets."""
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
