"""Well-known tool configuration files (``data/config-files.toml``): JSON, YAML or Markdown that
is never a template collection, so it yields no drafts and no "no templates found" warning."""
from __future__ import annotations

import fnmatch
import functools
import re
from pathlib import Path

from ...errors import InputError


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple["re.Pattern[str]", "re.Pattern[str]"]:
    """The globs as two regexes: those matched against the file name, and those with a slash,
    matched against the path (at its start or below any folder). One search per file."""
    from ...rules.toml import load_toml

    globs = load_toml(Path(__file__).resolve().parents[2] / "data" / "config-files.toml", InputError)["files"]
    names = [fnmatch.translate(g) for g in globs if "/" not in g]
    paths = [fnmatch.translate(g) for g in globs if "/" in g]
    return re.compile("|".join(names)), re.compile(r"(?:^|/)(?:" + "|".join(paths) + ")")


def is_config_file(path: str) -> bool:
    """Whether ``path`` is a well-known tool configuration file (package.json, tsconfig*.json,
    .pre-commit-config.yaml, .github/workflows/…): never a template collection."""
    posix = path.replace("\\", "/")
    names, paths = _patterns()
    return bool(names.match(posix.rpartition("/")[2]) or paths.search(posix))
