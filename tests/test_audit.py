"""`replylint audit`: input mappings, streaming, conversation rules, echoes, scoring, outputs."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from replylint import InputError, RuleFileError
from replylint.audit import Auditor, Conversation, Message
from replylint.audit.conversation import template_of
from replylint.audit.progress import AuditProgress
from replylint.audit.readers import Records, SeenFilter, conversations
from replylint.audit.rules import load_rule
from replylint.audit.schema import bundled_mappings, load_mapping, parse_ts
from replylint.audit.scoring import load_scoring
from replylint.audit.synthetic import write as write_synthetic

T0 = datetime(2026, 11, 2, 10, 0)


def chat(*rows, cid="c1"):
    """A conversation from (role, minutes or None, text) rows."""
    msgs = [Message(cid, str(i), role, text, None if t is None else T0 + timedelta(minutes=t), "kf-1" if role == "agent" else "")
            for i, (role, t, text) in enumerate(rows, 1)]
    return Conversation(cid, msgs)


@pytest.fixture(scope="module")
def auditor():
    return Auditor(platform="jd")


def rules_of(session):
    return Counter(f.rule for f in session.findings)


# --- input mappings ---------------------------------------------------------------------------

MAPPING_SAMPLES = {
    "zendesk": [
        ({"ticket_id": 7, "id": 1, "author_id": 50, "requester_id": 50, "plain_body": "Where is my order?", "public": True, "created_at": "2026-11-02T10:00:00Z"}, "customer", False),
        ({"ticket_id": 7, "id": 2, "author_id": 9, "requester_id": 50, "plain_body": "Hello! It ships today.", "public": True, "created_at": "2026-11-02T10:01:00Z"}, "agent", False),
        ({"ticket_id": 7, "id": 3, "author_id": 9, "requester_id": 50, "plain_body": "note to self", "public": False, "created_at": "2026-11-02T10:02:00Z"}, "agent", True),
    ],
    "intercom": [
        ({"conversation_id": "a", "id": "p1", "part_type": "comment", "body": "<p>Hi &amp; hello</p>", "created_at": 1793613600, "author": {"type": "user", "id": "u1"}}, "customer", False),
        ({"conversation_id": "a", "id": "p2", "part_type": "comment", "body": "<p>Hello!</p>", "created_at": 1793613660, "author": {"type": "admin", "id": "42"}}, "agent", False),
        ({"conversation_id": "a", "id": "p3", "part_type": "note", "body": "vip", "created_at": 1793613700, "author": {"type": "admin", "id": "42"}}, "agent", True),
        ({"conversation_id": "a", "id": "p4", "part_type": "comment", "body": "Rate us", "created_at": 1793613800, "author": {"type": "bot", "id": "b"}}, "bot", False),
        ({"conversation_id": "a", "id": "p5", "part_type": "assignment", "body": "", "created_at": 1793613900, "author": {"type": "admin", "id": "42"}}, "system", False),
    ],
    "freshdesk": [
        ({"ticket_id": 3, "id": 11, "body_text": "Refund please", "incoming": True, "private": False, "user_id": 5, "created_at": "2026-11-02T10:00:00Z"}, "customer", False),
        ({"ticket_id": 3, "id": 12, "body_text": "Hello, done.", "incoming": False, "private": False, "user_id": 8, "created_at": "2026-11-02T10:05:00Z"}, "agent", False),
        ({"ticket_id": 3, "id": 13, "body_text": "check fraud", "incoming": False, "private": True, "user_id": 8, "created_at": "2026-11-02T10:06:00Z"}, "agent", True),
    ],
    "gorgias": [
        ({"ticket_id": 4, "id": 1, "from_agent": False, "public": True, "body_text": "Hi", "sender": {"id": 77}, "created_datetime": "2026-11-02T10:00:00"}, "customer", False),
        ({"ticket_id": 4, "id": 2, "from_agent": True, "public": True, "body_text": "Hello!", "sender": {"id": 3}, "created_datetime": "2026-11-02T10:01:00"}, "agent", False),
        ({"ticket_id": 4, "id": 3, "from_agent": True, "public": False, "channel": "internal-note", "body_text": "x", "sender": {"id": 3}, "created_datetime": "2026-11-02T10:02:00"}, "agent", True),
    ],
    "jd-dongdong": [
        ({"sid": "s1", "waiter": "jd_kf01", "customer": "buyer9", "waiterSend": 0, "time": "2026-11-02 10:00:00", "content": "在吗"}, "customer", False),
        ({"sid": "s1", "waiter": "jd_kf01", "customer": "buyer9", "waiterSend": 1, "time": "2026-11-02 10:00:30", "content": "您好"}, "agent", False),
    ],
    "qianniu": [
        ({"direction": "recv", "from_id": "buyer9", "to_id": "shop:lily", "time": "2026-11-02 10:00:00", "content": "在吗"}, "customer", False),
        ({"direction": "send", "from_id": "shop:lily", "to_id": "buyer9", "time": "2026-11-02 10:00:20", "content": "亲，在的"}, "agent", False),
    ],
    "wechat-kf": [
        ({"openid": "o1", "opercode": 2001, "worker": "", "time": 1793613600, "text": "你好"}, "customer", False),
        ({"openid": "o1", "opercode": 2002, "worker": "kf2001@shop", "time": 1793613620, "text": "您好"}, "agent", False),
        ({"openid": "o1", "opercode": 1004, "worker": "kf2001@shop", "time": 1793613700, "text": ""}, "system", False),
    ],
}


def test_every_bundled_mapping_has_a_sample():
    assert set(bundled_mappings()) == set(MAPPING_SAMPLES) | {"common"}


@pytest.mark.parametrize("name", sorted(MAPPING_SAMPLES))
def test_mapping_reads_roles_notes_and_one_conversation(name):
    mapping = load_mapping(name)
    msgs = [mapping.message(rec, n, "x") for n, (rec, _, _) in enumerate(MAPPING_SAMPLES[name], 1)]
    assert [m.role for m in msgs] == [role for _, role, _ in MAPPING_SAMPLES[name]]
    assert [m.internal for m in msgs] == [internal for _, _, internal in MAPPING_SAMPLES[name]]
    assert len({m.conversation_id for m in msgs}) == 1, [m.conversation_id for m in msgs]
    assert all(m.ts is not None for m in msgs)
    agents = [m for m in msgs if m.role == "agent"]
    assert agents and all(m.agent_id for m in agents)
    assert all(not m.agent_id for m in msgs if m.role == "customer")


def test_intercom_html_is_text():
    m = load_mapping("intercom").message(MAPPING_SAMPLES["intercom"][0][0], 1, "x")
    assert m.text == "Hi & hello"


def test_qianniu_splits_a_customer_after_a_long_silence(tmp_path):
    rows = [r for r, _, _ in MAPPING_SAMPLES["qianniu"]]
    later = dict(rows[0], time="2026-11-03 15:00:00")
    path = tmp_path / "qn.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [*rows, later]), encoding="utf-8")
    convs = list(conversations(Records(str(path)), load_mapping("qianniu")))
    assert [c.id for c in convs] == ["buyer9", "buyer9#2"]
    assert [len(c.messages) for c in convs] == [2, 1]


def test_a_mapping_file_of_ones_own(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[mine]\nfields = { conversation_id = "chat", text = "msg" }\nrole = { field = "who", values = { me = "agent", them = "customer" } }\n', encoding="utf-8")
    m = load_mapping(str(path)).message({"chat": "k", "msg": "hi", "who": "them"}, 3, "x")
    assert (m.conversation_id, m.role, m.text, m.message_id) == ("k", "customer", "hi", "3")


@pytest.mark.parametrize("record, error", [
    ({"conversation_id": "a", "role": "boss", "text": "x"}, "role 'boss'"),
    ({"role": "agent", "text": "x"}, "no conversation id"),
    ({"conversation_id": "a", "role": "agent", "text": "x", "ts": "yesterday"}, "unreadable timestamp"),
])
def test_bad_records_are_one_line_errors(record, error):
    with pytest.raises(InputError, match=error):
        load_mapping("common").message(record, 4, "in.jsonl")


def test_a_value_no_way_knows_is_an_error():
    with pytest.raises(InputError, match=r"cannot tell who wrote.*waiterSend = 'maybe'"):
        load_mapping("jd-dongdong").message({"sid": "s", "waiterSend": "maybe", "content": "x"}, 2, "dd.jsonl")


def test_unknown_mapping_is_an_error():
    with pytest.raises(InputError, match="not a bundled mapping"):
        load_mapping("nosuchdesk")


@pytest.mark.parametrize("value, expected", [
    ("2026-11-02T10:00:00Z", datetime(2026, 11, 2, 10)),
    ("2026-11-02T18:00:00+08:00", datetime(2026, 11, 2, 10)),
    ("2026-11-02 10:00:00", datetime(2026, 11, 2, 10)),
    ("2026/11/02 10:00", datetime(2026, 11, 2, 10)),
    (1793613600, datetime(2026, 11, 2, 10)),
    ("1793613600000", datetime(2026, 11, 2, 10)),
    ("", None),
])
def test_timestamps(value, expected):
    assert parse_ts(value, "x") == expected


# --- streaming --------------------------------------------------------------------------------

def _jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_conversations_are_runs_and_notes_are_skipped(tmp_path):
    rows = [
        {"conversation_id": "a", "role": "customer", "text": "hi"},
        {"conversation_id": "a", "role": "agent", "text": "note", "internal": True},
        {"conversation_id": "a", "role": "agent", "text": "hello"},
        {"conversation_id": "b", "role": "customer", "text": "yo"},
    ]
    convs = list(conversations(Records(str(_jsonl(tmp_path / "x.jsonl", rows))), load_mapping(None)))
    assert [(c.id, [m.text for m in c.messages]) for c in convs] == [("a", ["hi", "hello"]), ("b", ["yo"])]


def test_an_export_out_of_order_is_warned_about(tmp_path):
    rows = [{"conversation_id": cid, "role": "customer", "text": "x"} for cid in ["a", "b", "a"]]
    warnings = []
    convs = list(conversations(Records(str(_jsonl(tmp_path / "x.jsonl", rows))), load_mapping(None), warn=warnings.append))
    assert [c.id for c in convs] == ["a", "b", "a"]
    assert len(warnings) == 1 and "ordered by conversation" in warnings[0] and "x.jsonl:3" in warnings[0]


def test_ordered_export_gives_no_warning(tmp_path):
    rows = [{"conversation_id": f"c{i}", "role": "customer", "text": "x"} for i in range(500)]
    warnings = []
    list(conversations(Records(str(_jsonl(tmp_path / "x.jsonl", rows))), load_mapping(None), warn=warnings.append))
    assert warnings == []


def test_seen_filter_has_no_false_negatives():
    f = SeenFilter(1 << 16)
    keys = [f"k{i}" for i in range(2000)]
    for k in keys:
        f.add(k)
    assert all(k in f for k in keys)
    assert sum(f"other{i}" in f for i in range(2000)) < 40


def test_csv_export(tmp_path):
    path = tmp_path / "x.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["conversation_id", "message_id", "ts", "role", "agent_id", "text", "internal"])
        w.writerow(["a", "1", "2026-11-02 10:00:00", "customer", "", "在吗,\n有货吗", "false"])
        w.writerow(["a", "2", "2026-11-02 10:00:30", "agent", "kf", "您好", "false"])
        w.writerow(["a", "3", "2026-11-02 10:00:40", "agent", "kf", "备注", "true"])
    [c] = list(conversations(Records(str(path)), load_mapping(None)))
    assert [m.text for m in c.messages] == ["在吗,\n有货吗", "您好"]


def test_broken_jsonl_names_the_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"conversation_id": "a", "role": "agent", "text": "x"}\n{broken\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.jsonl:2: not JSON"):
        list(conversations(Records(str(path)), load_mapping(None)))


def test_reading_is_streamed(tmp_path):
    """The first conversation comes out before the file has been read through."""
    rows = [{"conversation_id": f"c{i // 4}", "role": "customer", "text": "x" * 200} for i in range(20_000)]
    records = Records(str(_jsonl(tmp_path / "big.jsonl", rows)))
    first = next(iter(conversations(records, load_mapping(None))))
    assert first.id == "c0"
    assert records.bytes_read < records.size / 10


# --- conversation rules and echoes --------------------------------------------------------------

def test_timing_stays_off_without_timestamps(auditor):
    timed = auditor.audit(chat(("customer", 0, "在吗"), ("agent", 9, "在的")))
    untimed = auditor.audit(chat(("customer", None, "在吗"), ("agent", None, "在的")))
    assert rules_of(timed)["long-wait-no-apology"] == 1
    assert rules_of(untimed)["long-wait-no-apology"] == 0


def test_gap_minutes_is_a_setting(tmp_path):
    settings = tmp_path / "audit.toml"
    settings.write_text("[rules.long-wait-no-apology]\ngap-minutes = 10\n", encoding="utf-8")
    relaxed = Auditor(scoring=load_scoring(settings))
    c = chat(("customer", 0, "在吗"), ("agent", 9, "在的"))
    assert rules_of(relaxed.audit(c))["long-wait-no-apology"] == 0
    assert rules_of(relaxed.audit(chat(("customer", 0, "在吗"), ("agent", 11, "在的"))))["long-wait-no-apology"] == 1


def test_a_rule_can_be_switched_off(tmp_path):
    settings = tmp_path / "audit.toml"
    settings.write_text("[rules.greeting-at-open]\nenabled = false\n[rules.absolute-promise]\nenabled = false\n", encoding="utf-8")
    quiet = Auditor(scoring=load_scoring(settings))
    s = quiet.audit(chat(("customer", 0, "在吗"), ("agent", 1, "保证明天发货")))
    assert not {"greeting-at-open", "absolute-promise"} & set(rules_of(s))


def test_unknown_rule_in_settings_is_an_error(tmp_path):
    settings = tmp_path / "audit.toml"
    settings.write_text("[rules.no-such-rule]\npoints = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="no-such-rule"):
        Auditor(scoring=load_scoring(settings), settings_path=str(settings))


def test_the_agent_echoing_the_customer_is_marked(auditor):
    c = chat(("customer", 0, "淘宝上同款便宜十块"), ("agent", 1, "您好，淘宝的价格我们不清楚"))
    [f] = [f for f in auditor.audit(c).findings if f.rule == "platform-mention"]
    assert f.echo and f.match == "淘宝"


def test_the_agent_naming_a_platform_first_is_not_an_echo(auditor):
    c = chat(("customer", 0, "有便宜点的吗"), ("agent", 1, "您好，淘宝上有更便宜的"))
    [f] = [f for f in auditor.audit(c).findings if f.rule == "platform-mention"]
    assert not f.echo


def test_a_contact_the_customer_gave_is_an_echo_and_not_fatal(auditor):
    c = chat(("customer", 0, "我的微信号是 buyer_8866"), ("agent", 1, "您好，好的，微信 buyer_8866 已记下"))
    s = auditor.audit(c)
    leaks = [f for f in s.findings if f.rule == "contact-leak"]
    assert leaks and all(f.echo for f in leaks)
    assert not s.fatal and s.score > 0


def test_the_shops_own_contact_is_fatal(auditor):
    s = auditor.audit(chat(("customer", 0, "在吗"), ("agent", 1, "您好，加我微信 shop_8866 详细说")))
    assert any(f.rule == "contact-leak" and not f.echo for f in s.findings)
    assert s.fatal and s.score == 0


def test_the_shops_own_id_is_no_echo_of_the_customer_saying_wechat(auditor):
    c = chat(("customer", 0, "能加微信吗"), ("agent", 1, "您好，加我微信 shop_8866 详细说"))
    s = auditor.audit(c)
    leaks = [f for f in s.findings if f.rule == "contact-leak"]
    assert leaks and not any(f.echo for f in leaks)
    assert s.fatal


def test_score_is_100_less_the_points(auditor):
    clean = chat(("customer", 0, "在吗"), ("agent", 0.5, "您好，请问有什么可以帮您？"), ("customer", 1, "发货了吗"),
                 ("agent", 1.5, "已经发货了。感谢您的咨询，祝您生活愉快！"))
    assert auditor.audit(clean).findings == [] and auditor.audit(clean).score == 100
    worse = chat(("customer", 0, "在吗"), ("agent", 0.5, "发了"))  # no greeting (5), no close (5)
    s = auditor.audit(worse)
    assert rules_of(s) == Counter({"greeting-at-open": 1, "closing-thanks-wishes": 1})
    assert s.score == 100 - sum(f.points for f in s.findings) == 90


def test_spans_point_into_the_original_text(auditor):
    c = chat(("customer", 0, "在吗"), ("agent", 1, "您好！ＨＯＬＤ ＯＮ."))
    [f] = [f for f in auditor.audit(c).findings if f.rule == "hold-without-reason"]
    assert c.messages[1].text[f.span[0]:f.span[1]] == f.match == "ＨＯＬＤ ＯＮ"


def test_customer_findings_are_charged_to_the_agent_before(auditor):
    c = chat(("agent", 0, "您好"), ("customer", 1, "我刚刚说过了"))
    [f] = [f for f in auditor.audit(c).findings if f.rule == "customer-repeats"]
    assert f.role == "customer" and f.agent == "kf-1"


def test_broken_conversation_rule_files_name_the_problem(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text('id = "x"\nkind = "conversation"\nmessage = { en = "m" }\nforbid = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="bad pattern"):
        load_rule(path)
    path.write_text('id = "x"\nkind = "conversation"\nmessage = { en = "m" }\nwindow = { firts = 1 }\nforbid = ["a"]\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="window"):
        load_rule(path)


def test_templates_mask_digits_and_placeholders():
    assert template_of("您的订单123456已发货，{{name}}") == template_of("您的订单987已发货，{{other}}")
    assert template_of("Order 12 ships") != template_of("Order 12 shipped")


def test_progress_draws_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    now = [0.0]
    tty, plain = Tty(), io.StringIO()
    for stream in (tty, plain):
        bar = AuditProgress(stream, size=1000, clock=lambda: now[0])
        now[0] = 5.0
        bar.update(500, 120, 12)
        bar.close()
        now[0] = 0.0
    assert "50%" in tty.getvalue() and "120 messages" in tty.getvalue()
    assert plain.getvalue() == ""


# --- the command and its outputs ------------------------------------------------------------------

@pytest.fixture(scope="module")
def export(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "chats.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        assert write_synthetic(fh, 2000, seed=3) == 2000
    return path


class _Cells(HTMLParser):
    """The report's per-rule/agent/day counts (data-count cells in rows marked data-rule…)."""

    def __init__(self):
        super().__init__()
        self.row = None
        self.counts = {"rule": {}, "agent": {}, "day": {}}
        self.totals = {}
        self._total = None
        self.summary = ""
        self._in_summary = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("rule", "agent", "day"):
            if f"data-{key}" in a:
                self.row = (key, a[f"data-{key}"])
        if "data-count" in a and self.row:
            self.counts[self.row[0]][self.row[1]] = int(a["data-count"])
        if "data-total" in a:
            self._total = a["data-total"]
        if tag == "script" and a.get("id") == "replylint-summary":
            self._in_summary = True

    def handle_data(self, data):
        if self._total:
            self.totals[self._total] = data.strip()
            self._total = None
        if self._in_summary:
            self.summary += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_summary = False


