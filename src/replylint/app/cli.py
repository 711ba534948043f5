"""The `replylint` command: check drafts, list and explain rules, measure rules on a corpus."""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import click

from ..config import Config, config_for_file, discover
from ..errors import ReplylintError
from ..report.diagnostic import SEVERITIES, severity_rank
from ..report.visible import visible
from ..text.draft import KINDS
from .baseline import DEFAULT_BASELINE
from .output import COLORS, emit, styler, wants_color
from .team_examples import team_example_warnings

if TYPE_CHECKING:
    from ..engine import Linter
    from .run import FileResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> "click.exceptions.Exit":
    # Several problems (a rule file's) come one a line, each a complete `replylint: error:` line.
    for line in message.splitlines() or [""]:
        click.echo(f"replylint: error: {line}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def _load_config(config_path: Optional[str], **cli) -> Config:
    cfg = discover(Path.cwd(), Path(config_path) if config_path else None)
    changes = {k: v for k, v in cli.items() if v not in (None, ())}
    return replace(cfg, **changes)


class _Group(click.Group):
    """Turns every user error raised inside a command into one line on stderr and exit 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ReplylintError as exc:
            raise _fail(str(exc)) from None
        except KeyboardInterrupt:
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            raise click.exceptions.Exit(EXIT_ERROR) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="replylint")
def main() -> None:
    """Lint customer-service replies and e-mails against the norms of professional service."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--kind", type=click.Choice(KINDS), help="Draft kind (default: from config, else chat; .eml is email).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
              help="text; json (versioned, docs/schema/replylint-check.schema.json); sarif (GitHub code scanning); github (workflow annotations).")
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them (text or json).")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place; with - print the fixed text to stdout.")
@click.option("--diff", is_flag=True, help="Show what --fix would change as a unified diff; write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes not marked safe.")
@click.option("--select", multiple=True, help="Only these rules (comma-separated or repeated).")
@click.option("--ignore", multiple=True, help="Skip these rules (comma-separated or repeated).")
@click.option("--platform", help="The shop's home platform (jd, taobao, pinduoduo, douyin, shopee…).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file for every file (default: the nearest one above each file).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Lowest severity that fails the run (default: warning).")
@click.option("--include", multiple=True, help="Globs of files to lint inside folders.")
@click.option("--exclude", multiple=True, help="Globs of files and folders to skip.")
@click.option("--encoding", help="Read every file with this codec (default: detected; see docs/inputs.md).")
@click.option("--text-field", help="Field or column holding a template's text in JSON/YAML/CSV (default: text, content…).")
@click.option("--report-unused-suppressions", "report_unused", is_flag=True, default=None,
              help="Report suppression comments and fields that suppress nothing (rule unused-suppression).")
@click.option("--strict", is_flag=True, default=None, help="A file that yields no drafts is an error (exit 2), not a warning.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
              help="Worker processes (0: one per CPU). Default: one per CPU from 500 files on, where processes "
                   "can be forked; else 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (files that could not be checked still exit 2).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to FILE (in one step) instead of stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the findings: nothing on success, no summary, no warnings.")
@click.option("--color", type=click.Choice(COLORS), default="auto", show_default=True,
              help="Colour the text report (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it).")
@click.option("--show-settings", is_flag=True, help="Print the settings each PATH is linted with and where each came from.")
@click.option("--add-noqa", is_flag=True, help="Suppress every current finding with a comment above its line (Markdown).")
@click.option("--write-baseline", is_flag=True,
              help=f"Record every current finding in the baseline (--baseline FILE, config baseline, else {DEFAULT_BASELINE}).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Report only findings not recorded in this baseline file.")
