"""Settings: `.replylint.toml` or `[tool.replylint]` in pyproject.toml, found from a folder upwards."""
from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Optional

from .errors import ConfigError
from .report.diagnostic import SEVERITIES
from .rules.schema import Field, check_table
from .rules.toml import load_toml
from .text.draft import KINDS

CONFIG_NAMES = (".replylint.toml", "replylint.toml", "pyproject.toml")

MARKDOWN_TEMPLATES = ("auto", "fenced", "paragraphs", "sections")

_RULE_SETTINGS = {
    "severity": Field("str", choices=SEVERITIES),
    "applies-to": Field("list[str]", choices=KINDS),
    "words": Field("list[str]", doc="extra words for word-list rules"),
    "exceptions": Field("list[str]", doc="extra phrases inside which a match is left alone"),
    "allow": Field("list[str]", doc="the team's own contact points (domains, numbers, addresses) identifier rules leave alone"),
    "enabled": Field("bool", doc="switch a rule that is off by default on (or any rule off)"),
}
_OVERRIDE = {
    "files": Field("list[str]", required=True, doc="globs, relative to the config file"),
    "kind": Field("str", choices=KINDS),
    "platform": Field("str"),
    "ignore": Field("list[str]"),
    "select": Field("list[str]"),
}
FIELDS: dict[str, Field] = {
    "platform": Field("str", doc="the shop's home platform: taobao, tmall, jd, pinduoduo, douyin, shopee…"),
    "kind": Field("str", choices=KINDS, doc="default draft kind"),
    "select": Field("list[str]", doc="rules to run (default: all)"),
    "ignore": Field("list[str]", doc="rules not to run"),
    "rule-paths": Field("list[str]", doc="extra rule files or folders"),
    "fail-on": Field("str", choices=SEVERITIES, doc="lowest severity that fails a run"),
    "include": Field("list[str]", doc="globs of files to lint inside folders"),
    "exclude": Field("list[str]", doc="globs of files and folders to skip"),
    "message-language": Field("str", choices=("auto", "zh", "en"), doc="language of messages"),
    "timeout": Field("number", above=0, max=60, doc="seconds a rule's pattern may run on one draft"),
    "encoding": Field("str", doc="codec to read every file with (default: detected)"),
    "text-field": Field("str", doc="field or column holding a template's text (default: text, content, body…)"),
    "ignore-field": Field("str", doc="field or column listing rules a template entry suppresses"),
    "report-unused-suppressions": Field("bool", doc="report suppressions that suppress nothing"),
    "markdown-templates": Field("str", choices=MARKDOWN_TEMPLATES, doc="what a template is in Markdown: fenced blocks, paragraphs, sections, or auto"),
    "markdown-fences": Field("list[str]", doc="info strings of the fenced blocks that hold templates (default: any)"),
    "strict": Field("bool", doc="a file that yields no drafts is an error, not a warning"),
    "baseline": Field("str", doc="a baseline file (replylint check --write-baseline): only findings not in it fail"),
    "rules": Field("table", doc="per-rule settings: [rules.RULE] severity, applies-to, words, exceptions, allow, enabled"),
    "overrides": Field("list[table]", items=_OVERRIDE, doc="settings for files matching globs"),
}

DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown", "*.eml", "*.json", "*.jsonl", "*.yaml", "*.yml", "*.csv")


@dataclass
class Override:
    files: tuple[str, ...]
    kind: Optional[str] = None
    platform: Optional[str] = None
    ignore: tuple[str, ...] = ()
    select: Optional[tuple[str, ...]] = None


