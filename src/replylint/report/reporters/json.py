"""JSON: one versioned object an agent, a script or CI can act on — the findings *and* what could
not be checked, so a run that failed never parses as clean. Shape: docs/schema/replylint-check.schema.json."""
from __future__ import annotations

import json
from typing import Any, Sequence

from ...app.run import FileResult
from ..diagnostic import SEVERITIES, LintError
from .sarif import _version

FORMAT_VERSION = 1
"""Bumped only when a field is removed or changes meaning; new fields may appear within a version."""


def _name(path: str) -> str:
    return "<stdin>" if path == "-" else path


def report_object(results: Sequence[FileResult], errors: Sequence[LintError] = ()) -> dict[str, Any]:
    """The report as a dict: ``diagnostics`` (every field always present), ``errors``, ``summary``."""
    diagnostics = []
    for r in results:
        for d in r.diagnostics:
            item = d.to_dict()
            item["path"] = _name(r.path)
            diagnostics.append(item)
    errs = [dict(e.to_dict(), path=_name(e.path)) for e in errors]
    by_severity = {s: sum(d["severity"] == s for d in diagnostics) for s in SEVERITIES}
    return {
        "version": FORMAT_VERSION,
        "tool": {"name": "replylint", "version": _version()},
        "diagnostics": diagnostics,
        "errors": errs,
        "summary": {
            "files": len(results) + sum(1 for e in errors if e.rule is None),
            "files_with_diagnostics": len({r.path for r in results if r.diagnostics}),
            "diagnostics": len(diagnostics),
            "by_severity": by_severity,
            "fixable": sum(1 for d in diagnostics if d["fix"] is not None and d["fix"]["safe"]),
            "errors": len(errs),
        },
    }


def report_json(results: Sequence[FileResult], errors: Sequence[LintError] = (), **_: Any) -> str:
    return json.dumps(report_object(results, errors), ensure_ascii=False, indent=2) + "\n"
