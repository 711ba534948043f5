"""What the editor shows for replylint's findings: LSP diagnostics, quick fixes and hovers."""
from __future__ import annotations

from typing import Optional, Sequence

from lsprotocol import types

from ...report.diagnostic import Diagnostic
from ...rules.file import Rule
from ..explain import explain_rule
from .positions import PositionMap

SOURCE = "replylint"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def lsp_range(pmap: PositionMap, start: int, end: int) -> types.Range:
    (sl, sc), (el, ec) = pmap.position(start), pmap.position(end)
    return types.Range(start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec))


def to_lsp(d: Diagnostic, pmap: PositionMap) -> types.Diagnostic:
    """One finding as the editor shows it: the rule id as ``code``, ``source`` = replylint."""
    return types.Diagnostic(
        range=lsp_range(pmap, d.start, d.end),
        message=d.message,
        severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Warning),
        code=d.rule,
        source=SOURCE,
    )


def _overlaps(d: Diagnostic, start: int, end: int) -> bool:
    # An empty request range (a cursor) touching either end of the finding counts.
    return d.start <= end and start <= d.end


def code_actions(
    uri: str,
    pmap: PositionMap,
    diagnostics: Sequence[Diagnostic],
    rules: dict[str, Rule],
    start: int,
    end: int,
) -> list[types.CodeAction]:
    """Quick fixes for the findings touching ``[start, end]``: the rule's fix (preferred when it is
    safe), then its suggestions as replacements; for a missing greeting or sign-off, the suggestion
    inserted where the element belongs."""
    actions: list[types.CodeAction] = []
    escaped = uri.lower().endswith(_ESCAPED_FORMATS)
    for d in diagnostics:
        if not _overlaps(d, start, end):
            continue
        lsp_diag = to_lsp(d, pmap)
        seen: set[str] = set()

        def add(title: str, edit_start: int, edit_end: int, new_text: str, preferred: bool = False) -> None:
            if title in seen or (escaped and not _safe_in_quotes(pmap.text[edit_start:edit_end], new_text)):
                return
            seen.add(title)
            edit = types.TextEdit(range=lsp_range(pmap, edit_start, edit_end), new_text=new_text)
            actions.append(types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[lsp_diag],
                is_preferred=preferred or None,
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
            ))

        if d.fix is not None:
            add(_replace_title(d.fix.replacement), d.fix.start, d.fix.end, d.fix.replacement, d.fix.safe)
        rule = rules.get(d.rule)
        position = rule.params.get("position") if rule is not None and rule.kind == "structure" else None
        for s in d.suggestions:
            if position == "start":
                at = pmap.text.rfind("\n", 0, d.start) + 1
                add(f"Insert “{_short(s)}” at the start", at, at, s + "\n")
            elif position == "end":
                add(f"Append “{_short(s)}”", d.end, d.end, "\n" + s)
            else:
                replacement = _replacement(s)
                if replacement is not None:
                    add(_replace_title(replacement), d.start, d.end, replacement)
    return actions


# Formats that quote or escape a draft's text: an edit must not need (or cut through) an escape.
_ESCAPED_FORMATS = (".json", ".jsonl", ".yaml", ".yml", ".csv")


def _safe_in_quotes(old: str, new: str) -> bool:
    return "\\" not in old and not any(c in new for c in "\"'\\,\n\r\t")


def _replacement(suggestion: str) -> Optional[str]:
    """A suggestion usable as replacement text: a word or phrase, or a phrase that ends in "…"
    (请您… replaces 你必须); not a multi-line block or a sentence pattern with a gap inside."""
    text = suggestion.rstrip("…").rstrip(".").rstrip()
    if not text or "…" in text or "\n" in text:
        return None
    return text


def _short(text: str) -> str:
    one_line = text.replace("\n", " ⏎ ")
    return one_line if len(one_line) <= 40 else one_line[:39] + "…"


def _replace_title(replacement: str) -> str:
    return f"Replace with “{_short(replacement)}”" if replacement else "Remove it"


def hover(
    pmap: PositionMap,
    diagnostics: Sequence[Diagnostic],
    rules: dict[str, Rule],
    offset: int,
    markdown: bool = True,
) -> Optional[types.Hover]:
    """The documentation of the rule whose finding is under the cursor, after the finding's message."""
    for d in diagnostics:
        rule = rules.get(d.rule)
        if rule is None or not d.start <= offset <= d.end:
            continue
        doc = explain_rule(rule)
        if markdown:
            value = f"**{SOURCE}: {d.rule}** ({d.severity})\n\n{d.message}\n\n```text\n{doc}\n```"
            kind = types.MarkupKind.Markdown
        else:
            value = f"{SOURCE}: {d.rule} ({d.severity})\n{d.message}\n\n{doc}"
            kind = types.MarkupKind.PlainText
        return types.Hover(contents=types.MarkupContent(kind=kind, value=value), range=lsp_range(pmap, d.start, d.end))
    return None
