"""Rule messages and fix replacements as templates that can only substitute, never evaluate.

``str.format`` would follow ``{match.__class__.__mro__}`` into the objects it is given and raise on
``{match.nope}``; a message here may hold ``{name}`` (a plain name its rule kind provides),
``{{`` and ``}}``, and nothing else, checked when the rule file is loaded. A pattern's ``fix`` may
refer only to groups its pattern has, also checked at load.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Mapping, Optional

import regex

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def problems(template: str, known: Optional[Iterable[str]]) -> list[str]:
    """What is wrong with a message template: placeholders that are not a plain name, or not one
    of ``known`` (None: any plain name), and lone braces."""
    names = None if known is None else set(known)
    out = []
    for m in _FIELD.finditer(template):
        token = m.group()
        if token in ("{{", "}}"):
            continue
        inner = m.group(1)
        if inner is None:
            out.append(f"a lone {token!r} (write {token * 2!r} for a brace)")
        elif not _NAME.match(inner):
            out.append(f"placeholder {{{inner}}} is not a plain name" + (f" (known: {', '.join(sorted(names))})" if names else ""))
        elif names is not None and inner not in names:
            out.append(f"unknown placeholder {{{inner}}} (known: {', '.join(sorted(names))})")
    return out


def render(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with each ``{name}`` replaced by ``str(values[name])``; anything else (an
    unknown name, which load-time checks rule out) is left as written."""
    if "{" not in template and "}" not in template:
        return template
    try:
        return _rendered(template, tuple(values.items()))
    except TypeError:  # a value that cannot be a cache key
        return _render(template, values)


@functools.lru_cache(maxsize=4096)
def _rendered(template: str, values: tuple[tuple[str, Any], ...]) -> str:
    """``render``, once per template and values (a rule's message for the same match, again)."""
    return _render(template, dict(values))


def _render(template: str, values: Mapping[str, Any]) -> str:
    out = []
    for text, name in _parts(template):
        out.append(text if name is None or name not in values else str(values[name]))
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _parts(template: str) -> tuple[tuple[str, Optional[str]], ...]:
    """``template`` as literal text and names to fill in, in order, parsed once: a name comes
    with the text it stands for when no value is given (a field written as it was)."""
    parts: list[tuple[str, Optional[str]]] = []
    pos = 0
    for m in _FIELD.finditer(template):
        if m.start() > pos:
            parts.append((template[pos : m.start()], None))
        token, name = m.group(), m.group(1)
        if token in ("{{", "}}"):
            parts.append((token[0], None))
        elif name is not None and _NAME.match(name):
            parts.append((token, name))
        else:
            parts.append((token, None))
        pos = m.end()
    if pos < len(template):
        parts.append((template[pos:], None))
    return tuple(parts)


def fix_problem(pattern: Any, fix: str) -> str | None:
    """Why ``fix`` cannot be expanded for matches of the compiled ``pattern`` (an unknown group
    name or number, a bad escape), or None."""
    try:
        m_groups = pattern.groups
        names = dict(pattern.groupindex)
        for ref in regex.finditer(r"\\g<([^>]*)>|\\(\d+)", fix):
            name = ref.group(1) if ref.group(1) is not None else ref.group(2)
            if name.isdigit():
                if int(name) > m_groups:
                    return f"group {name} does not exist (the pattern has {m_groups})"
            elif name not in names:
                known = ", ".join(sorted(names)) or "none"
                return f"unknown group name {name!r} (groups: {known})"
        # Expanding against a match of the empty pattern checks the escapes themselves.
        regex.compile(r"(?:)").search("").expand(regex.sub(r"\\g<[^>]*>|\\\d+", "", fix))
    except (regex.error, IndexError, ValueError) as exc:
        return str(exc)
    return None