def check(paths, kind, fmt, statistics, fix, diff, unsafe_fixes, select, ignore, platform, config_path, fail_on,
          include, exclude, encoding, text_field, report_unused, jobs, strict, exit_zero, output_file, quiet, color,
          show_settings, add_noqa, write_baseline, baseline_path) -> None:
    """Lint PATHS: files, folders (recursively) or - for stdin.

    Each file is linted with the nearest config file above it (like ruff), unless --config names one.

    Exit status: 0 clean, 1 findings at or above --fail-on (with --diff: changes to make),
    2 usage, config or input error.
    """
    from ..report.reporters import REPORTERS, STATISTICS
    from .parallel import lint_all

    if statistics and fmt not in STATISTICS:
        raise _fail(f"--statistics works with --format {' or '.join(STATISTICS)}, not {fmt}")
    changes = _changes(
        platform=platform,
        select=_split(select) or None,
        ignore=_split(ignore) or None,
        fail_on=fail_on,
        include=_split(include) or None,
        exclude=_split(exclude) or None,
        encoding=encoding,
        text_field=text_field,
        report_unused_suppressions=report_unused,
        strict=strict,
        baseline=Path(baseline_path) if baseline_path else None,
    )
    settings = _Settings(Path(config_path) if config_path else None, changes)
    if show_settings:
        given = {**changes, **({"kind": kind} if kind else {})}
        click.echo("\n".join(_settings_text(p, replace(settings.config_of(p), **given), given) for p in paths), nl=False)
        return
    groups = settings.plan(paths)
    for codec in dict.fromkeys(linter.config.encoding for linter, _ in groups if linter.config.encoding):
        from ..input.readers.decode import check_codec

        check_codec(codec)  # a bad codec name is a usage error, reported once
    runs: list[tuple[Linter, list[tuple[int, "FileResult"]]]] = []
    for linter, files in groups:
        done = lint_all(linter, [f for _, f in files], kind, jobs=jobs, progress=sys.stderr)
        runs.append((linter, list(zip((i for i, _ in files), done))))
    all_results = [r for _, pairs in runs for _, r in pairs]
    if not quiet:
        for warning in (w for r in all_results for w in r.source.warnings):
            click.echo(f"replylint: warning: {visible(warning)}", err=True)
    for linter, _ in [] if quiet else runs:
        for warning in team_example_warnings(linter):
            click.echo(f"replylint: warning: {warning}", err=True)
    errors = [e for r in all_results for e in r.errors]
    for e in errors:
        click.echo(f"replylint: error: {visible(e.message)}", err=True)
    unreadable = sum(r.unreadable for r in all_results)
    runs = [(linter, [(i, r) for i, r in pairs if not r.unreadable]) for linter, pairs in runs]

    if write_baseline:
        from .baseline import write_baseline as write

        by_target: dict[Path, list] = {}
        for linter, pairs in runs:
            target = linter.config.baseline or Path(DEFAULT_BASELINE)
            by_target.setdefault(target, []).extend(r for _, r in pairs)
        for target, results in by_target.items():
            n = write(target, results)
            click.echo(f"Wrote {n} finding(s) to the baseline {target}.", err=True)
        raise click.exceptions.Exit(EXIT_ERROR if errors else EXIT_CLEAN)
    hidden = 0
    for n, (linter, pairs) in enumerate(runs):
        if linter.config.baseline is not None:
            from .baseline import without_baseline

            kept, h = without_baseline([r for _, r in pairs], linter.config.baseline)
            hidden += h
            runs[n] = (linter, list(zip((i for i, _ in pairs), kept)))
    if add_noqa:
        from .noqa import COMMENT_FORMATS
        from .noqa import add_noqa as insert

        added, cannot = insert(r for _, pairs in runs for _, r in pairs)
        for path in cannot:
            click.echo(f"replylint: warning: {visible(path)}: its format cannot carry a suppression comment "
                       f"(only {', '.join(COMMENT_FORMATS)} can); use --write-baseline", err=True)
        click.echo(f"Added {added} suppression comment(s).", err=True)
        raise click.exceptions.Exit(EXIT_ERROR if errors else EXIT_CLEAN)

    fix_errors = changed = False
    if fix or diff:
        from ..report.fixes import report_fixes

        for n, (linter, pairs) in enumerate(runs):
            fixed, failed, did = report_fixes(linter, [r for _, r in pairs], kind, unsafe=unsafe_fixes, write=not diff)
            fix_errors, changed = fix_errors or failed, changed or did
            runs[n] = (linter, list(zip((i for i, _ in pairs), fixed)))
        if diff:
            raise click.exceptions.Exit(EXIT_ERROR if fix_errors or errors else
                                        EXIT_FINDINGS if changed and not exit_zero else EXIT_CLEAN)
    results = [r for _, r in sorted((pair for _, pairs in runs for pair in pairs), key=lambda p: p[0])]
    rules = _union(linter.rules for linter, _ in runs)
    stream = sys.stderr if fix and "-" in paths else sys.stdout
    colored = fmt == "text" and not statistics and wants_color(color, stream, bool(output_file and output_file != "-"))
    out = (STATISTICS if statistics else REPORTERS)[fmt](results, rules=rules, errors=errors, style=styler(colored))
    if fmt == "text" and not quiet:
        out += _summary(results, unreadable, len(errors) - unreadable)
        out += _fixable_line(results, hidden)
    # With --fix on stdin, stdout carries the fixed text, so the report goes to stderr.
    emit(out, output_file, err=stream is sys.stderr, color=colored)
    failing = any(severity_rank(d.severity) >= severity_rank(linter.config.fail_on)
                  for linter, pairs in runs for _, r in pairs for d in r.diagnostics)
    # Input errors outrank findings: exit 2 tells a hook that some files were not checked at all.
    raise click.exceptions.Exit(EXIT_ERROR if fix_errors or errors else
                                EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)


