"""Scoring: a session starts at 100, loses each finding's points, and a fatal finding zeroes it.

Points and severities are data (``scoring.toml`` beside this file, then a team's ``--settings``
file with the same tables); conversation rules carry theirs in their own TOML."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from .. import InputError
from ..paths import PACKAGE
from .schema import load_toml_file

SEVERITIES = ("info", "warning", "error", "fatal")
_TOP = {"start", "points", "echo", "rules"}


@dataclass
class Scoring:
    start: float = 100
    points: dict[str, float] = field(default_factory=lambda: {"info": 1, "warning": 5, "error": 10})
    echo_rules: frozenset[str] = frozenset()
    echo_factor: float = 0.5
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)

    def severity(self, rule: str, default: str) -> str:
        return self.rules.get(rule, {}).get("severity", default)

    def points_for(self, rule: str, severity: str, default: Optional[float] = None) -> float:
        """A finding's points: ``[rules.ID] points``, else the rule's own, else by severity."""
        own = self.rules.get(rule, {}).get("points")
        if own is not None:
            return own
        if default is not None:
            return default
        return self.points.get(severity, self.points.get("error", 10) if severity == "fatal" else 0)

    def score(self, findings: Iterable[Any]) -> tuple[float, bool]:
        """(score, fatal) of a session from its findings (objects with points, severity, echo)."""
        total, fatal = 0.0, False
        for f in findings:
            total += f.points
            fatal = fatal or (f.severity == "fatal" and not f.echo)
        return (0.0 if fatal else max(0.0, self.start - total)), fatal


def _merge(scoring: Scoring, data: dict[str, Any], where: str) -> None:
    unknown = set(data) - _TOP
    if unknown:
        raise InputError(f"{where}: unknown table(s) or key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_TOP))})")
    if "start" in data:
        scoring.start = _num(data["start"], f"{where}: start")
    for sev, pts in data.get("points", {}).items():
        if sev not in SEVERITIES:
            raise InputError(f"{where}: [points] {sev}: not a severity ({', '.join(SEVERITIES)})")
        scoring.points[sev] = _num(pts, f"{where}: [points] {sev}")
    echo = data.get("echo", {})
    if "rules" in echo:
        scoring.echo_rules = frozenset(echo["rules"])
    if "factor" in echo:
        scoring.echo_factor = _num(echo["factor"], f"{where}: [echo] factor")
    for rule, table in data.get("rules", {}).items():
        if not isinstance(table, dict):
            raise InputError(f"{where}: [rules.{rule}] must be a table")
        if "severity" in table and table["severity"] not in SEVERITIES:
            raise InputError(f"{where}: [rules.{rule}] severity must be one of {', '.join(SEVERITIES)}")
        if "points" in table:
            _num(table["points"], f"{where}: [rules.{rule}] points")
        scoring.rules.setdefault(rule, {}).update(table)


def _num(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise InputError(f"{where}: expected a number ≥ 0, not {value!r}")
    return value


def load_scoring(settings: Optional[Path] = None) -> Scoring:
    """The bundled scoring, with a team's settings file laid over it."""
    scoring = Scoring()
    bundled = PACKAGE / "audit" / "scoring.toml"
    _merge(scoring, load_toml_file(bundled, "the bundled scoring"), str(bundled))
    if settings is not None:
        _merge(scoring, load_toml_file(Path(settings), "the audit settings"), str(settings))
    return scoring
