"""Confusables: a word list whose fixes correct a typo (在次 → 再次, 帐户 → 账户, recieve → receive).

Two things set it apart from ``wordlist``. Drafts are folded to simplified characters before matching,
so 帐户 (a typo in simplified text) and 帳戶 (correct traditional) look alike; an entry marked
``as-written`` matches only when the draft spells the word exactly as the rule does. And a fix is
written in the draft's own characters where it does not change them: 做為 becomes 作為 in a
traditional draft, not the simplified 作为.
"""
from __future__ import annotations

from typing import Iterator

from ...text.draft import Draft
from ..context import fold
from ..schema import Field
from .base import Finding
from .wordlist import ENTRY_FIELDS, WordList


class Confusable(WordList):
    """A ``wordlist`` of typos and their corrections, matched and fixed script-aware."""

    name = "confusable"
    fields = {
        **WordList.fields,
        "entries": Field(
            "list[table]",
            required=True,
            items={
                **ENTRY_FIELDS,
                "as-written": Field(
                    "bool",
                    doc="match only when the draft writes the word exactly as here, not a traditional form folded to it (帐户 is a typo, 帳戶 is not)",
                ),
            },
            doc="groups of typos sharing a correction (fix) and context",
        ),
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        self.as_written = {fold(w): w for raw in params["entries"] if raw.get("as-written") for w in self.expand(raw["words"])}

    def find(self, draft: Draft) -> Iterator[Finding]:
        for f in super().find(draft):
            folded = draft.view.text[f.start : f.end]
            start, end = draft.original(f.start, f.end)
            written = draft.text[start:end]
            if folded in self.as_written and written != self.as_written[folded]:
                continue
            if f.fix is not None and len(f.fix) == len(folded) == len(written):
                # Keep the draft's own character wherever the fix leaves the folded one as it is.
                fix = "".join(w if c == v else c for c, v, w in zip(f.fix, folded, written))
                f = Finding(f.start, f.end, f.suggestions, fix, f.safe, f.message, f.values)
            yield Finding(f.start, f.end, f.suggestions or ((f.fix,) if f.fix else ()), f.fix, f.safe, f.message, {**f.values, "fix": f.fix or ""})
