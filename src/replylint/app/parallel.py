"""Linting many files: in this process, or spread over worker processes for large inputs.

Workers are forked from a process whose linter is ready (rules compiled, dictionary mapped, the
rules' words added), so nothing is loaded again per worker, let alone per file. Where fork is not
available, each worker builds its linter once from the config. Results come back in file order,
so the report is the same whatever ``jobs`` is.
"""
from __future__ import annotations

import os
from typing import Any, Iterable, Optional, TextIO

from ..engine import Linter
from ..errors import InputError, ReplylintError
from ..input.sources import Source, iter_paths
from ..report.diagnostic import LintError
from .progress import Progress
from .run import FileResult, lint_path

MIN_FILES_PER_JOB = 32
"""Below this many files per worker, starting processes costs more than it saves."""

AUTO_MIN_FILES = 500
"""Without ``--jobs``, a run of this many files or more uses one worker per CPU (where workers can
be forked from a ready linter): a pre-commit hook's handful of files never starts a process."""

_worker: Optional[tuple[Linter, Optional[str]]] = None


def available_cpus() -> int:
    """CPUs this process may run on (``--jobs 0``)."""
    try:
        return len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def lint_all(
    linter: Linter,
    paths: Iterable[str],
    kind: Optional[str] = None,
    jobs: Optional[int] = 1,
    progress: Optional[TextIO] = None,
) -> list[FileResult]:
    """Every file under ``paths``, linted with ``jobs`` processes (0: one per CPU; None: one per
    CPU for ``AUTO_MIN_FILES`` files or more where processes can be forked, else 1); a progress
    bar goes to ``progress`` when it is a terminal and the run is long."""
    files = list(iter_paths(list(paths), linter.config))
    bar = Progress.on_terminal(len(files), progress) if progress is not None else Progress(len(files), None)
    if jobs is None:
        jobs = 1
        if len(files) >= AUTO_MIN_FILES:
            import multiprocessing

            jobs = 0 if "fork" in multiprocessing.get_all_start_methods() else 1
    jobs = available_cpus() if jobs == 0 else jobs
    jobs = min(jobs, len(files) // MIN_FILES_PER_JOB)
    try:
        if jobs <= 1 or "-" in files:
            results = []
            for path in files:
                results.append(lint_or_report(linter, path, kind))
                bar.advance()
            return results
        return _in_processes(linter, files, kind, jobs, bar)
    finally:
        bar.close()


def lint_or_report(linter: Linter, path: str, kind: Optional[str]) -> FileResult:
    """One file; a file that cannot be read or linted is reported in its result, so one broken
    template does not hide the findings of every other file."""
    try:
        return lint_path(linter, path, kind)
    except InputError as exc:
        message, name = str(exc), "<stdin>" if path == "-" else path
        if not message.startswith(name):
            message = f"{name}: {message}"
        return FileResult(Source(path, ""), [], [LintError(path, message)])


def _in_processes(linter: Linter, files: list[str], kind: Optional[str], jobs: int, bar: Progress) -> list[FileResult]:
    import multiprocessing  # only large inputs pay for it

    forking = "fork" in multiprocessing.get_all_start_methods()
    if forking:
        linter.segmenter.ensure_loaded()  # once, here, rather than once per worker
    ctx = multiprocessing.get_context("fork" if forking else "spawn")
    size = max(8, min(200, -(-len(files) // (jobs * 4))))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    state: Any = linter if forking else linter.config
    results: list[FileResult] = []
    with ctx.Pool(jobs, initializer=_start_worker, initargs=(state, kind)) as pool:
        for done in pool.imap(_lint_chunk, chunks):
            if isinstance(done, _Failure):
                raise done.rebuild()
            results.extend(done)
            bar.advance(len(done))
    return results


class _Failure:
    """A user error raised in a worker, carried back as its class and message (some error
    classes take other arguments and would not unpickle)."""

    def __init__(self, exc: ReplylintError) -> None:
        self.cls = type(exc)
        self.message = str(exc)

    def rebuild(self) -> ReplylintError:
        exc = self.cls.__new__(self.cls)
        ReplylintError.__init__(exc, self.message)
        return exc


def _start_worker(state: Any, kind: Optional[str]) -> None:
    global _worker
    _worker = (state if isinstance(state, Linter) else Linter(state), kind)


def _lint_chunk(files: list[str]) -> "list[FileResult] | _Failure":
    assert _worker is not None
    linter, kind = _worker
    try:
        return [lint_or_report(linter, path, kind) for path in files]
    except ReplylintError as exc:
        return _Failure(exc)
