"""YAML template collections: lists of strings or of mappings with a text field (every document
of a multi-document file). Node positions come from PyYAML's composer; nothing is constructed."""
from __future__ import annotations

from typing import Any, Optional

import yaml

from ...errors import InputError
from ...text.positions import LineIndex
from .base import Parsed, ReadOptions
from .entries import Entry, candidates, collect, has_prose, text_key

_STR = "tag:yaml.org,2002:str"


def read(text: str, path: str, options: ReadOptions) -> Parsed:
    if not text.strip():
        return Parsed(quiet=True)
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}:{_mark(exc)}invalid YAML: {_problem(exc)}") from None
    except RecursionError:
        raise InputError(f"{path}: YAML nested too deeply") from None
    index = LineIndex(text)
    entries: list[Entry] = []
    for doc in documents:
        if doc is not None:
            entries.extend(_entries(doc, text, index, options))
    parsed = collect(path, entries, len(text))
    if not parsed.segments:
        parsed.quiet = not any(doc is not None and has_prose(doc, _is_map, _is_list, _str_of) for doc in documents)
    return parsed


def _is_map(node: Any) -> bool:
    return isinstance(node, yaml.MappingNode)


def _is_list(node: Any) -> bool:
    return isinstance(node, yaml.SequenceNode)


def _str_of(node: Any) -> Optional[str]:
    return node.value if _is_text(node) else None


def _mark(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f"{mark.line + 1}:{mark.column + 1}: " if mark is not None else " "


def _problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    return " ".join(str(problem).split())


def _is_text(node: Any) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _STR


def _get(node: yaml.MappingNode, key: str) -> Optional[yaml.Node]:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _entries(doc: yaml.Node, raw: str, index: LineIndex, options: ReadOptions) -> list[Entry]:
    exact = options.text_field is not None

    def text_of(node: Any) -> Optional[yaml.ScalarNode]:
        texts: dict[str, yaml.ScalarNode] = {}
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and _is_text(v):
                texts.setdefault(k.value, v)  # a repeated key: the first, as before
        key = text_key(texts, options.text_fields, exact)
        return None if key is None else texts[key]

    def is_map(node: Any) -> bool:
        return isinstance(node, yaml.MappingNode)

    def is_list(node: Any) -> bool:
        return isinstance(node, yaml.SequenceNode)

    out = []
    for label, node in candidates(doc, is_map, is_list, lambda n: text_of(n) is not None, _str_of):
        scalar = node if _is_text(node) else text_of(node) if is_map(node) else None
        if scalar is None:
            continue
        line, col = index.position(scalar.start_mark.index)
        e = Entry(scalar.value, align(scalar, raw), f"{line}:{col}", label)
        if is_map(node):
            e.kind, e.platform = _plain(_get(node, "kind")), _plain(_get(node, "platform"))
            ignore = _get(node, options.ignore_field)
            if ignore is not None:
                e.ignore = _plain(ignore)
                e.ignore_span = (ignore.start_mark.index, ignore.end_mark.index)
        out.append(e)
    return out


def _plain(node: Optional[yaml.Node]) -> Any:
    """A scalar's text, a sequence of scalars as a list; anything else as the node (rejected later)."""
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else yaml.safe_load(node.value) if node.value else None
    if isinstance(node, yaml.SequenceNode) and all(isinstance(x, yaml.ScalarNode) for x in node.value):
        return [x.value for x in node.value]
    return {"mapping": True}


def align(node: yaml.ScalarNode, raw: str) -> list[int]:
    """File offsets of the scalar's characters, and of its end.

    Block scalars drop indentation, folding turns line breaks into spaces, escapes shrink: the
    value is never longer than its source, so each character is matched to the next equal source
    character within the slack left, or else to the next source character."""
    value = node.value
    start, stop = node.start_mark.index, node.end_mark.index
    if node.style in ("|", ">"):
        nl = raw.find("\n", start, stop)
        start = nl + 1 if nl != -1 else start
    elif node.style in ("'", '"'):
        start += 1
    out = []
    p = start
    total = stop - start
    for i, ch in enumerate(value):
        slack = max((stop - p) - (len(value) - i), 0)
        q = raw.find(ch, p, p + slack + 1)
        if q == -1 or q >= stop:
            q = min(p, max(stop - 1, start))
        out.append(q)
        p = q + 1
    out.append(min(p, start + total) if value else start)
    return out
