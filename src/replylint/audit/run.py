"""A whole export audited: read, audit each conversation, write the outputs, one session at a time."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional, TextIO

from .. import Config
from .auditor import Auditor
from .outputs import FindingsWriter, SessionsWriter, Summary, open_output
from .progress import AuditProgress
from .readers import Records, conversations
from .report import render
from .schema import load_mapping
from .scoring import load_scoring


@dataclass
class AuditResult:
    summary: Summary
    findings: int
    warnings: list[str]


def rule_table(auditor: Auditor) -> dict[str, dict]:
    """Each rule's severity, points and summary, for the report."""
    table = {}
    for rule in auditor.message_rules:
        sev = auditor.scoring.severity(rule.id, rule.severity)
        table[rule.id] = {"severity": sev, "points": auditor.scoring.points_for(rule.id, sev), "summary": rule.summary}
    for conv in auditor.rules:
        table[conv.id] = {"severity": conv.severity, "points": conv.points, "summary": conv.summary}
    return table


def audit_export(
    path: str,
    *,
    mapping: Optional[str] = None,
    input_format: Optional[str] = None,
    encoding: str = "utf-8-sig",
    config: Optional[Config] = None,
    platform: Optional[str] = None,
    settings: Optional[Path] = None,
    rule_paths: Iterable[Path] = (),
    findings_path: Optional[str] = None,
    sessions_path: Optional[str] = None,
    html_path: Optional[str] = None,
    progress: Optional[TextIO] = None,
    warn: Optional[Callable[[str], None]] = None,
) -> AuditResult:
    """Audit the export at ``path`` (``-``: stdin) and write the outputs asked for."""
    the_mapping = load_mapping(mapping)
    scoring = load_scoring(settings)
    auditor = Auditor(config, platform=platform, scoring=scoring, rule_paths=rule_paths,
                      settings_path=str(settings) if settings else "settings")
    records = Records(path, input_format, encoding)
    summary = Summary()
    warnings: list[str] = []

    def note(message: str) -> None:
        warnings.append(message)
        if warn is not None:
            warn(message)

    counted = {"messages": 0}

    def seen(message) -> None:
        counted["messages"] += 1
        if message.internal:
            summary.internal_skipped += 1

    bar = AuditProgress(progress, records.size)
    with contextlib.ExitStack() as stack:
        f_out = open_output(findings_path)
        s_out = open_output(sessions_path, newline="")
        h_out = open_output(html_path)  # opened now: a path that cannot be written fails before the work
        for stream in (f_out, s_out, h_out):
            if stream is not None and stream.name != "<stdout>":
                stack.enter_context(stream)
        fw = FindingsWriter(f_out) if f_out is not None else None
        sw = SessionsWriter(s_out) if s_out is not None else None
        stack.callback(bar.close)
        for conversation in conversations(records, the_mapping, on_message=seen, warn=note):
            session = auditor.audit(conversation)
            summary.add(session)
            if fw is not None:
                fw.add(session)
            if sw is not None:
                sw.add(session)
            bar.update(records.bytes_read, counted["messages"], summary.conversations)
        if h_out is not None:
            h_out.write(render(summary, rule_table(auditor), source=Path(path).name if path != "-" else "stdin"))
    return AuditResult(summary, summary.findings, warnings)
