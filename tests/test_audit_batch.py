"""replylint.batch: a pandas frame of messages in, findings out; on Dask with a LocalCluster."""
from __future__ import annotations

import io
import json
from collections import Counter

import dask.dataframe as dd
import distributed
import pandas as pd  # pandas and dask come with the test extra (and the audit extra)
import pytest

from replylint import RuleTimeout
from replylint.audit import synthetic
from replylint.batch import audit_dask, audit_frame, counts, empty_findings, warm_auditor


@pytest.fixture(scope="module")
def frame():
    buf = io.StringIO()
    synthetic.write(buf, 600, seed=5)
    return pd.read_json(io.StringIO(buf.getvalue()), lines=True, dtype=False)


def test_frame_findings_match_the_command(frame, run, tmp_path):
    out = audit_frame(frame)
    path = tmp_path / "x.jsonl"
    frame.to_json(path, orient="records", lines=True, force_ascii=False)
    r = run("audit", str(path), "--out", "f.jsonl")
    assert r.exit_code == 0, r.stderr
    expected = Counter(json.loads(line)["rule"] for line in (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines())
    assert Counter(out["rule"]) == expected
    assert list(out.columns) == list(empty_findings().columns)
    assert counts(out)["findings"] == len(out) and counts(out)["timeouts"] == 0


def test_the_auditor_is_warm_per_thread():
    assert warm_auditor(platform="jd") is warm_auditor(platform="jd")
    assert warm_auditor(platform="jd") is not warm_auditor(platform="taobao")


def test_rows_of_a_shuffled_frame_are_put_back_in_time_order(frame):
    shuffled = frame.sample(frac=1.0, random_state=1)
    assert Counter(audit_frame(shuffled)["rule"]) == Counter(audit_frame(frame)["rule"])


def test_timeouts_are_counted_not_raised(frame, monkeypatch):
    auditor = warm_auditor()
    real = auditor.linter.lint

    def slow(text, *args, **kwargs):
        if "您好" in text:
            stopped = RuleTimeout("absolute-promise", 0.001)
            stopped.diagnostics = real(text, *args, **kwargs)  # as Linter.lint does: the other rules' findings
            raise stopped
        return real(text, *args, **kwargs)

    before = audit_frame(frame)
    monkeypatch.setattr(auditor.linter, "lint", slow)
    out = audit_frame(frame)
    assert counts(out)["findings"] == counts(before)["findings"]  # what the finished rules found is kept
    expected = sum(1 for _, row in frame.iterrows() if row["role"] == "agent" and not row["internal"] and "您好" in row["text"])
    assert expected > 0
    assert counts(out)["timeouts"] == expected
    assert (out[out.source == "timeout"]["message"].notna()).all()


def test_a_broken_row_is_an_error_row(frame):
    broken = frame.copy()
    broken.loc[3, "role"] = "robot"
    c = counts(audit_frame(broken))
    assert c["errors"] == 1 and c["findings"] > 0


def test_dask_local_cluster(frame):
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        ddf = dd.from_pandas(frame, npartitions=3)
        ddf = ddf.shuffle(on="conversation_id", npartitions=3)  # whole conversations per partition
        out = audit_dask(ddf).compute()
    assert Counter(out["rule"]) == Counter(audit_frame(frame)["rule"])
