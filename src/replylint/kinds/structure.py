"""Something that must stand at the start or the end of a draft: a greeting, a sign-off."""
from __future__ import annotations

from typing import Iterator

import regex

from ..draft import Draft
from ..errors import RuleFileError
from ..schema import Field
from .base import Finding, RuleKind


class Structure(RuleKind):
    """A finding when none of the first (or last) few non-empty lines matches any pattern.

    Patterns match the folded text of one line; a template placeholder reads as U+E000
    (write it ``\\uE000`` in a pattern), so ``{{name}}:`` can count as a salutation.
    """

    name = "structure"
    fields = {
        "position": Field("str", required=True, choices=("start", "end"), doc="where the element belongs"),
        "lines": Field("int", doc="how many non-empty lines at that end are searched (default 3)"),
        "patterns": Field(
            "list[str|table]",
            required=True,
            items={"pattern": Field("str", required=True), "lines": Field("int", doc="this pattern's own number of lines")},
            doc="regular expressions (or tables with pattern and lines); one match is enough",
        ),
        "min-lines": Field("int", doc="drafts with fewer non-empty lines are not checked (default 1)"),
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        self.position = params["position"]
        self.lines = params.get("lines", 3)
        self.min_lines = params.get("min-lines", 1)
        self.patterns = []
        for i, raw in enumerate(params["patterns"]):
            raw = {"pattern": raw} if isinstance(raw, str) else raw
            try:
                compiled = regex.compile(raw["pattern"], regex.VERSION1 | regex.IGNORECASE)
            except (regex.error, ValueError) as exc:
                raise RuleFileError(f"{rule.path}: patterns[{i}]: invalid regular expression: {exc}") from None
            self.patterns.append((compiled, raw.get("lines", self.lines)))

    def check(self, draft: Draft) -> Iterator[Finding]:
        lines = []
        pos = 0
        for raw in draft.view.text.split("\n"):
            if raw.strip():
                lead = len(raw) - len(raw.lstrip())
                lines.append((pos + lead, pos + len(raw.rstrip()), raw.strip()))
            pos += len(raw) + 1
        if len(lines) < self.min_lines:
            return
        for pattern, n in self.patterns:
            window = lines[:n] if self.position == "start" else lines[-n:]
            if any(pattern.search(text, timeout=1.0) for _, _, text in window):
                return
        start, end, _ = lines[0] if self.position == "start" else lines[-1]
        yield Finding(start, end, self.rule.suggest)
