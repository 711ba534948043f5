"""A rule as its TOML file defines it: identity, messages, documentation, examples and the
parameters of its kind."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional

from ..errors import RuleFileError
from ..report.diagnostic import SEVERITIES
from ..text.draft import KINDS
from .schema import Field, table_problems
from .template import problems, render
from .toml import load_toml

SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

_MESSAGE = {
    "zh": Field("str", required=True, doc="the message for Chinese drafts; {match} is the flagged text"),
    "en": Field("str", required=True, doc="the message for English drafts"),
}
_EXAMPLE = {
    "text": Field("str", required=True),
    "kind": Field("str", choices=KINDS),
    "platform": Field("str"),
    "note": Field("str"),
}

COMMON_FIELDS: dict[str, Field] = {
    "id": Field("str", required=True, doc="the rule's slug, used in select/ignore and suppressions"),
    "kind": Field("str", required=True, doc="the rule kind that runs it"),
    "severity": Field("str", required=True, choices=SEVERITIES),
    "summary": Field("str", required=True, doc="one line for the catalogue"),
    "norm": Field("str", required=True, doc="where the norm comes from"),
    "rationale": Field("str", required=True, doc="why the norm exists and what the rule leaves alone (shown by explain)"),
    "applies-to": Field("list[str]", choices=KINDS, doc="draft kinds checked by default"),
    "message": Field("str|table", required=True, items=_MESSAGE, doc="zh and en, or one string for both"),
    "messages": Field("table", doc="further messages by key, each with zh and en"),
    "suggest": Field("list[str]", doc="better phrasings offered with every finding"),
    "exceptions": Field("list[str]", doc="phrases inside which a match is left alone"),
    "sets": Field("table[list[str]]", doc="named word lists, referred to as @name"),
    "examples": Field("table", required=True, doc="the rule's self-test", items={
        "bad": Field("list[str|table]", required=True, doc="drafts the rule must catch (a string, or a table with text, kind, platform, note)"),
        "good": Field("list[str|table]", required=True, doc="drafts the rule must leave alone"),
    }),
    "when": Field("table", doc="parameters that differ by draft kind: [when.email] ..."),
    "source": Field("str", doc="provenance of adapted word lists"),
    "timeout": Field("number", above=0, max=60, doc="seconds of the regex engine's work a pattern of this rule gets per search (default: the config's, else 1)"),
    "enabled": Field(
        "bool",
        doc="false: off by default (too many false alarms on ordinary replies, said in the rationale); "
        "runs when selected by id or ALL, or with [rules.ID] enabled = true",
    ),
    "languages": Field(
        "list[str]", choices=("zh-Hans", "zh-Hant", "en"), doc="languages the norm applies in (default all); its corpus covers these"
    ),
}

# A team's rule (under rule-paths) needs only what running it needs: id, kind, message and the
# kind's parameters. Bundled rules keep every field: they are the documentation of the norms.
TEAM_OPTIONAL = ("severity", "summary", "norm", "rationale", "examples")
TEAM_FIELDS: dict[str, Field] = {k: replace(f, required=False) if k in TEAM_OPTIONAL else f for k, f in COMMON_FIELDS.items()}
TEAM_FIELDS["examples"] = replace(
    TEAM_FIELDS["examples"], items={"bad": Field("list[str|table]"), "good": Field("list[str|table]")}
)
DEFAULT_SEVERITY = "warning"


@dataclass(frozen=True)
class Example:
    text: str
    kind: Optional[str] = None
    platform: Optional[str] = None
    note: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    severity: str
    summary: str
    norm: str
    rationale: str
    messages: dict[str, dict[str, str]]
    applies_to: tuple[str, ...]
    suggest: tuple[str, ...]
    exceptions: tuple[str, ...]
    sets: dict[str, tuple[str, ...]]
    bad: tuple[Example, ...]
    good: tuple[Example, ...]
    params: dict[str, Any]
    when: dict[str, dict[str, Any]]
    path: Path
    source: str = ""
    extra_words: tuple[str, ...] = field(default=())
    enabled: bool = True
    languages: tuple[str, ...] = ("zh-Hans", "zh-Hant", "en")

    def message(self, key: str, lang: str, **values: Any) -> str:
        template = self.messages.get(key) or self.messages["default"]
        text = template.get(lang) or template["en"]
        return render(text, values)

    def check_messages(self, known: "Any") -> None:
        """Raise RuleFileError for a message placeholder that is not ``match`` or one of ``known``
        (the names the rule's kind fills in; None: any plain name), or is not a plain name."""
        names = None if known is None else {"match", *known}
        for key, template in self.messages.items():
            for lang, text in template.items():
                found = problems(text, names)
                if found:
                    where = "message" if key == "default" else f"messages.{key}"
                    raise RuleFileError(f"{self.path}: {where}.{lang}: {found[0]}")

    def params_for(self, draft_kind: str) -> dict[str, Any]:
        params = dict(self.params)
        params.update(self.when.get(draft_kind, {}))
        return params

    def with_overrides(self, overrides: dict[str, Any]) -> "Rule":
        """Apply a team's per-rule settings from config (severity, applies-to, words, exceptions, allow)."""
        changes: dict[str, Any] = {}
        if "severity" in overrides:
            changes["severity"] = overrides["severity"]
        if "applies-to" in overrides:
            changes["applies_to"] = tuple(overrides["applies-to"])
        if "exceptions" in overrides:
            changes["exceptions"] = self.exceptions + tuple(overrides["exceptions"])
        if "enabled" in overrides:
            changes["enabled"] = overrides["enabled"]
        if "words" in overrides:
            changes["extra_words"] = self.extra_words + tuple(overrides["words"])
        if "allow" in overrides:  # identifier rules: the team's own contact points
            changes["params"] = {**self.params, "allow": [*self.params.get("allow", ()), *overrides["allow"]]}
        return replace(self, **changes)


def _known_kinds() -> list[str]:
    from .kinds import all_kinds

    return sorted(all_kinds())


def _example(value: Any) -> Example:
    if isinstance(value, str):
        return Example(value)
    return Example(value["text"], value.get("kind"), value.get("platform"), value.get("note", ""))


def load_rule(path: Path, kind_fields: "Any", bundled: bool = True) -> Rule:
    """Read and validate one rule file. ``kind_fields(name)`` returns a kind's parameter spec;
    a team's rule (``bundled`` False) may leave out severity, summary, norm, rationale, examples.
    Every problem found is reported at once (one a line), not the first of them per run."""
    data = load_toml(path, RuleFileError, keep=True)
    where = str(path)
    issues: list[str] = []
    kind_name = data.get("kind")
    spec_of_kind: dict[str, Field] = {}
    kind_known = False
    if not isinstance(kind_name, str):
        issues.append(f"{where}: missing field 'kind'" if kind_name is None else f"{where}: field 'kind' must be str")
    else:
        found = kind_fields(kind_name)
        if found is None:
            issues.append(f"{where}: unknown rule kind {kind_name!r} (known kinds: {', '.join(_known_kinds())})")
        else:
            spec_of_kind, kind_known = dict(found), True
    # Without a known kind its own fields cannot be told from mistakes: only the common ones are checked.
    common = COMMON_FIELDS if bundled else TEAM_FIELDS
    issues += [p for p in table_problems(data, {**common, **spec_of_kind}, where)
                 if kind_known or not p.startswith(f"{where}: unknown field ")]
    if isinstance(data.get("id"), str) and not SLUG_RE.match(data["id"]):
        issues.append(f"{where}: field 'id' must be a slug like 'absolute-promise', got {data['id']!r}")
    messages: dict[str, dict[str, str]] = {}
    message = data.get("message")
    if isinstance(message, (str, dict)):
        messages["default"] = {"zh": message, "en": message} if isinstance(message, str) else message
    for key, msg in (data.get("messages") or {}).items() if isinstance(data.get("messages"), dict) else ():
        if not isinstance(msg, dict):
            issues.append(f"{where}: messages.{key} must be a table with zh and en")
            continue
        issues += table_problems(msg, _MESSAGE, f"{where}: messages.{key}")
        messages[key] = msg
    examples: dict[str, Any] = data["examples"] if isinstance(data.get("examples"), dict) else {}
    bad: list[Any] = examples["bad"] if isinstance(examples.get("bad"), list) else []
    good: list[Any] = examples["good"] if isinstance(examples.get("good"), list) else []
    for i, ex in enumerate(bad + good):
        if isinstance(ex, dict):
            issues += table_problems(ex, _EXAMPLE, f"{where}: examples[{i}]")
    when = data.get("when", {}) if isinstance(data.get("when", {}), dict) else {}
    for draft_kind, params in when.items():
        if draft_kind not in KINDS or not isinstance(params, dict):
            issues.append(f"{where}: [when.{draft_kind}] must be a table named after a draft kind ({', '.join(KINDS)})")
            continue
        optional = {k: replace(f, required=False) for k, f in spec_of_kind.items()}
        issues += table_problems(params, optional, f"{where}: when.{draft_kind}")
    if issues or not isinstance(kind_name, str):
        raise RuleFileError("\n".join(dict.fromkeys(issues)))
    params = {k: v for k, v in data.items() if k in spec_of_kind or k == "timeout"}
    return Rule(
        id=data["id"],
        kind=kind_name,
        severity=data.get("severity", DEFAULT_SEVERITY),
        summary=data.get("summary", ""),
        norm=data.get("norm", ""),
        rationale=data.get("rationale", "").strip(),
        messages=messages,
        applies_to=tuple(data.get("applies-to", KINDS)),
        suggest=tuple(data.get("suggest", ())),
        exceptions=tuple(data.get("exceptions", ())),
        sets={k: tuple(v) for k, v in data.get("sets", {}).items()},
        bad=tuple(_example(x) for x in examples.get("bad", [])),
        good=tuple(_example(x) for x in examples.get("good", [])),
        params=params,
        when=when,
        path=path,
        source=data.get("source", ""),
        enabled=data.get("enabled", True),
        languages=tuple(data.get("languages", ("zh-Hans", "zh-Hant", "en"))),
    )