@dataclass
class Config:
    """Effective settings. ``root`` is where relative paths in the file are resolved from."""

    platform: Optional[str] = None
    kind: str = "chat"
    select: Optional[tuple[str, ...]] = None
    ignore: tuple[str, ...] = ()
    rule_paths: tuple[Path, ...] = ()
    fail_on: str = "warning"
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    message_language: str = "auto"
    timeout: Optional[float] = None
    encoding: Optional[str] = None
    text_field: Optional[str] = None
    ignore_field: str = "replylint-ignore"
    report_unused_suppressions: bool = False
    markdown_templates: str = "auto"
    markdown_fences: tuple[str, ...] = ()
    strict: bool = False
    baseline: Optional[Path] = None
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    root: Path = field(default_factory=Path.cwd)
    path: Optional[Path] = None

    def for_path(self, path: Optional[str]) -> Override:
        """Kind, platform and rule choice for one file, after the per-glob overrides."""
        result = Override(files=(), kind=self.kind, platform=self.platform, ignore=self.ignore, select=self.select)
        if not path or path == "-" or not self.overrides:
            return result
        rel = _relative(Path(path), self.root)
        for o in self.overrides:
            if any(_glob_match(rel, g) for g in o.files):
                result.kind = o.kind or result.kind
                result.platform = o.platform or result.platform
                result.ignore = result.ignore + o.ignore
                if o.select is not None:
                    result.select = o.select
        return result

    def is_excluded(self, path: Path) -> bool:
        return bool(self.exclude) and self._matches(path, self.exclude)

    def selects_file(self, path: str, name: str) -> bool:
        """``is_included`` and not ``is_excluded`` for a file ``name`` found at ``path`` in a
        folder walk; no Path is built when the name alone decides (the default globs)."""
        if not self.exclude and any(_glob_match(name, g) for g in self.include):
            return True
        p = Path(path)
        return self.is_included(p) and not self.is_excluded(p)

    def is_included(self, path: Path) -> bool:
        return self._matches(path, self.include)

    def _matches(self, path: Path, globs: tuple[str, ...]) -> bool:
        """Whether the file name or the path relative to the root matches a glob; the name is
        tried first, as finding the relative path means resolving it on disk."""
        name = path.name
        if any(_glob_match(name, g) for g in globs):
            return True
        rel = _relative(path, self.root)
        return any(_glob_match(rel, g) for g in globs)


def _relative(path: Path, root: Path) -> str:
    try:
        return PurePosixPath(path.resolve().relative_to(_resolved_root(root))).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return PurePosixPath(path).as_posix()


@functools.lru_cache(maxsize=64)
def _resolved_root(root: Path) -> Path:
    """The config's root on disk, resolved once rather than once per file."""
    return root.resolve()


def _glob_match(rel: str, pattern: str) -> bool:
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    if pattern.startswith("**/") and fnmatch.fnmatchcase(rel, pattern[3:]):
        return True
    # "dir/" or "dir" matches everything below it.
    stripped = pattern.rstrip("/")
    return rel.startswith(stripped + "/") and not any(c in stripped for c in "*?[")


