"""The HTML report: one self-contained file (inline CSS and SVG, no script from anywhere, no
network), rendered with jinja2 from ``report.html.j2`` beside this module."""
from __future__ import annotations

import json
from typing import Any, Optional

from ..paths import PACKAGE
from .outputs import Summary


def _bars(items: list[tuple[str, float]], width: int = 560, row: int = 22, label_width: int = 190) -> dict[str, Any]:
    """Horizontal bars: one per (label, value), scaled to the largest value."""
    top = max((v for _, v in items), default=0) or 1
    span = width - label_width - 60
    return {
        "width": width,
        "height": row * len(items) + 6,
        "label_width": label_width,
        "bars": [{"label": label, "value": value, "y": i * row + 3, "w": max(1.0, span * value / top), "text_y": i * row + 17}
                 for i, (label, value) in enumerate(items)],
    }


def _columns(items: list[tuple[str, float]], width: int = 560, height: int = 200) -> dict[str, Any]:
    """Vertical columns, one per (label, value), with every label under its column when they fit."""
    top = max((v for _, v in items), default=0) or 1
    n = max(1, len(items))
    step = (width - 40) / n
    every = max(1, -(-n // 12))  # at most 12 labels
    cols = []
    for i, (label, value) in enumerate(items):
        h = (height - 50) * value / top
        cols.append({"label": label, "value": value, "x": 30 + i * step + step * 0.15, "w": max(1.0, step * 0.7),
                     "y": height - 30 - h, "h": h, "show_label": i % every == 0, "label_x": 30 + i * step + step / 2})
    return {"width": width, "height": height, "base": height - 30, "cols": cols}


def _line(items: list[tuple[str, float]], width: int = 560, height: int = 200, top: Optional[float] = None) -> dict[str, Any]:
    """A polyline through (label, value) points (per-day score)."""
    top = top or max((v for _, v in items), default=0) or 1
    n = len(items)
    step = (width - 60) / max(1, n - 1)
    points = [{"label": label, "value": value, "x": 40 + i * step, "y": height - 30 - (height - 50) * value / top} for i, (label, value) in enumerate(items)]
    return {"width": width, "height": height, "base": height - 30, "top": top, "points": points,
            "path": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in points)}


def render(summary: Summary, rules: dict[str, dict[str, Any]], title: str = "replylint audit", source: str = "") -> str:
    """The report as one HTML string. ``rules`` holds each rule's severity, points and summary."""
    import jinja2

    text = (PACKAGE / "audit" / "report.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    data = summary.to_dict()
    rule_rows = sorted(data["rules"].items(), key=lambda kv: (-kv[1]["findings"], kv[0]))
    agent_rows = sorted(data["agents"].items(), key=lambda kv: (-kv[1]["per_100"], kv[0]))
    day_rows = list(data["days"].items())
    day_rate = [(d, round(100.0 * s["findings"] / summary.days[d].agent_messages, 2) if summary.days[d].agent_messages else 0.0) for d, s in day_rows]
    charts = {
        "rules": _bars([(r, s["findings"]) for r, s in rule_rows]),
        "agents": _bars([(a, s["per_100"]) for a, s in agent_rows[:25]]),
        "days": _columns(day_rate),
        "score": _line([(d, s["mean_score"]) for d, s in day_rows if s["mean_score"] is not None], top=100),
        "scores": _columns([(f"{k}–{int(k) + 9 if k != '90' else 100}", v) for k, v in data["scores"].items()]),
    }
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return env.from_string(text).render(
        title=title, source=source, data=data, rules=rules, rule_rows=rule_rows, agent_rows=agent_rows,
        day_rows=day_rows, day_rate=dict(day_rate), charts=charts, templates=summary.top_templates(),
        examples=summary.examples, summary_json=blob,
    )