def report_counts(html: str) -> _Cells:
    p = _Cells()
    p.feed(html)
    return p


def test_audit_writes_three_outputs_that_agree(run, export, tmp_path):
    r = run("audit", str(export), "--out", "f.jsonl", "--sessions", "s.csv", "--html", "r.html")
    assert r.exit_code == 0, r.stderr
    assert "Audited" in r.stderr
    findings = [json.loads(line) for line in Path("f.jsonl").read_text(encoding="utf-8").splitlines()]
    sessions = list(csv.DictReader(Path("s.csv").open(encoding="utf-8", newline="")))
    html = Path("r.html").read_text(encoding="utf-8")
    assert findings and sessions
    for f in findings:
        assert {"conversation", "message", "agent", "rule", "span"} <= set(f)
    # the sessions file against the findings file
    per_session = Counter(f["conversation"] for f in findings)
    assert {s["conversation"]: int(s["findings"]) for s in sessions if int(s["findings"])} == dict(per_session)
    for s in sessions:
        own = [f for f in findings if f["conversation"] == s["conversation"]]
        fatal = any(f["severity"] == "fatal" and not f["echo"] for f in own)
        assert float(s["score"]) == (0 if fatal else max(0, 100 - sum(f["points"] for f in own)))
    # the report against the findings file
    cells = report_counts(html)
    assert cells.counts["rule"] == dict(Counter(f["rule"] for f in findings))
    assert cells.counts["agent"] == {a: n for a, n in Counter(f["agent"] or "(none)" for f in findings).items()} | {
        a: 0 for a in cells.counts["agent"] if a not in {f["agent"] for f in findings}}
    assert cells.counts["day"] == {d: n for d, n in Counter(f["day"] for f in findings).items()} | {
        d: 0 for d in cells.counts["day"] if d not in {f["day"] for f in findings}}
    assert int(cells.totals["findings"]) == len(findings)
    assert int(cells.totals["conversations"]) == len(sessions)
    assert int(cells.totals["fatal_sessions"]) == sum(s["fatal"] == "yes" for s in sessions)
    assert int(cells.totals["echo"]) == sum(f["echo"] for f in findings)
    summary = json.loads(cells.summary)
    assert summary["totals"]["findings"] == len(findings)
    # it is self-contained: nothing is fetched
    assert "http://" not in html.replace('http://www.w3.org', '') and "https://" not in html and "<link" not in html
    assert "src=" not in html