def find_config(start: Path) -> Optional[Path]:
    """The nearest config file at or above ``start``; pyproject.toml counts only with [tool.replylint]."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                if candidate.is_symlink() or candidate.exists():
                    # A folder, FIFO, device or broken link by that name: say so, never skip it.
                    raise ConfigError(f"{candidate}: not a regular file; a config file must be one")
                continue
            if name != "pyproject.toml":
                return candidate
            data = load_toml(candidate, ConfigError)
            if isinstance(data.get("tool"), dict) and "replylint" in data["tool"]:
                return candidate
    return None


def load_config(path: Path) -> Config:
    data = load_toml(path, ConfigError)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("replylint", {})
        where = f"{path}: [tool.replylint]"
    else:
        where = str(path)
    return from_table(data, path.parent, where, path)


def from_table(data: dict[str, Any], root: Path, where: str = "config", path: Optional[Path] = None) -> Config:
    """Validate a settings table (from a file or a library caller) into a Config."""
    check_table(data, FIELDS, where, ConfigError)
    rules = data.get("rules", {})
    for rule_id, settings in rules.items():
        if not isinstance(settings, dict):
            raise ConfigError(f"{where}: [rules.{rule_id}] must be a table")
        check_table(settings, _RULE_SETTINGS, f"{where}: rules.{rule_id}", ConfigError)
    overrides = tuple(
        Override(
            files=tuple(o["files"]),
            kind=o.get("kind"),
            platform=o.get("platform"),
            ignore=tuple(o.get("ignore", ())),
            select=tuple(o["select"]) if "select" in o else None,
        )
        for o in data.get("overrides", [])
    )
    return Config(
        platform=data.get("platform"),
        kind=data.get("kind", "chat"),
        select=tuple(data["select"]) if "select" in data else None,
        ignore=tuple(data.get("ignore", ())),
        rule_paths=tuple((root / p) for p in data.get("rule-paths", ())),
        fail_on=data.get("fail-on", "warning"),
        include=tuple(data.get("include", DEFAULT_INCLUDE)),
        exclude=tuple(data.get("exclude", ())),
        message_language=data.get("message-language", "auto"),
        timeout=data.get("timeout"),
        encoding=data.get("encoding"),
        text_field=data.get("text-field"),
        ignore_field=data.get("ignore-field", "replylint-ignore"),
        report_unused_suppressions=data.get("report-unused-suppressions", False),
        markdown_templates=data.get("markdown-templates", "auto"),
        markdown_fences=tuple(data.get("markdown-fences", ())),
        strict=data.get("strict", False),
        baseline=(root / data["baseline"]) if "baseline" in data else None,
        rules=rules,
        overrides=overrides,
        root=root,
        path=path,
    )


def discover(start: Optional[Path] = None, explicit: Optional[Path] = None) -> Config:
    """The config a run uses: ``explicit`` if given, else the nearest one found, else defaults."""
    if explicit is not None:
        if not explicit.is_file():
            if explicit.is_symlink() or explicit.exists():
                raise ConfigError(f"{explicit}: not a regular file; a config file must be one")
            raise ConfigError(f"{explicit}: config file not found")
        return load_config(explicit)
    found = find_config(start or Path.cwd())
    return load_config(found) if found else Config(root=(start or Path.cwd()).resolve())


def config_for_file(path: Optional[Path], default_folder: Optional[Path] = None) -> Config:
    """The settings for one linted file, as ruff finds them: the nearest config file at or above
    the file's own folder (not the current folder), else defaults rooted at ``default_folder``.
    ``path`` None or ``-`` (stdin, an unsaved buffer) searches from ``default_folder``. The CLI
    and the language server both call this, so a file gets the same findings in both."""
    default_folder = default_folder or Path.cwd()
    if path is None or str(path) == "-":
        folder = default_folder
    else:
        folder = path if path.is_dir() else path.parent
    found = find_config(folder)
    return load_config(found) if found else Config(root=default_folder.resolve())


def settings_table(cfg: Config) -> dict[str, Any]:
    """Every setting of ``cfg`` under its config-file name (``fail-on``…), for `replylint config`."""
    out: dict[str, Any] = {}
    for key in FIELDS:
        value = getattr(cfg, key.replace("-", "_"))
        if key == "overrides":
            value = [{k: v for k, v in vars(o).items() if v not in (None, ())} for o in value]
        elif isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = [str(v) for v in value]
        out[key] = value
    return out


def setting_sources(cfg: Config, from_cli: Iterable[str] = ()) -> dict[str, str]:
    """Where each setting of ``cfg`` came from: ``command line``, the config file, or ``default``."""
    in_file: set[str] = set()
    if cfg.path is not None:
        data = load_toml(cfg.path, ConfigError)
        if cfg.path.name == "pyproject.toml":
            data = data.get("tool", {}).get("replylint", {})
        in_file = set(data)
    cli = {k.replace("_", "-") for k in from_cli}
    return {key: "command line" if key in cli else str(cfg.path) if key in in_file else "default" for key in FIELDS}