def _changes(**cli) -> dict:
    """The settings given on the command line (those not given are left to the config)."""
    return {k: v for k, v in cli.items() if v not in (None, ())}


class _Settings:
    """Each file's config, found once per folder, and one compiled Linter per config file."""

    def __init__(self, explicit: Optional[Path], changes: dict) -> None:
        self.explicit = explicit
        self.changes = changes
        self._by_folder: dict[str, Config] = {}
        self._linters: dict[Optional[Path], "Linter"] = {}

    def config_of(self, path: str) -> Config:
        if self.explicit is not None:
            key = ""
        elif path == "-":
            key = "-"
        else:
            p = Path(path)
            key = str(p if p.is_dir() else p.parent)
        cfg = self._by_folder.get(key)
        if cfg is None:
            found = discover(explicit=self.explicit) if self.explicit is not None else \
                config_for_file(None if path == "-" else Path(path), Path.cwd())
            cfg = self._by_folder[key] = replace(found, **self.changes)
        return cfg

    def linter_of(self, cfg: Config) -> "Linter":
        from ..engine import Linter

        linter = self._linters.get(cfg.path)
        if linter is None:
            linter = self._linters[cfg.path] = Linter(cfg)
        return linter

    def plan(self, paths: tuple[str, ...]) -> "list[tuple[Linter, list[tuple[int, str]]]]":
        """The files under ``paths`` (folders walked with their own config's globs), grouped by
        the config that applies to each, with their place in the run's order."""
        from ..input.sources import iter_paths

        groups: dict[Optional[Path], tuple[Config, list[tuple[int, str]]]] = {}
        n = 0
        for raw in paths:
            for f in iter_paths([raw], self.config_of(raw)):
                cfg = self.config_of(f)
                groups.setdefault(cfg.path, (cfg, []))[1].append((n, f))
                n += 1
        return [(self.linter_of(cfg), files) for cfg, files in groups.values()]


def _union(rule_lists) -> list:
    seen: dict[str, object] = {}
    for rules in rule_lists:
        for r in rules:
            seen.setdefault(r.id, r)
    return list(seen.values())


def _fixable_line(results, hidden: int = 0) -> str:
    """``[*] N fixable with --fix`` (and with --unsafe-fixes), and what a baseline hid."""
    from ..report.reporters.text import fix_note

    notes = [fix_note(d) for r in results for d in r.diagnostics]
    safe, unsafe = notes.count("--fix"), notes.count("--fix --unsafe-fixes")
    out = ""
    if safe or unsafe:
        parts = [f"{safe} fixable with --fix"] if safe else []
        if unsafe:
            parts.append(f"{unsafe} {'more ' if safe else ''}fixable with --fix --unsafe-fixes")
        out += "[*] " + "; ".join(parts) + ".\n"
    if hidden:
        out += f"{hidden} finding(s) hidden by the baseline.\n"
    return out


