"""Input mappings: how the fields of an export (Zendesk, Intercom, 咚咚, 千牛…) become the common schema.

The mappings are data, one TOML table per export layout in ``mappings.toml`` beside this file; a
team with another layout passes its own TOML file to ``--map``. A mapping says which field holds
each common field (a list: the first one present wins; ``a.b`` reaches into nested JSON), how the
role is read (a field and its values, or a comparison of two fields), which rows are internal
notes, and optionally per-role fields (千牛 logs name the buyer in from_id or to_id by direction)."""
from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from ..paths import PACKAGE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .. import InputError
from .conversation import ROLES, Message

COMMON_FIELDS = ("conversation_id", "message_id", "ts", "role", "agent_id", "text", "internal")
_KEYS = {"description", "source", "fields", "role", "internal", "by-role", "text-format", "split-gap-hours"}


def load_toml_file(path: Path, what: str) -> dict[str, Any]:
    """A TOML file, or a one-line InputError naming the file (and line) when it is broken."""
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: {what} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML in {what}: {exc}") from None


def bundled_mappings_path() -> Path:
    return PACKAGE / "audit" / "mappings.toml"


def bundled_mappings() -> dict[str, dict[str, Any]]:
    """Every shipped mapping by name (common, zendesk, intercom, freshdesk, gorgias, jd-dongdong…)."""
    return load_toml_file(bundled_mappings_path(), "the bundled mappings")


@dataclass
class Mapping:
    """One export layout turned into rules for reading a record (see the module docstring)."""

    name: str
    fields: dict[str, list[str]]
    role: list[dict[str, Any]]
    internal: list[dict[str, Any]] = field(default_factory=list)
    by_role: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    text_format: str = "plain"
    split_gap_hours: Optional[float] = None
    description: str = ""

    @classmethod
    def from_table(cls, name: str, table: dict[str, Any], where: str) -> "Mapping":
        unknown = set(table) - _KEYS
        if unknown:
            raise InputError(f"{where}: mapping {name!r}: unknown key(s) {', '.join(sorted(unknown))}")
        fields = {k: _names(v, f"{where}: mapping {name!r} field {k}") for k, v in table.get("fields", {}).items()}
        bad = set(fields) - set(COMMON_FIELDS)
        if bad:
            raise InputError(f"{where}: mapping {name!r}: {', '.join(sorted(bad))} is not a common field ({', '.join(COMMON_FIELDS)})")
        for needed in ("conversation_id", "text"):
            if needed not in fields and not any(needed in t for t in table.get("by-role", {}).values()):
                raise InputError(f"{where}: mapping {name!r} says nothing about {needed}")
        role = table.get("role", [{"field": "role"}])
        role = [role] if isinstance(role, dict) else list(role)
        internal = table.get("internal", [])
        internal = [internal] if isinstance(internal, dict) else list(internal)
        by_role = {
            r: {k: _names(v, f"{where}: mapping {name!r} by-role.{r}.{k}") for k, v in t.items()}
            for r, t in table.get("by-role", {}).items()
        }
        fmt = table.get("text-format", "plain")
        if fmt not in ("plain", "html"):
            raise InputError(f"{where}: mapping {name!r}: text-format must be plain or html, not {fmt!r}")
        return cls(name, fields, role, internal, by_role, fmt, table.get("split-gap-hours"), table.get("description", ""))

    def message(self, record: dict[str, Any], line: int, where: str) -> Message:
        """The record in the common schema; a record that cannot be read is a one-line InputError."""
        role = self._role(record, line, where)
        names = {**self.fields, **self.by_role.get(role, {})}

        def get(key: str) -> Any:
            return _first(record, names.get(key, ()))

        conversation = get("conversation_id")
        if conversation in (None, ""):
            raise InputError(f"{where}:{line}: no conversation id (field {' or '.join(names.get('conversation_id', ()))})")
        text = get("text")
        text = "" if text is None else str(text)
        if self.text_format == "html":
            text = html_to_text(text)
        message_id = get("message_id")
        return Message(
            conversation_id=str(conversation),
            message_id=str(message_id) if message_id not in (None, "") else str(line),
            role=role,
            text=text,
            ts=parse_ts(get("ts"), f"{where}:{line}"),
            agent_id=_text(get("agent_id")) if role in ("agent", "bot") else "",
            internal=self._internal(record, names),
            line=line,
        )

    def _role(self, record: dict[str, Any], line: int, where: str) -> str:
        unknown = ""
        for way in self.role:
            if "equal" in way:
                a, b = (_first(record, _names(n, where)) for n in way["equal"])
                if a not in (None, "") and b not in (None, ""):
                    return way.get("then", "customer") if _text(a) == _text(b) else way.get("else", "agent")
                continue
            value = _first(record, _names(way.get("field", "role"), where))
            if value in (None, ""):
                if "default" in way:
                    return way["default"]
                continue
            key = _text(value).lower()
            values = way.get("values")
            if values and key not in values and "default" not in way:
                unknown = f"{way.get('field', 'role')} = {_text(value)!r} (known: {', '.join(sorted(values))})"
                continue  # another way may know (Intercom: part_type, then author.type)
            role = values.get(key, way.get("default")) if values else key
            if role in ROLES:
                return role
            raise InputError(f"{where}:{line}: role {_text(value)!r} is not one of {', '.join(ROLES)}")
        raise InputError(f"{where}:{line}: cannot tell who wrote this message (mapping {self.name}"
                         + (f"; {unknown}" if unknown else "") + ")")

    def _internal(self, record: dict[str, Any], names: dict[str, list[str]]) -> bool:
        if "internal" in names:
            value = _first(record, names["internal"])
            if value not in (None, "") and _truthy(value):
                return True
        for way in self.internal:
            value = _first(record, _names(way["field"], self.name))
            if value is not None and _text(value).lower() in {_text(v).lower() for v in way["when"]}:
                return True
        return False


