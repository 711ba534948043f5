"""Errors a user can cause and fix; the CLI prints them on one line and exits 2."""
from __future__ import annotations


class ReplylintError(Exception):
    """Bad configuration, rule file or input: reported as one line, exit code 2."""


class ConfigError(ReplylintError):
    pass


class RuleFileError(ReplylintError):
    pass


class InputError(ReplylintError):
    pass


class RuleTimeout(ReplylintError):
    """A rule's pattern took longer than its timeout on one draft and was stopped. The other rules
    still ran: ``diagnostics`` holds their findings (set by ``Linter.lint``)."""

    def __init__(self, rule: str, seconds: float) -> None:
        super().__init__(f"rule {rule}: a pattern ran longer than {seconds:g}s and was stopped")
        self.rule = rule
        self.diagnostics: list = []
