"""JSON: a list of findings an agent or a script can act on."""
from __future__ import annotations

import json
from typing import Any, Sequence

from ...app.run import FileResult


def report_json(results: Sequence[FileResult], **_: Any) -> str:
    items = []
    for r in results:
        for d in r.diagnostics:
            item = d.to_dict()
            item["path"] = "<stdin>" if r.path == "-" else r.path
            items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
