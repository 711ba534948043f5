"""Something that must stand at the start or the end of a draft: a greeting, a sign-off."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterator, NamedTuple, Sequence

import regex

from ...errors import RuleFileError
from ...matching.pattern import RulePattern
from ...text.draft import Draft
from ..schema import Field
from .base import Finding, RuleKind

_LINES = "structure:lines"  # a draft's non-empty lines, in ``Draft.derived``


class _Line(NamedTuple):
    """A non-empty line of a draft, stripped, with its span (a tuple: made for every line of every
    e-mail, where a frozen dataclass's setattr per field was most of splitting one)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Element:
    pattern: RulePattern
    lines: int
    then: tuple[RulePattern, ...]


class Structure(RuleKind):
    """A finding when none of the first (or last) few non-empty lines holds the element.

    Patterns match the folded text of one line; a template placeholder reads as U+E000
    (write it ``\\uE000`` in a pattern), so ``{{name}}:`` can count as a salutation.
    Lines matching ``skip`` (a subject line, a phone line under the signature) are not counted;
    at the end, a ``trailer`` line (P.S., a disclaimer) and what follows it are looked past.
    A pattern with ``then`` counts only when every line between it and the edge of the draft
    matches one of those: a closing followed by nothing but signature lines.
    """

    name = "structure"
    fields = {
        "position": Field("str", required=True, choices=("start", "end"), doc="where the element belongs"),
        "lines": Field("int", min=1, max=1000, doc="how many non-empty lines at that end are searched (default 3)"),
        "patterns": Field(
            "list[str|table]",
            required=True,
            items={
                "pattern": Field("str", required=True, doc="a regular expression (or @set) matched against one line"),
                "lines": Field("int", min=1, max=1000, doc="this pattern's own number of lines"),
                "then": Field("list[str]", doc="patterns (or @set) every line between the match and the edge must match"),
            },
            doc="regular expressions or @set (or tables with pattern, lines, then); one match is enough",
        ),
        "skip": Field("list[str]", doc="patterns (or @set) of lines that are not counted: headers, contact lines"),
        "trailer": Field("list[str]", doc="patterns (or @set) of a line that starts a postscript or notice after the element"),
        "min-lines": Field("int", min=0, max=100_000, doc="drafts with fewer non-empty lines are not checked (default 1)"),
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        self.position = params["position"]
        self.lines = params.get("lines", 3)
        self.min_lines = params.get("min-lines", 1)
        self.skip = self._compile_all(params.get("skip", ()), "skip")
        self.trailer = self._compile_all(params.get("trailer", ()), "trailer")
        self.elements: list[_Element] = []
        for i, raw in enumerate(params["patterns"]):
            raw = {"pattern": raw} if isinstance(raw, str) else raw
            then = self._compile_all(raw.get("then", ()), f"patterns[{i}].then")
            for pattern in self._compile_all([raw["pattern"]], f"patterns[{i}]"):
                self.elements.append(_Element(pattern, raw.get("lines", self.lines), then))

    def _compile_all(self, sources: Sequence[str], where: str) -> tuple[RulePattern, ...]:
        for source in sources:
            if regex.fullmatch(r"@[\w\-]+", source) and source[1:] not in self.rule.sets:
                raise RuleFileError(f"{self.rule.path}: {where}: unknown set {source!r} (define it under [sets])")
        return tuple(
            RulePattern(s, f"{self.rule.path}: {where}[{i}]", scanning=False) for i, s in enumerate(self.expand(sources))
        )

    def rule_patterns(self) -> list[RulePattern]:
        """Every line pattern: one the draft's view lacks the factors of matches none of its lines."""
        return [*self.skip, *self.trailer, *(p for e in self.elements for p in (e.pattern, *e.then))]

    def find(self, draft: Draft) -> Iterator[Finding]:
        # One split per draft, shared by every structure rule (the greeting's and the sign-off's).
        lines = draft.derived.get(_LINES)
        if lines is None:
            lines = draft.derived[_LINES] = _lines(draft.view.text)
        if not lines or len(lines) < self.min_lines:
            return
        # The one pass rules out a pattern none of whose strings the draft holds: it is left out
        # here, once per draft, rather than asked about at every line. A line's own characters
        # are not collected for a pre-check: that cost more than the searches it saved.
        skip, trailer = _present(self.skip, draft), _present(self.trailer, draft)
        elements = [(e, _present(e.then, draft)) for e in self.elements if not e.pattern.absent(draft)]
        edge = 0 if self.position == "start" else -1
        if self.position == "start" or not trailer:
            # No trailer to look past: only the lines nearest the edge are read, so only those
            # are asked whether they are skipped (an e-mail's other lines are not).
            nearest = self._nearest_kept(lines, skip)
            if not self._holds(nearest, elements):
                line = nearest[0] if nearest else lines[edge]
                yield Finding(line.start, line.end, self.rule.suggest)
            return
        kept = [line for line in lines if not self._any(skip, line)]
        candidates = [kept]
        first = next((i for i, line in enumerate(kept) if i and self._any(trailer, line)), None)
        if first is not None:
            candidates = [kept[:first], [line for line in kept if not self._any(trailer, line)]]
        if any(self._holds(c[::-1], elements) for c in candidates):
            return
        line = (candidates[0] or lines)[-1]
        yield Finding(line.start, line.end, self.rule.suggest)

    @functools.cached_property
    def _reach(self) -> int:
        """How many lines from the edge any element is looked for in."""
        return max(e.lines for e in self.elements)

    def _nearest_kept(self, lines: list[_Line], skip: Sequence[RulePattern]) -> list[_Line]:
        """The lines that are not skipped, nearest the edge first, as many as an element reads."""
        out: list[_Line] = []
        for line in lines if self.position == "start" else reversed(lines):
            if not self._any(skip, line):
                out.append(line)
                if len(out) == self._reach:
                    break
        return out

    def _holds(self, ordered: list[_Line], elements: list[tuple[_Element, list[RulePattern]]]) -> bool:
        """Whether some element stands within its window of ``ordered`` (lines from the edge in)."""
        for element, then in elements:
            for i, line in enumerate(ordered[: element.lines]):
                if not element.pattern.search(line.text, self.timeout, self.rule.id):
                    continue
                if not element.then or all(self._any(then, other) for other in ordered[:i]):
                    return True
        return False

    def _any(self, patterns: Sequence[RulePattern], line: _Line) -> bool:
        return any(p.search(line.text, self.timeout, self.rule.id) for p in patterns)


def _present(patterns: Sequence[RulePattern], draft: Draft) -> list[RulePattern]:
    """``patterns`` but those the linter's one pass found the draft lacks the strings of."""
    return [p for p in patterns if not p.absent(draft)]


def _lines(text: str) -> list[_Line]:
    """The non-empty lines of ``text``, stripped, with their spans."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + len(raw) - len(raw.lstrip())
            out.append(_Line(start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return out
