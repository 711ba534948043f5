"""Finding rule files: the bundled ones and a team's own, each validated against its kind."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterable, Optional

from ..errors import RuleFileError
from ..paths import DATA
from .file import Rule, load_rule
from .kinds import get_kind


def bundled_rules_dir() -> Path:
    """`data/rules/` inside the installed package, or `rules/` at the top of a source checkout."""
    packaged = DATA / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def _kind_fields(name: str):
    kind = get_kind(name)
    return None if kind is None else kind.fields


def rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.toml") if p.is_file())
    if path.is_file():
        return [path]
    if path.exists():
        raise RuleFileError(f"{path}: not a regular file (a FIFO, device or socket); a rule path must be a file or folder")
    raise RuleFileError(f"{path}: rule path not found")


# The values each built-in kind puts into its findings' messages, besides {match}; a kind from a
# plugin may declare its own as a ``placeholders`` class attribute.
# A kind in neither place may use any plain name (``{name}``); attribute, index and conversion
# syntax is refused for every kind.
_PLACEHOLDERS = {
    "pattern": ("category",),
    "identifier": ("category",),
    "mention": ("platform", "home", "known"),
    "occurrence": ("count",),
    "confusable": ("fix",),
    "wordlist": (),
    "structure": (),
}


def _placeholders(name: str) -> Optional[tuple[str, ...]]:
    """The names a kind fills in, or None when it does not say."""
    declared = getattr(get_kind(name), "placeholders", None)
    if declared is not None:
        return tuple(declared)
    return _PLACEHOLDERS.get(name)


@functools.lru_cache(maxsize=32)
def _load_cached(path: Path, mtime_ns: int, bundled: bool = True) -> Rule:
    rule = load_rule(path, _kind_fields, bundled)
    rule.check_messages(_placeholders(rule.kind))
    return rule


def load_rules(extra_paths: Iterable[Path] = ()) -> list[Rule]:
    """Bundled rules first, then the team's (which need fewer fields); two rules may not share an id."""
    rules: dict[str, Rule] = {}
    bundled = bundled_rules_dir()
    for root in (bundled, *extra_paths):
        for path in rule_files(Path(root)):
            try:
                mtime = path.stat().st_mtime_ns
            except OSError as exc:
                raise RuleFileError(f"{path}: cannot read: {exc.strerror}") from None
            rule = _load_cached(path.resolve(), mtime, root is bundled)
            if rule.id in rules:
                raise RuleFileError(f"{path}: rule id {rule.id!r} is already defined in {rules[rule.id].path}")
            rules[rule.id] = rule
    return list(rules.values())