def _settings_text(path: str, cfg: Config, changes: dict) -> str:
    """The resolved settings for ``path``, one ``key = value  # source`` line each."""
    from ..config import setting_sources, settings_table

    sources = setting_sources(cfg, changes)
    table = settings_table(cfg)
    lines = [f"# settings for {visible(path)}", f"# config file: {cfg.path or '(none found: defaults)'}"]
    width = max(len(k) for k in table)
    for key, value in table.items():
        shown = json.dumps(value, ensure_ascii=False)
        lines.append(f"{key.ljust(width)} = {shown}  # {sources[key]}")
    return "\n".join(lines) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _summary(results, unreadable: int = 0, stopped: int = 0) -> str:
    """The last line: problems, files, and how many drafts were read in them (a file whose
    templates were not found counts no drafts, so "All clear" never hides an unread file)."""
    diags = [d for r in results for d in r.diagnostics]
    drafts = sum(1 for r in results for s in r.source.segments if s.text.strip())
    read = f"{_count(drafts, 'draft')} in {_count(len(results), 'file')}"
    if unreadable or stopped:
        why = []
        if unreadable:
            why.append(f"{_count(unreadable, 'file')} could not be checked")
        if stopped:
            why.append(f"{_count(stopped, 'rule run')} {'was' if stopped == 1 else 'were'} stopped")
        tail = "; " + " and ".join(why) + " (see the errors above).\n"
        if not diags:
            return f"No problems: {read}" + tail
        return _summary(results).rstrip(".\n") + tail
    if not diags:
        return f"All clear: {read}.\n"
    counts = {s: sum(d.severity == s for d in diags) for s in SEVERITIES}
    parts = ", ".join(_count(n, s) for s, n in reversed(counts.items()) if n)
    files = len({r.path for r in results if r.diagnostics})
    return f"Found {_count(len(diags), 'problem')} ({parts}) in {files} of {_count(len(results), 'file')} ({_count(drafts, 'draft')}).\n"


@main.command(name="config")
@click.argument("paths", nargs=-1)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: the nearest one above each PATH).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def config_cmd(paths, config_path, fmt) -> None:
    """The settings PATHS (default: the current folder) are linted with, and where each came from
    (default, the config file, or the command line)."""
    from ..config import setting_sources, settings_table

    settings = _Settings(Path(config_path) if config_path else None, {})
    paths = paths or (".",)
    if fmt == "json":
        items = []
        for p in paths:
            cfg = settings.config_of(p)
            sources = setting_sources(cfg)
            items.append({"path": p, "config": str(cfg.path) if cfg.path else None,
                          "settings": {k: {"value": v, "source": sources[k]} for k, v in settings_table(cfg).items()}})
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(_settings_text(p, settings.config_of(p), {}) for p in paths), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
def rules(fmt, config_path) -> None:
    """The rule catalogue: every rule, its severity, where it runs and what it checks."""
    from ..engine import Linter

    linter = Linter(_load_config(config_path))
    selected = {r.id for r in linter.rules}
    if fmt == "json":
        items = [
            {
                "id": r.id,
                "kind": r.kind,
                "severity": r.severity,
                "applies_to": list(r.applies_to),
                "enabled": r.id in selected,
                "summary": r.summary,
                "norm": r.norm,
                "path": str(r.path),
            }
            for r in linter.all_rules
        ]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    width = max(len(r.id) for r in linter.all_rules)
    for r in linter.all_rules:
        flag = "" if r.id in selected else " (off)"
        click.echo(f"{r.id.ljust(width)}  {r.severity:<7}  {','.join(r.applies_to):<10}  {r.summary}{flag}")


