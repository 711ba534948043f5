"""The audit report in a real browser: headless Chromium lays it out, the charts and tables have
size and content, and a screenshot is kept in tests/artifacts/ (gitignored)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from replylint.audit.run import audit_export
from replylint.audit.synthetic import write as write_synthetic

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)

if BROWSER is None and os.environ.get("CI"):
    pytest.fail("CI must have chromium (.ci/run installs it)", pytrace=False)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium (apt-get install chromium)")

# Run in the page after it has been laid out: what a reader would see, measured by the browser.
PROBE = """<script>
(function () {
  const charts = {};
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    const box = svg.getBoundingClientRect();
    const marks = Array.from(svg.querySelectorAll('rect, circle')).filter(function (r) {
      const b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
    charts[svg.id] = {width: box.width, height: box.height, marks: marks.length,
                      labels: Array.from(svg.querySelectorAll('text')).filter(function (t) { return t.getBBox().width > 0; }).length};
  });
  const tables = {};
  document.querySelectorAll('table').forEach(function (t) {
    tables[t.id] = Array.from(t.querySelectorAll('tbody tr')).filter(function (r) { return r.offsetHeight > 0; }).length;
  });
  const pre = document.createElement('pre');
  pre.id = 'layout';
  pre.textContent = JSON.stringify({charts: charts, tables: tables, width: document.body.scrollWidth});
  document.body.appendChild(pre);
})();
</script>"""


def chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", *args],
        capture_output=True, timeout=180,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    export = tmp / "chats.jsonl"
    with export.open("w", encoding="utf-8") as fh:
        write_synthetic(fh, 2000, seed=7)
    html = tmp / "report.html"
    result = audit_export(str(export), findings_path=str(tmp / "f.jsonl"), html_path=str(html))
    return tmp, html, result.summary.to_dict()


def test_charts_and_tables_render(report):
    tmp, html, data = report
    probe = tmp / "probe.html"
    probe.write_text(html.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    p = chromium("--dump-dom", "--window-size=1280,2000", probe.as_uri(), tmp=tmp)
    dom = p.stdout.decode("utf-8", "replace")
    m = re.search(r'<pre id="layout">(.*?)</pre>', dom, re.S)
    assert m, p.stderr.decode("utf-8", "replace")[-2000:]
    layout = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    charts, tables = layout["charts"], layout["tables"]
    assert set(charts) == {"chart-rules", "chart-agents", "chart-days", "chart-score", "chart-scores"}
    for name, c in charts.items():
        assert c["width"] > 300 and c["height"] > 50 and c["labels"] > 0, (name, c)
    assert charts["chart-rules"]["marks"] == len(data["rules"])
    assert charts["chart-agents"]["marks"] == len(data["agents"])
    assert charts["chart-days"]["marks"] == len(data["days"])
    assert charts["chart-scores"]["marks"] == sum(1 for v in data["scores"].values() if v)
    assert tables["table-rules"] == len(data["rules"])
    assert tables["table-agents"] == len(data["agents"])
    assert tables["table-days"] == len(data["days"])
    assert tables["table-templates"] > 0
    assert layout["width"] <= 1280  # nothing overflows sideways


def test_screenshot_is_kept(report):
    tmp, html, _ = report
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "audit-report.png"
    if shot.exists():
        shot.unlink()
    p = chromium(f"--screenshot={shot}", "--window-size=1280,2400", "--hide-scrollbars", html.as_uri(), tmp=tmp)
    assert shot.is_file(), p.stderr.decode("utf-8", "replace")[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2400)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes
