"""Checking the shape of rule-file and config tables, so a mistake is named, not run."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from ..errors import ReplylintError

_TYPES: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list[str]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "table": lambda v: isinstance(v, dict),
    "table[str]": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
    "table[list[str]]": lambda v: isinstance(v, dict)
    and all(isinstance(x, list) and all(isinstance(y, str) for y in x) for x in v.values()),
    "list[table]": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
    "str|table": lambda v: isinstance(v, (str, dict)),
    "list[str|table]": lambda v: isinstance(v, list) and all(isinstance(x, (str, dict)) for x in v),
}


@dataclass(frozen=True)
class Field:
    type: str
    required: bool = False
    doc: str = ""
    items: Optional[Mapping[str, "Field"]] = field(default=None)
    choices: Optional[tuple] = None
    # Numbers: the value must be finite, above ``above`` (exclusive) and in [min, max].
    above: Optional[float] = None
    min: Optional[float] = None
    max: Optional[float] = None

    def range_error(self, value: Any) -> Optional[str]:
        """Why a number is out of this field's range (None if it is in range or not a number)."""
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be a finite number, got {value!r}"
        if self.above is not None and not value > self.above:
            return f"must be more than {self.above:g}{self._upto()}, got {value!r}"
        if self.min is not None and value < self.min:
            return f"must be at least {self.min:g}{self._upto()}, got {value!r}"
        if self.max is not None and value > self.max:
            return f"must be at most {self.max:g}, got {value!r}"
        return None

    def _upto(self) -> str:
        return f" and at most {self.max:g}" if self.max is not None else ""


def check_table(
    table: Mapping[str, Any], spec: Mapping[str, Field], where: str, error: type[ReplylintError]
) -> None:
    """Raise ``error`` naming ``where`` and the field for unknown keys, missing keys and wrong
    types: every problem of the table at once, one a line, so a rule file is fixed in one go."""
    problems = table_problems(table, spec, where)
    if problems:
        raise error("\n".join(problems))


def table_problems(table: Mapping[str, Any], spec: Mapping[str, Field], where: str) -> list[str]:
    """Every problem ``check_table`` reports, as ``where: …`` lines (nested tables included)."""
    out: list[str] = []
    known = ", ".join(sorted(spec))
    for key in table:
        if key not in spec:
            out.append(f"{where}: unknown field {key!r} (known: {known})")
    for key, f in spec.items():
        if key not in table:
            if f.required:
                out.append(f"{where}: missing field {key!r}")
            continue
        value = table[key]
        if not _TYPES[f.type](value):
            out.append(f"{where}: field {key!r} must be {f.type}, got {type(value).__name__}")
            continue
        problem = f.range_error(value)
        if problem is not None:
            out.append(f"{where}: field {key!r} {problem}")
        if f.choices is not None:
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v not in f.choices:
                    out.append(f"{where}: field {key!r} must be one of {', '.join(map(str, f.choices))}, got {v!r}")
        if f.items is not None:
            entries = value if isinstance(value, list) else [value]
            for i, entry in enumerate(entries):
                if isinstance(entry, dict):
                    out.extend(table_problems(entry, f.items, f"{where}: {key}[{i}]" if isinstance(value, list) else f"{where}: {key}"))
    return out
