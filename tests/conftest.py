from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from replylint.app.cli import main

ROOT = Path(__file__).resolve().parents[1]


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run the CLI in-process from a clean folder (no config above it is picked up)."""
    monkeypatch.chdir(tmp_path)

    def _run(*args: str, input: str | bytes | None = None) -> Result:
        # click < 8.2 (the last for Python 3.9) mixes stderr into stdout unless told not to.
        runner = CliRunner(mix_stderr=False) if "mix_stderr" in inspect.signature(CliRunner).parameters else CliRunner()
        r = runner.invoke(main, list(args), input=input, catch_exceptions=False)
        return Result(r.exit_code, r.stdout, r.stderr)

    return _run


@pytest.fixture
def run_process(tmp_path):
    """Run the real `replylint` entry point in a subprocess (for tracebacks, stdin, exit codes)."""

    def _run(*args: str, input: str | bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
        data = input.encode("utf-8") if isinstance(input, str) else input
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        return subprocess.run(
            [sys.executable, "-m", "replylint", *args],
            input=data,
            capture_output=True,
            cwd=cwd or tmp_path,
            env=env,
            timeout=120,
        )

    return _run