def test_audit_rules_fire_on_the_synthetic_export(run, export):
    r = run("audit", str(export), "--out", "f.jsonl")
    assert r.exit_code == 0, r.stderr
    rules = Counter(json.loads(line)["rule"] for line in Path("f.jsonl").read_text(encoding="utf-8").splitlines())
    conversation_rules = {p.stem for p in (Path(__file__).resolve().parents[1] / "conversation-rules").glob("*.toml")}
    assert conversation_rules <= set(rules), conversation_rules - set(rules)
    assert {"absolute-promise", "contact-leak", "platform-mention"} <= set(rules)


def test_audit_without_outputs_prints_findings(run, tmp_path):
    path = _jsonl(tmp_path / "x.jsonl", [{"conversation_id": "a", "role": "agent", "agent_id": "k", "text": "我们保证明天发货"}])
    r = run("audit", str(path))
    assert r.exit_code == 0
    rules = {json.loads(line)["rule"] for line in r.stdout.splitlines()}
    assert {"absolute-promise", "greeting-at-open"} <= rules


@pytest.mark.parametrize("content, message", [
    ('{"conversation_id": "a", "role": "agent", "text": "x"}\nnot json\n', "x.jsonl:2: not JSON"),
    ('{"conversation_id": "a", "role": "robot", "text": "x"}\n', "x.jsonl:1: role 'robot'"),
])
def test_audit_bad_input_exits_2_with_one_line(run_process, tmp_path, content, message):
    (tmp_path / "x.jsonl").write_text(content, encoding="utf-8")
    p = run_process("audit", "x.jsonl", "--out", "f.jsonl")
    err = p.stderr.decode("utf-8")
    assert p.returncode == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_an_unwritable_output_fails_before_the_work(run, tmp_path):
    path = _jsonl(tmp_path / "x.jsonl", [{"conversation_id": "a", "role": "agent", "text": "x"}])
    r = run("audit", str(path), "--html", str(tmp_path / "no" / "such" / "dir" / "r.html"))
    assert r.exit_code == 2 and "cannot write" in r.stderr


