"""Linting an editor buffer: the config of the buffer's folder, one warm `Linter` per config.

An editor lints on every keystroke, so the expensive part (loading and compiling the rules) is
done once per config file and kept until that file, or one of the team's rule files it names in
``rule-paths``, changes.
"""
from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Optional

from ...config import CONFIG_NAMES, Config, config_for_file
from ...engine import Linter
from ...errors import RuleFileError
from ...input.sources import load_source, read_options
from ...report.diagnostic import Diagnostic, Fix, LintError
from ...rules.catalogue import rule_files
from ..run import lint_source

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_BOM = "\ufeff"


def changes_settings(path: Optional[Path]) -> bool:
    """Whether saving ``path`` can change the settings or rules of open buffers: a config file,
    or a TOML file that may be one of a team's rules (``rule-paths``)."""
    return path is not None and (path.name in CONFIG_NAMES or path.suffix.lower() == ".toml")


class BufferLinter:
    """Finds each buffer's config and keeps one compiled `Linter` per config file."""

    def __init__(self, default_folder: Optional[Path] = None) -> None:
        self.default_folder = default_folder or Path.cwd()
        self._configs: dict[Path, Config] = {}
        self._linters: dict[tuple[Optional[Path], tuple[tuple[str, int], ...]], Linter] = {}

    def forget(self) -> None:
        """Drop cached configs (a config file was created, edited or deleted); linters whose
        config file is unchanged are reused."""
        self._configs.clear()

    def config_for(self, path: Optional[Path]) -> Config:
        folder = path.parent if path is not None else self.default_folder
        cfg = self._configs.get(folder)
        if cfg is None:
            # The same search as `replylint check` makes for this file; raises ConfigError on a bad file.
            cfg = self._configs[folder] = config_for_file(path, self.default_folder)
        return cfg

    def linter_for(self, cfg: Config) -> Linter:
        key = (cfg.path, _stamp(cfg))
        linter = self._linters.get(key)
        if linter is None:
            if cfg.path is not None:
                self._linters = {k: v for k, v in self._linters.items() if k[0] != cfg.path}
            linter = self._linters[key] = Linter(cfg)
        return linter

    def lint(self, text: str, path: Optional[Path]) -> tuple[Linter, list[Diagnostic]]:
        """The linter used and the findings for a buffer (``lint_with_errors`` less the errors)."""
        linter, diagnostics, _ = self.lint_with_errors(text, path)
        return linter, diagnostics

    def lint_with_errors(self, text: str, path: Optional[Path]) -> tuple[Linter, list[Diagnostic], list[LintError]]:
        """The linter used, the findings for a buffer with offsets into ``text``, and the rules that
        were stopped on it. The kind comes from the file type (.eml is e-mail) or the config; JSON,
        YAML, CSV… templates are read as `replylint check` reads them."""
        linter = self.linter_for(self.config_for(path))
        shift = 0
        if text.startswith(_BOM):  # the reader would drop it and shift every offset
            text, shift = text[1:], 1
        # The editor may hold lone surrogates (JSON allows them); keep one code point each.
        clean = _LONE_SURROGATE.sub("\ufffd", text)
        # The editor has decoded the file already: read the buffer as UTF-8, whatever the config
        # forces for files on disk.
        options = replace(read_options(linter.config), encoding="utf-8")
        source = load_source(str(path) if path is not None else "-", clean.encode("utf-8"), options)
        result = lint_source(linter, source)
        diagnostics = result.diagnostics
        return linter, ([_shifted(d, shift) for d in diagnostics] if shift else diagnostics), result.errors


def _stamp(cfg: Config) -> tuple[tuple[str, int], ...]:
    """The files a compiled linter was made from, with their modification times: its config file
    and the team's rule files (a rule file added, edited or removed gives another stamp)."""
    files: list[Path] = [cfg.path] if cfg.path is not None else []
    for root in cfg.rule_paths:
        try:
            files += rule_files(root)
        except RuleFileError:  # gone: compiling the rules reports it
            files.append(root)
    return tuple((str(p), _mtime(p)) for p in files)


def _mtime(path: Optional[Path]) -> int:
    if path is None:
        return 0
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _shifted(d: Diagnostic, by: int) -> Diagnostic:
    fix = d.fix and Fix(d.fix.start + by, d.fix.end + by, d.fix.replacement, d.fix.safe)
    column = d.column + by if d.line == 1 else d.column
    end_column = d.end_column + by if d.end_line == 1 else d.end_column
    return replace(d, start=d.start + by, end=d.end + by, fix=fix, column=column, end_column=end_column)
