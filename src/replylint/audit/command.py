"""The `replylint audit` command (registered by cli.py): options, then ``run.audit_export``."""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command(name="audit")
@click.argument("export", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--map", "mapping", metavar="NAME|FILE", help="Input mapping: common (default), zendesk, intercom, freshdesk, gorgias, jd-dongdong, qianniu, wechat-kf, or a TOML file.")
@click.option("--input-format", type=click.Choice(["jsonl", "csv"]), help="Format of EXPORT (default: from its extension).")
@click.option("--encoding", default="utf-8-sig", show_default=True, help="Codec of EXPORT.")
@click.option("--platform", help="The shop's home platform (jd, taobao…), as for `check`.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: found upwards).")
@click.option("--settings", type=click.Path(dir_okay=False, exists=True), help="Audit settings TOML: points, severities, gap-minutes… (see docs/audit.md).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True), help="Extra conversation rule files or folders.")
@click.option("--out", "findings_path", help="Findings JSONL (- for stdout).")
@click.option("--sessions", "sessions_path", help="Sessions CSV.")
@click.option("--html", "html_path", help="HTML report.")
def audit(export, mapping, input_format, encoding, platform, config_path, settings, rule_paths, findings_path, sessions_path, html_path) -> None:
    """Audit (质检) the conversations in EXPORT (JSONL or CSV, ordered by conversation; - for stdin).

    Without --out, --sessions or --html the findings go to stdout as JSONL. Exit status: 0 done,
    2 usage, config or input error.
    """
    from ..app.cli import _load_config
    from .run import audit_export

    if not (findings_path or sessions_path or html_path):
        findings_path = "-"
    cfg = _load_config(config_path, platform=platform)
    result = audit_export(
        export, mapping=mapping, input_format=input_format, encoding=encoding, config=cfg, platform=cfg.platform,
        settings=Path(settings) if settings else None, rule_paths=[Path(p) for p in rule_paths],
        findings_path=findings_path, sessions_path=sessions_path, html_path=html_path, progress=sys.stderr,
        warn=lambda m: click.echo(f"replylint: warning: {m}", err=True),
    )
    t = result.summary.to_dict()["totals"]
    written = ", ".join(p for p in (findings_path, sessions_path, html_path) if p and p != "-")
    click.echo(
        f"Audited {t['conversations']} conversation(s), {t['messages']} message(s): {t['findings']} finding(s), "
        f"mean score {t['mean_score']}, {t['fatal_sessions']} fatal session(s)"
        + (f", {t['timeouts']} timeout(s)" if t["timeouts"] else "") + (f"; wrote {written}" if written else "") + ".",
        err=True,
    )
