"""`replylint audit`: a quality audit (质检) of whole customer-service conversations.

Modules, one job each: ``schema`` (input mappings, ``mappings.toml``), ``readers`` (streaming
JSONL/CSV, conversations), ``conversation`` (the model), ``rules`` (the ``conversation`` rule kind),
``scoring`` (``scoring.toml``), ``auditor`` (one conversation audited), ``outputs`` (findings JSONL,
sessions CSV, HTML report), ``run`` (a whole export), ``batch`` (pandas/Dask), ``synthetic``
(a generated export for tests and benchmarks). See docs/audit.md."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .auditor import Auditor, Finding, Session
    from .conversation import Conversation, Message

__all__ = ["Auditor", "Conversation", "Finding", "Message", "Session"]
_HOMES = {"Auditor": "auditor", "Finding": "auditor", "Session": "auditor", "Conversation": "conversation", "Message": "conversation"}


def __getattr__(name: str) -> Any:
    """The audit's classes, imported when first asked for: ``replylint check`` registers the
    audit command (``audit.command``), which must not load the audit itself."""
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
