"""Scale-out: a pandas frame of messages in (the common schema), a frame of findings out.

One warm Auditor (its Linter and conversation rules compiled once) per worker thread, reused for
every frame that thread is given: a Dask worker or a Spark executor pays the start-up once. A
message whose lint times out, or a conversation that cannot be audited, becomes a row with
``source`` "timeout" or "error" — counted, never a crashed task. Partitions must hold whole
conversations (shuffle or repartition on conversation_id first; see docs/audit.md)."""
from __future__ import annotations

import math
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional

from .. import Config, ReplylintError
from .auditor import Auditor
from .conversation import Conversation
from .schema import load_mapping
from .scoring import load_scoring

COLUMNS = ["conversation", "message", "agent", "role", "rule", "source", "severity", "points", "start", "end",
           "match", "echo", "ts", "day", "note", "score"]
_local = threading.local()


def empty_findings():
    """The findings frame with no rows (Dask's ``meta``, Spark's schema)."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "object")) for c in COLUMNS})


_DTYPES = {"points": "float64", "start": "Int64", "end": "Int64", "echo": "bool", "score": "float64"}


def warm_auditor(platform: Optional[str] = None, config: Optional[Config] = None,
                 settings: Optional[str] = None, timeout: Optional[float] = None) -> Auditor:
    """This thread's Auditor for these settings, built on first use and kept."""
    key = repr((platform, config, settings, timeout))
    cache = getattr(_local, "auditors", None)
    if cache is None:
        cache = _local.auditors = {}
    auditor = cache.get(key)
    if auditor is None:
        cfg = config or Config()
        if timeout is not None:
            cfg = replace(cfg, timeout=timeout)
        auditor = cache[key] = Auditor(cfg, platform=platform, scoring=load_scoring(Path(settings) if settings else None))
    return auditor


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, (str, bytes, list, dict)) and pd.isna(value) is True):
            return None
    except (ImportError, TypeError, ValueError):
        pass
    return value


def audit_frame(frame, platform: Optional[str] = None, config: Optional[Config] = None,
                settings: Optional[str] = None, timeout: Optional[float] = None, mapping: Optional[str] = None):
    """Findings for a frame of messages (columns of the common schema, or of ``mapping``).

    Rows of a conversation stay in frame order, sorted by ts when every one has it; conversations
    are audited in the order they first appear."""
    import pandas as pd

    auditor = warm_auditor(platform, config, settings, timeout)
    the_mapping = load_mapping(mapping)
    rows: list[dict[str, Any]] = []
    groups: dict[str, Conversation] = {}
    broken: list[dict[str, Any]] = []
    for n, record in enumerate(frame.to_dict("records"), 1):
        record = {k: _clean(v) for k, v in record.items()}
        try:
            m = the_mapping.message(record, n, "frame")
        except ReplylintError as exc:
            broken.append(_row(conversation=str(record.get("conversation_id", "")), message=str(record.get("message_id", "")),
                               source="error", note=str(exc)))
            continue
        if m.internal:
            continue
        groups.setdefault(m.conversation_id, Conversation(m.conversation_id)).messages.append(m)
    for conversation in groups.values():
        times = [m.ts for m in conversation.messages]
        if all(t is not None for t in times):
            order = sorted(range(len(times)), key=lambda i: times[i])  # type: ignore[arg-type,return-value]
            conversation.messages = [conversation.messages[i] for i in order]  # stable: equal times keep frame order
        try:
            session = auditor.audit(conversation)
        except Exception as exc:  # one conversation's failure is a row, not a crashed task
            rows.append(_row(conversation=conversation.id, source="error", note=f"{type(exc).__name__}: {exc}"))
            continue
        for f in session.findings:
            d = f.to_dict()
            span = d.pop("span")
            d["start"], d["end"] = (span if span else (None, None))
            d["score"] = session.score
            rows.append(d)
        for message_id in session.timeouts:
            rows.append(_row(conversation=conversation.id, message=message_id, source="timeout", score=session.score,
                             note="a rule's pattern ran out of time on this message; it was not linted"))
    rows.extend(broken)
    if not rows:
        return empty_findings()
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({c: t for c, t in _DTYPES.items()})


def _row(**values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {c: None for c in COLUMNS}
    row.update(rule="", role="", agent="", severity="", points=0.0, echo=False, match="", ts="", day="")
    row.update(values)
    return row


def audit_dask(ddf, platform: Optional[str] = None, config: Optional[Config] = None,
               settings: Optional[str] = None, timeout: Optional[float] = None, mapping: Optional[str] = None):
    """A Dask frame of findings: ``audit_frame`` on each partition (each worker keeps its warm Auditor)."""
    return ddf.map_partitions(audit_frame, platform=platform, config=config, settings=settings, timeout=timeout,
                              mapping=mapping, meta=empty_findings())


def counts(findings) -> dict[str, int]:
    """Findings, timeouts and errors in a findings frame."""
    source = findings["source"]
    return {"findings": int(source.isin(["message", "conversation"]).sum()),
            "timeouts": int((source == "timeout").sum()), "errors": int((source == "error").sum())}
