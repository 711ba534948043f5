"""Where a report goes and how it looks: colour on a terminal (``--color``, NO_COLOR,
FORCE_COLOR), ``-o FILE`` written in one step."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Optional, TextIO

import click

from ..atomic import write_atomic

COLORS = ("auto", "always", "never")
_STYLES: dict[str, dict[str, Any]] = {
    "path": {"bold": True},
    "rule": {"fg": "magenta"},
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "info": {"fg": "cyan"},
    "fix": {"fg": "green"},
}


def wants_color(choice: str, stream: TextIO, to_file: bool = False) -> bool:
    """``always``/``never`` as said; ``auto``: not when NO_COLOR is set (no-color.org), yes when
    FORCE_COLOR is, else only on a terminal (never into an ``--output-file``)."""
    if choice != "auto":
        return choice == "always"
    if to_file:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def styler(on: bool) -> Callable[[str, str], str]:
    """``style(text, role)``: ANSI-coloured when ``on``, else the text unchanged."""
    if not on:
        return lambda text, _role: text
    return lambda text, role: click.style(text, **_STYLES.get(role, {}))


def emit(text: str, output_file: Optional[str], err: bool = False, color: bool = False) -> None:
    """Print the report, or write it to ``output_file`` atomically (a reader never sees half)."""
    if output_file and output_file != "-":
        write_atomic(Path(output_file), text.encode("utf-8"))
        return
    click.echo(text, nl=False, err=err, color=color)
