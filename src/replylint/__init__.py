"""replylint: a linter for customer-service replies and e-mails, in Chinese and English.

    >>> import replylint
    >>> [d.rule for d in replylint.lint("亲,我们保证明天发货")]
    ['absolute-promise']
"""
from __future__ import annotations

import threading
from typing import Any, Mapping, Optional, Union

from .config import Config, discover, from_table
from .engine import Linter
from .errors import ConfigError, InputError, ReplylintError, RuleFileError, RuleTimeout
from .report.diagnostic import Diagnostic, Fix

__version__ = "0.1.0"

_default: Optional[Linter] = None
_lock = threading.Lock()


def lint(
    text: str,
    kind: str = "chat",
    config: Union[Config, Mapping[str, Any], None] = None,
    platform: Optional[str] = None,
) -> list[Diagnostic]:
    """Lint one draft. ``config`` is a Config, a settings table as in `.replylint.toml`, or None
    for the defaults; the default linter is built once and reused."""
    global _default
    if config is None:
        linter = _default
        if linter is None:
            with _lock:
                if _default is None:
                    _default = Linter()
            linter = _default
    else:
        cfg = config if isinstance(config, Config) else from_table(dict(config), Config().root)
        linter = Linter(cfg)
    return linter.lint(text, kind=kind, platform=platform)


__all__ = [
    "Config",
    "ConfigError",
    "Diagnostic",
    "Fix",
    "InputError",
    "Linter",
    "ReplylintError",
    "RuleFileError",
    "RuleTimeout",
    "__version__",
    "discover",
    "lint",
]
