"""`replylint audit`: a quality audit (质检) of whole customer-service conversations.

Modules, one job each: ``schema`` (input mappings, ``mappings.toml``), ``readers`` (streaming
JSONL/CSV, conversations), ``conversation`` (the model), ``rules`` (the ``conversation`` rule kind),
``scoring`` (``scoring.toml``), ``auditor`` (one conversation audited), ``outputs`` (findings JSONL,
sessions CSV, HTML report), ``run`` (a whole export), ``batch`` (pandas/Dask), ``synthetic``
(a generated export for tests and benchmarks). See docs/audit.md."""
from __future__ import annotations

from .auditor import Auditor, Finding, Session
from .conversation import Conversation, Message

__all__ = ["Auditor", "Conversation", "Finding", "Message", "Session"]
