"""SARIF 2.1.0, the format GitHub code scanning (and other dashboards) upload: the rules that ran,
each finding with its place, and the safe fixes as replacements.

Columns count Unicode code points, as everywhere in replylint, so the run says
``columnKind: unicodeCodePoints`` (SARIF's default would be UTF-16 code units). Regions are
end-exclusive, as SARIF defines them.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from importlib import metadata
from typing import Any, Optional, Sequence

from ...app.run import FileResult
from ...rules.file import Rule
from ...text.positions import LineIndex
from ..diagnostic import Diagnostic, LintError
from .paths import artifact_uri

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/replylint/"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "replylint/v1"



def _version() -> str:
    try:
        return metadata.version("replylint")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def _help(rule: Rule) -> dict[str, str]:
    bad = [e.text.replace("\n", " ⏎ ") for e in rule.bad]
    good = [e.text.replace("\n", " ⏎ ") for e in rule.good]
    text = [rule.rationale, "", "Catches, for example:", *[f"  ✗ {t}" for t in bad],
            "", "Leaves alone, for example:", *[f"  ✓ {t}" for t in good]]
    md = [rule.rationale, "", "**Catches, for example**", "", *[f"- ✗ `{t}`" for t in bad],
          "", "**Leaves alone, for example**", "", *[f"- ✓ `{t}`" for t in good]]
    if rule.suggest:
        text += ["", "Say instead:", *[f"  → {s}" for s in rule.suggest]]
        md += ["", "**Say instead**", "", *[f"- {s}" for s in rule.suggest]]
    md += ["", f"Norm: {rule.norm}"]
    text += ["", f"Norm: {rule.norm}"]
    return {"text": "\n".join(text), "markdown": "\n".join(md)}


def _docs_uri() -> str:
    """The package's ``Documentation`` project URL (the docs folder), else the project page."""
    try:
        for entry in metadata.metadata("replylint").get_all("Project-URL") or ():
            label, _, url = entry.partition(",")
            if label.strip().lower() == "documentation":
                return url.strip().rstrip("/") + "/rules.md"
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        pass
    return INFORMATION_URI


def help_uri(rule_id: str) -> str:
    """Where a rule is documented: its anchor (``#rule-id``) in docs/rules.md once the package
    names its Documentation URL, else on the project page; `replylint explain RULE` prints the same."""
    return f"{_docs_uri()}#{rule_id}"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A reportingDescriptor: what GitHub shows at the top of an alert and in its help pane."""
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": _help(rule),
        "helpUri": help_uri(rule.id),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["customer-service", rule.kind], "precision": "high"},
    }


def _region(index: LineIndex, start: int, end: int) -> dict[str, int]:
    line, column = index.position(start)
    end_line, end_column = index.position(end)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _fingerprint(rule: str, uri: str, line_text: str, matched: str, nth: int) -> str:
    """Stable when lines move: the rule, file, the line's text and which occurrence it is."""
    key = "\0".join((rule, uri, line_text.strip(), matched, str(nth)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(d: Diagnostic, rule_index: int, uri: str, index: LineIndex, nth: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": {"startLine": d.line, "startColumn": d.column,
                           "endLine": d.end_line, "endColumn": d.end_column},
            }
        }],
        "partialFingerprints": {
            FINGERPRINT: _fingerprint(d.rule, uri, index.line_text(d.line), index.text[d.start:d.end], nth),
        },
    }
    if d.suggestions:
        result["properties"] = {"suggestions": list(d.suggestions)}
    if d.fix is not None and d.fix.safe:
        result["fixes"] = [{
            "description": {"text": f"Replace with “{d.fix.replacement}”"},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri},
                "replacements": [{
                    "deletedRegion": _region(index, d.fix.start, d.fix.end),
                    "insertedContent": {"text": d.fix.replacement},
                }],
            }],
        }]
    return result


def _notification(e: LintError, uri: Optional[str]) -> dict[str, Any]:
    """A toolExecutionNotification: a file (or one rule on it) that could not be checked."""
    out: dict[str, Any] = {"level": "error", "message": {"text": e.message}}
    if uri is not None:
        out["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]
    if e.rule is not None:
        out["associatedRule"] = {"id": e.rule}
    out["descriptor"] = {"id": "rule-stopped" if e.rule is not None else "file-unreadable"}
    return out


def build_sarif(results: Sequence[FileResult], rules: Sequence[Rule] = (),
                errors: Sequence[LintError] = ()) -> dict[str, Any]:
    """The SARIF log as a dict; ``rules`` are the rules that ran (listed even without findings);
    ``errors`` become the invocation's notifications, and the run is then not successful."""
    descriptors = [rule_descriptor(r) for r in rules]
    positions = {r.id: i for i, r in enumerate(rules)}
    sarif_results: list[dict[str, Any]] = []
    for r in results:
        if not r.diagnostics:
            continue
        uri = artifact_uri(r.path)
        index = LineIndex(r.source.text)
        seen: Counter[tuple[str, str, str]] = Counter()
        for d in r.diagnostics:
            if d.rule not in positions:
                positions[d.rule] = len(descriptors)
                descriptors.append({"id": d.rule})
            key = (d.rule, index.line_text(d.line).strip(), index.text[d.start:d.end])
            sarif_results.append(_result(d, positions[d.rule], uri, index, seen[key]))
            seen[key] += 1
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "replylint",
                "version": _version(),
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }},
            "invocations": [{
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [_notification(e, artifact_uri(e.path)) for e in errors],
            }],
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }


def report_sarif(results: Sequence[FileResult], rules: Optional[Sequence[Rule]] = None,
                 errors: Sequence[LintError] = (), **_: Any) -> str:
    return json.dumps(build_sarif(results, rules or (), errors), ensure_ascii=False, indent=2) + "\n"