def load_mapping(spec: Optional[str]) -> Mapping:
    """A bundled mapping by name, or a TOML file: one mapping table, or several (``file.toml:name``)."""
    spec = spec or "common"
    tables = bundled_mappings()
    if spec in tables:
        return Mapping.from_table(spec, tables[spec], str(bundled_mappings_path()))
    path_text, _, name = spec.partition(":") if not Path(spec).exists() else (spec, "", "")
    path = Path(path_text)
    if not path.is_file():
        raise InputError(f"--map {spec}: not a bundled mapping ({', '.join(tables)}) nor a TOML file")
    data = load_toml_file(path, "the mapping")
    if "fields" in data:
        return Mapping.from_table(name or path.stem, data, str(path))
    if name:
        if name not in data:
            raise InputError(f"{path}: no mapping named {name!r} (has {', '.join(data)})")
        return Mapping.from_table(name, data[name], str(path))
    if len(data) == 1:
        [(name, table)] = data.items()
        return Mapping.from_table(name, table, str(path))
    raise InputError(f"{path}: several mappings ({', '.join(data)}); pick one as {path}:NAME")


def _names(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InputError(f"{where}: expected a field name or a list of them")


def _lookup(record: dict[str, Any], name: str) -> Any:
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _first(record: dict[str, Any], names) -> Any:
    for name in names:
        value = _lookup(record, name)
        if value not in (None, ""):
            return value
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _truthy(value: Any) -> bool:
    return _text(value).strip().lower() in ("true", "1", "yes", "y", "t", "internal", "private", "note")


_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y%m%d%H%M%S")


def parse_ts(value: Any, where: str) -> Optional[datetime]:
    """ISO 8601, ``2024-05-01 10:00:00``, or Unix seconds/milliseconds; aware times become UTC.
    Nothing there is None (timing rules stay off); something unreadable is an InputError."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):  # pandas Timestamps too
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo is not None else value.replace(tzinfo=None)
    if isinstance(value, (int, float)) and not isinstance(value, bool) or (isinstance(value, str) and re.fullmatch(r"\d{9,13}(\.\d+)?", value.strip())):
        number = float(value)
        if number > 1e11:
            number /= 1000.0
        return datetime.fromtimestamp(number, tz=timezone.utc).replace(tzinfo=None)
    text = str(value).strip()
    try:
        ts = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        for fmt in _FORMATS:
            try:
                ts = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise InputError(f"{where}: unreadable timestamp {text!r} (ISO 8601, 2024-05-01 10:00:00 or Unix seconds)") from None
    if ts.tzinfo is not None:
        ts = ts.astimezone(timezone.utc).replace(tzinfo=None)
    return ts


_TAG = re.compile(r"<(br|/p|/div|/li)\b[^>]*>|<[^>]+>", re.I)


def html_to_text(text: str) -> str:
    """Intercom and Zendesk keep HTML bodies: tags out (line breaks kept), entities decoded."""
    text = _TAG.sub(lambda m: "\n" if m.group(1) else "", text)
    return html.unescape(text).strip()