@main.command()
@click.argument("rule")
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
def explain(rule, config_path) -> None:
    """Why RULE exists, what it catches and leaves alone, with examples and settings."""
    from ..engine import Linter
    from .explain import explain_rule

    linter = Linter(_load_config(config_path))
    found = next((r for r in linter.all_rules if r.id == rule), None)
    if found is None:
        raise _fail(f"unknown rule {rule!r}; `replylint rules` lists them")
    click.echo(explain_rule(found))


@main.command()
def kinds() -> None:
    """The rule kinds and the fields each takes in a rule file (Markdown; docs/kinds.md is this)."""
    from .kinds import describe_kinds

    click.echo(describe_kinds(), nl=False)


@main.command(name="eval")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
@click.option("--select", multiple=True, help="Only these rules.")
@click.option("--show-errors", is_flag=True, help="List every miss and false alarm with its text.")
@click.option("--min-precision", type=float, help="Exit 1 if any rule's precision is below this.")
@click.option("--min-recall", type=float, help="Exit 1 if any rule's recall is below this.")
def evaluate_cmd(corpora, fmt, config_path, select, show_errors, min_precision, min_recall) -> None:
    """Precision and recall per family and per rule, and the false-alarm rate on lines that must stay
    silent, on labelled JSONL files (text, kind, platform, expect, allow: rule ids or families)."""
    from ..engine import Linter
    from .evaluate import evaluate_report, format_report, load_cases, report_json

    chosen = _split(select) or None
    # Rules named in --select run even when off by default; ALL scores every rule.
    linter = Linter(_load_config(config_path, select=chosen))
    known = [r.id for r in linter.all_rules]
    unknown = sorted(set(chosen or ()) - set(known) - {"ALL"})
    if unknown:
        raise _fail(f"unknown rule {', '.join(unknown)}; `replylint rules` lists them")
    cases = [c for path in corpora for c in load_cases(Path(path), known)]
    report = evaluate_report(linter, cases, None if chosen is None or "ALL" in chosen else chosen)
    if fmt == "json":
        click.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, show_errors), nl=False)
    low = [s for s in report.rules.values()
           if (min_precision is not None and s.has_precision and s.precision < min_precision)
           or (min_recall is not None and s.has_recall and s.recall < min_recall)]
    raise click.exceptions.Exit(EXIT_FINDINGS if low else EXIT_CLEAN)


@main.command(name="test-rules")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
def test_rules(paths, config_path) -> None:
    """Run rule files' [examples]: every bad example must fire, every good one stay silent.

    PATHS are rule files or folders (default: the config's rule-paths, else the bundled rules).
    Exit status: 0 all agree, 1 an example disagrees, 2 a rule file is broken.
    """
    from ..engine import Linter
    from ..rules.catalogue import bundled_rules_dir
    from .team_examples import check_examples, team_rules

    cfg = _load_config(config_path)
    roots = [Path(p) for p in paths] or list(cfg.rule_paths) or [bundled_rules_dir()]
    bundled = bundled_rules_dir().resolve()
    named = {p.resolve(): None for p in (*cfg.rule_paths, *roots) if p.resolve() != bundled}
    linter = Linter(replace(cfg, rule_paths=tuple(named)))
    rules = team_rules(linter, roots)
    failures = list(check_examples(linter, rules))
    failed = {f.rule.id for f in failures}
    for rule in rules:
        mark = "FAIL" if rule.id in failed else "ok  "
        click.echo(f"{mark} {rule.id}: {len(rule.bad)} bad, {len(rule.good)} good example(s)  ({rule.path})")
    for f in failures:
        click.echo(f"  {f}")
    click.echo(f"{len(rules)} rule(s), {sum(len(r.bad) + len(r.good) for r in rules)} example(s), {len(failures)} failure(s).")
    raise click.exceptions.Exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


@main.command()
def lsp() -> None:
    """Run the language server on stdin/stdout (for editors; see docs/editors.md)."""
    from .lsp import serve  # pygls loads only for this command

    raise click.exceptions.Exit(serve())


def _add_audit() -> None:
    from ..audit.command import audit  # click only; the audit's own modules load when it runs

    main.add_command(audit)


_add_audit()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
