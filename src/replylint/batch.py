"""`replylint.batch`: audit a pandas (or Dask) frame of chat messages; see replylint.audit.batch
and docs/audit.md (the PySpark recipe)."""
from __future__ import annotations

from .audit.batch import COLUMNS, audit_dask, audit_frame, counts, empty_findings, warm_auditor

__all__ = ["COLUMNS", "audit_dask", "audit_frame", "counts", "empty_findings", "warm_auditor"]
