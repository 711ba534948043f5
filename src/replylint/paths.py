"""Where the package's own files are: beside its modules, as a wheel installs them.

``importlib.resources`` would find them too, but importing it (and the ``tempfile`` it brings)
cost every start 8 ms, about 3 % of a cold ``check``; every caller wanted a real folder anyway.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
"""The ``replylint`` package folder."""

DATA = PACKAGE / "data"
"""Its data files: the script table, common characters, config file names, rule families."""