def test_audit_with_a_mapping(run, tmp_path):
    rows = [r for r, _, _ in MAPPING_SAMPLES["jd-dongdong"]]
    rows.append(dict(rows[1], content="亲，我们保证明天到，加我微信 kf_1234"))
    path = _jsonl(tmp_path / "dd.jsonl", rows)
    r = run("audit", str(path), "--map", "jd-dongdong", "--platform", "jd", "--sessions", "s.csv", "--out", "f.jsonl")
    assert r.exit_code == 0, r.stderr
    [s] = list(csv.DictReader(Path("s.csv").open(encoding="utf-8", newline="")))
    assert s["conversation"] == "s1" and s["agent"] == "jd_kf01" and s["fatal"] == "yes" and s["score"] == "0"


def test_docs_show_every_mapping_and_rule():
    root = Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "audit.md").read_text(encoding="utf-8")
    for name in bundled_mappings():
        assert f"| `{name}` |" in doc, name
    for rule in (root / "conversation-rules").glob("*.toml"):
        assert f"| `{rule.stem}` |" in doc, rule.stem
    assert "images/audit-report.png" in doc and (root / "docs" / "images" / "audit-report.png").is_file()


def test_a_very_long_conversation_is_audited_quickly(auditor):
    """A 4,000-message session where every message is an anchor: windows after anchors walk only as
    far as they reach, so this stays well inside the bound (a guard against quadratic blow-ups)."""
    import time

    rows = []
    for i in range(2000):
        rows += [("customer", i, "谢谢，我刚刚说过了"), ("agent", i + 0.5, "我帮您查一下，请稍等")]
    c = chat(*rows)
    start = time.perf_counter()
    s = auditor.audit(c)
    assert time.perf_counter() - start < 15
    assert rules_of(s)["customer-repeats"] == 2000


