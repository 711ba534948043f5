"""Names that are fine or not depending on where the draft is sent: other selling platforms."""
from __future__ import annotations

from typing import Iterator

from ..context import fold
from ..draft import Draft
from ..schema import Field
from .base import Finding
from .wordlist import WordList


class Mention(WordList):
    """A word list whose entries belong to a platform; the draft's home platform's own names pass.

    With no home platform configured, every name is a finding, with the ``no-platform`` message.
    """

    name = "mention"
    fields = {
        **WordList.fields,
        "entries": Field(
            "list[table]",
            required=True,
            items={**WordList.fields["entries"].items, "platform": Field("str", required=True, doc="the platform these names belong to")},
            doc="names, grouped by the platform they belong to",
        ),
    }

    def __init__(self, rule, params) -> None:
        super().__init__(rule, params)
        self.owner: dict[str, str] = {}
        for raw in params["entries"]:
            for word in self.expand(raw["words"]):
                self.owner.setdefault(fold(word), raw["platform"].lower())

    def check(self, draft: Draft) -> Iterator[Finding]:
        home = draft.platform
        for f in super().check(draft):
            name = draft.view.text[f.start : f.end]
            owner = self.owner.get(name, "")
            if home and owner == home:
                continue
            yield Finding(
                f.start, f.end, f.suggestions, f.fix, f.safe,
                "default" if home else "no-platform",
                {"platform": owner, "home": home or ""},
            )