def test_a_gb18030_csv_export_with_its_codec(run, tmp_path):
    """千牛 and other Chinese back offices export CSV in GBK/GB18030."""
    text = "direction,from_id,to_id,time,content\nrecv,买家甲,店铺:lily,2026-11-02 10:00:00,在吗\nsend,店铺:lily,买家甲,2026-11-02 10:00:20,我们保证明天发货\n"
    path = tmp_path / "qn.csv"
    path.write_bytes(text.encode("gb18030"))
    bad = run("audit", str(path), "--map", "qianniu", "--out", "f.jsonl")
    assert bad.exit_code == 2 and "--encoding" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    r = run("audit", str(path), "--map", "qianniu", "--encoding", "gb18030", "--out", "f.jsonl")
    assert r.exit_code == 0, r.stderr
    findings = [json.loads(line) for line in Path("f.jsonl").read_text(encoding="utf-8").splitlines()]
    promise = [f for f in findings if f["rule"] == "absolute-promise"]
    assert promise and promise[0]["conversation"] == "买家甲" and promise[0]["agent"] == "店铺:lily" and promise[0]["match"] == "保证"


def test_a_csv_with_dotted_column_names(tmp_path):
    """A flattened Intercom export names its columns author.type, author.id."""
    path = tmp_path / "ic.csv"
    path.write_text("conversation_id,id,part_type,body,created_at,author.type,author.id\n"
                    "a,1,comment,<p>hi</p>,1793613600,user,u1\na,2,comment,<b>Hello</b>,1793613660,admin,42\n", encoding="utf-8")
    [c] = list(conversations(Records(str(path)), load_mapping("intercom")))
    assert [(m.role, m.agent_id, m.text) for m in c.messages] == [("customer", "", "hi"), ("agent", "42", "Hello")]
