"""The language server: position encodings, buffer linting, and a real LSP session over stdio."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Optional

import pytest
from rulefile import write_rule

from replylint.app.explain import explain_rule
from replylint.app.lsp.actions import code_actions
from replylint.app.lsp.linting import BufferLinter
from replylint.app.lsp.positions import PositionMap
from replylint.config import Config
from replylint.engine import Linter

# Characters outside the BMP: one code point, two UTF-16 code units, four UTF-8 bytes.
WIDE = "😀𠀀"
PROMISE = WIDE + "您的订单已发货,我保证明天到。"  # 保证 is at code point 11
CLEAN = "您的订单已发货,我们会尽快为您安排。"


# -- positions --------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, character", [("utf-32", 11), ("utf-16", 13), ("utf-8", 33)])
def test_position_counts_the_negotiated_units(encoding, character):
    pmap = PositionMap(PROMISE, encoding)
    start = PROMISE.index("保证")
    assert pmap.position(start) == (0, character)
    assert pmap.offset(0, character) == start
    assert pmap.offset(*pmap.position(start + 2)) == start + 2


def test_positions_on_later_lines_and_line_endings():
    text = "亲\r\n" + WIDE + "x\ry\n"
    pmap = PositionMap(text, "utf-16")
    assert pmap.position(text.index("x")) == (1, 4)
    assert pmap.position(text.index("y")) == (2, 0)
    assert pmap.position(text.index("\r\n") + 1) == (0, 1)  # inside \r\n: end of the line
    assert pmap.offset(1, 4) == text.index("x")


def test_out_of_range_positions_are_clamped():
    text = "ab\n" + WIDE
    pmap = PositionMap(text, "utf-16")
    assert pmap.offset(0, 99) == 2  # past the line's end: the end of the line
    assert pmap.offset(7, 0) == len(text)  # past the last line: the end of the text
    assert pmap.offset(-1, -5) == 0
    assert pmap.offset(1, 1) == 3  # inside the surrogate pair of 😀: rounds down
    assert pmap.position(10_000) == (1, 4)
    with pytest.raises(ValueError):
        PositionMap(text, "utf-7")


# -- buffer linting ---------------------------------------------------------------------------
def test_buffer_config_comes_from_the_documents_folder(tmp_path):
    shop = tmp_path / "jd-shop"
    shop.mkdir()
    (shop / ".replylint.toml").write_text('platform = "jd"\n', encoding="utf-8")
    buffers = BufferLinter(tmp_path)
    text = "京东的价格和淘宝不一样。"
    _, inside = buffers.lint(text, shop / "reply.txt")
    _, outside = buffers.lint(text, tmp_path / "reply.txt")
    assert [text[d.start:d.end] for d in inside] == ["淘宝"]
    assert sorted(text[d.start:d.end] for d in outside) == ["京东", "淘宝"]


def test_buffer_kind_from_file_type_and_one_linter_per_config(tmp_path):
    (tmp_path / ".replylint.toml").write_text("", encoding="utf-8")
    buffers = BufferLinter(tmp_path)
    letter = "订单已发货。\n"
    first, as_email = buffers.lint(letter, tmp_path / "reply.eml")
    second, as_chat = buffers.lint(letter, tmp_path / "reply.txt")
    assert {d.rule for d in as_email} == {"missing-greeting", "missing-signoff"}
    assert as_chat == []
    assert first is second  # warm: compiled once per config
    config = tmp_path / ".replylint.toml"
    config.write_text('kind = "email"\n', encoding="utf-8")
    os.utime(config, ns=(time.time_ns(), time.time_ns() + 10**9))
    buffers.forget()
    third, now_email = buffers.lint(letter, tmp_path / "reply.txt")
    assert third is not first
    assert {d.rule for d in now_email} == {"missing-greeting", "missing-signoff"}


def test_buffer_linter_compiles_again_when_a_team_rule_file_changes(tmp_path):
    (tmp_path / ".replylint.toml").write_text('rule-paths = ["team-rules"]\n', encoding="utf-8")
    rule = write_rule(tmp_path / "team-rules", "no-lottery", "wordlist", "[[entries]]\nwords = ['抽奖']")
    buffers = BufferLinter(tmp_path)
    text = "好评返现,还能参加抽奖。"
    first, found = buffers.lint(text, tmp_path / "reply.txt")
    assert [text[d.start:d.end] for d in found if d.rule == "no-lottery"] == ["抽奖"]
    assert buffers.lint(text, tmp_path / "reply.txt")[0] is first  # unchanged: still warm
    write_rule(tmp_path / "team-rules", "no-lottery", "wordlist", "[[entries]]\nwords = ['好评返现']")
    os.utime(rule, ns=(time.time_ns(), time.time_ns() + 10**9))
    second, found = buffers.lint(text, tmp_path / "reply.txt")  # no forget(): the stamp differs
    assert second is not first
    assert [text[d.start:d.end] for d in found if d.rule == "no-lottery"] == ["好评返现"]
    write_rule(tmp_path / "team-rules" / "more", "no-joining", "wordlist", "[[entries]]\nwords = ['参加']")
    third, found = buffers.lint(text, tmp_path / "reply.txt")
    assert third is not second and "no-joining" in {d.rule for d in found}


def test_buffer_offsets_survive_a_byte_order_mark_and_lone_surrogates(tmp_path):
    buffers = BufferLinter(tmp_path)
    for text in ("\ufeff" + PROMISE, "\ud800" + PROMISE):
        _, found = buffers.lint(text, tmp_path / "a.txt")
        assert [text[d.start:d.end] for d in found] == ["保证"]


def test_json_templates_are_read_as_check_reads_them_and_edits_stay_inside_the_string(tmp_path):
    buffers = BufferLinter(tmp_path)
    text = '[{"kind": "email", "text": "我们保证明天发货。\\n你必须先付款。\\n客服小李"}]\n'
    linter, found = buffers.lint(text, tmp_path / "replies.json")
    assert [(d.rule, text[d.start:d.end]) for d in found] == [
        ("missing-greeting", "我们保证明天发货。"),
        ("absolute-promise", "保证"),
        ("commanding-you", "你必须"),
    ]
    rules = {r.id: r for r in linter.all_rules}
    uri = (tmp_path / "replies.json").as_uri()
    actions = code_actions(uri, PositionMap(text), found, rules, 0, len(text))
    edits = [e.new_text for a in actions for e in a.edit.changes[uri]]
    assert "尽力" in edits and "请您" in edits
    assert not any(c in e for e in edits for c in '"\\\n')


def test_quick_fixes_insert_a_missing_greeting_where_it_belongs(tmp_path):
    linter = Linter(Config(root=tmp_path))
    text = "订单已发货。\n祝您生活愉快!\n客服小李"
    found = linter.lint(text, kind="email")
    [d] = found
    assert d.rule == "missing-greeting"
    rules = {r.id: r for r in linter.all_rules}
    actions = code_actions("file:///x.eml", PositionMap(text), found, rules, d.start, d.start)
    [edit] = actions[0].edit.changes["file:///x.eml"]
    assert (edit.range.start.line, edit.range.start.character) == (0, 0)
    assert edit.range.start == edit.range.end
    fixed = edit.new_text + text
    assert linter.lint(fixed, kind="email") == []


def test_quick_fix_prefers_the_rules_own_fix(tmp_path):
    linter = Linter(Config(root=tmp_path))
    text = "你必须先付款。"
    found = linter.lint(text)
    d = next(d for d in found if d.fix is not None)
    rules = {r.id: r for r in linter.all_rules}
    actions = code_actions("file:///x.txt", PositionMap(text), found, rules, d.start, d.end)
    first = actions[0]
    assert first.edit.changes["file:///x.txt"][0].new_text == d.fix.replacement
    assert bool(first.is_preferred) == d.fix.safe
    # Suggestions with a gap inside (我希望您…,这样比较合适) are advice, not replacement text.
    assert all("…" not in e.new_text for a in actions for e in a.edit.changes["file:///x.txt"])


# -- a real session over stdio ----------------------------------------------------------------
class LspClient:
    """A minimal LSP client: Content-Length framing over the server's stdin and stdout."""

    def __init__(self, cwd: Path) -> None:
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "replylint", "lsp"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env,
        )
        self.messages: "queue.Queue[Optional[dict]]" = queue.Queue()
        self.seen: list[dict] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put(json.loads(out.read(length)))

    def write(self, body: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message: dict) -> None:
        self.write(json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8"))

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        wanted = self.next_id
        return self.wait(lambda m: m.get("id") == wanted and "method" not in m)

    def wait(self, pred: Callable[[dict], bool], timeout: float = 60) -> dict:
        for m in self.seen:
            if pred(m):
                self.seen.remove(m)
                return m
        deadline = time.monotonic() + timeout
        while True:
            m = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            if m is None:
                raise EOFError("the server closed its output")
            if pred(m):
                return m
            self.seen.append(m)

    def diagnostics(self, uri: str, version: Optional[int] = None) -> dict:
        """The next publishDiagnostics for ``uri`` (at ``version``, if given)."""
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri
                         and (version is None or m["params"].get("version") == version))["params"]

    def initialize(self, root: Path, encodings: Optional[list[str]] = None) -> dict:
        caps: dict = {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}}
        if encodings is not None:
            caps["general"] = {"positionEncodings": encodings}
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": caps})
        self.notify("initialized", {})
        return result["result"]["capabilities"]

    def open(self, path: Path, text: str, version: int = 1) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": "plaintext", "version": version, "text": text}})
        return uri

    def stop(self) -> int:
        assert self.request("shutdown", None)["result"] is None
        self.notify("exit", None)
        return self.proc.wait(timeout=30)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _span(d: dict) -> tuple[int, int, int, int]:
    r = d["range"]
    return r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"]


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """One server for the session tests: starting one loads jieba, which takes a second."""
    root = tmp_path_factory.mktemp("workspace")
    client = LspClient(root)
    client.root = root
    client.capabilities = client.initialize(root)  # no encodings offered: UTF-16, the LSP default
    yield client
    client.kill()


def test_session_negotiates_utf16_by_default(session):
    assert session.capabilities.get("positionEncoding", "utf-16") == "utf-16"  # omitted means UTF-16
    assert session.capabilities["codeActionProvider"]
    assert session.capabilities["hoverProvider"]


def test_session_open_fix_and_clear(session):
    uri = session.open(session.root / "promise.txt", PROMISE)
    [d] = session.diagnostics(uri)["diagnostics"]
    assert (d["code"], d["source"], d["severity"]) == ("absolute-promise", "replylint", 2)
    assert _span(d) == (0, 13, 0, 15)  # 😀 and 𠀀 are two UTF-16 units each

    reply = session.request("textDocument/codeAction",
                            {"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}})
    fixes = reply["result"]
    assert fixes and all(a["kind"] == "quickfix" for a in fixes)
    [edit] = fixes[0]["edit"]["changes"][uri]
    assert edit["range"] == d["range"]
    only_source = session.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d["range"],
                                                              "context": {"diagnostics": [d], "only": ["source"]}})
    assert only_source["result"] == []
    # Apply the fix as an incremental change at the server's own UTF-16 range: the draft is clean.
    session.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                              "contentChanges": [{"range": edit["range"], "text": edit["newText"]}]})
    assert session.diagnostics(uri, version=2)["diagnostics"] == []
    # Back to the bad text, then a full replacement with clean text clears it again.
    session.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": PROMISE}]})
    assert [x["code"] for x in session.diagnostics(uri, version=3)["diagnostics"]] == ["absolute-promise"]
    session.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": CLEAN}]})
    assert session.diagnostics(uri, version=4)["diagnostics"] == []


def test_session_hover_explains_the_rule_under_the_cursor(session):
    text = "我们保证明天发货。"
    uri = session.open(session.root / "hover.txt", text)
    [d] = session.diagnostics(uri)["diagnostics"]
    at = {"line": 0, "character": text.index("证")}
    reply = session.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": at})
    contents = reply["result"]["contents"]
    rule = next(r for r in Linter(Config(root=session.root)).all_rules if r.id == d["code"])
    assert contents["kind"] == "markdown"
    assert explain_rule(rule) in contents["value"]
    assert d["message"] in contents["value"]
    away = session.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}})
    assert away["result"] is None


def test_session_reads_the_workspace_config_and_file_type(session):
    shop = session.root / "jd-shop"
    shop.mkdir()
    (shop / ".replylint.toml").write_text('platform = "jd"\n', encoding="utf-8")
    uri = session.open(shop / "compare.txt", "京东的价格和淘宝不一样。")
    found = session.diagnostics(uri)["diagnostics"]
    assert [(d["code"], _span(d)) for d in found] == [("platform-mention", (0, 6, 0, 8))]
    letter = session.open(shop / "letter.eml", "订单已发货。\n")
    assert {d["code"] for d in session.diagnostics(letter)["diagnostics"]} == {"missing-greeting", "missing-signoff"}


def test_session_and_check_find_the_same_config_for_a_nested_file(session, tmp_path):
    """Issue 17: the server and `replylint check` (run from another folder) use one search
    (config.config_for_file), so a file has the same findings in both."""
    import json
    import subprocess
    import sys

    nested = session.root / "tb-shop" / "a" / "b"
    nested.mkdir(parents=True)
    (session.root / "tb-shop" / ".replylint.toml").write_text('platform = "taobao"\n', encoding="utf-8")
    text = "京东的价格和淘宝不一样。\n"
    (nested / "r.txt").write_text(text, encoding="utf-8")
    uri = session.open(nested / "r.txt", text)
    editor = [(d["code"], _span(d)) for d in session.diagnostics(uri)["diagnostics"]]
    p = subprocess.run([sys.executable, "-m", "replylint", "check", "--format", "json", str(nested / "r.txt")],
                       capture_output=True, cwd=tmp_path, timeout=120)
    cli = [(d["rule"], (d["line"] - 1, d["column"] - 1, d["end_line"] - 1, d["end_column"] - 1))
           for d in json.loads(p.stdout)["diagnostics"]]
    assert editor == cli == [("platform-mention", (0, 0, 0, 2))]


def test_session_relints_open_buffers_when_a_config_is_saved(session):
    shop = session.root / "new-shop"
    shop.mkdir()
    uri = session.open(shop / "compare.txt", "京东的价格和淘宝不一样。")
    assert [d["code"] for d in session.diagnostics(uri)["diagnostics"]] == ["platform-mention"] * 2
    config = shop / ".replylint.toml"
    config.write_text('platform = "jd"\n', encoding="utf-8")
    session.notify("textDocument/didSave", {"textDocument": {"uri": config.as_uri()}})
    [d] = session.diagnostics(uri)["diagnostics"]
    assert _span(d) == (0, 6, 0, 8)


def test_session_relints_open_buffers_when_a_team_rule_file_is_saved(session):
    shop = session.root / "rule-shop"
    (shop / "rules").mkdir(parents=True)
    (shop / ".replylint.toml").write_text('rule-paths = ["rules"]\n', encoding="utf-8")
    write_rule(shop / "rules", "no-lottery", "wordlist", "[[entries]]\nwords = ['抽奖']")
    uri = session.open(shop / "reply.txt", "好评返现,还能参加抽奖。")
    # 好评返现 is also the bundled review-bribery's; only the team rule is followed here.
    team = lambda: [d for d in session.diagnostics(uri)["diagnostics"] if d["code"] != "review-bribery"]  # noqa: E731
    assert [d["code"] for d in team()] == ["no-lottery"]
    rule = write_rule(shop / "rules", "no-lottery", "wordlist", "[[entries]]\nwords = ['好评返现']")
    os.utime(rule, ns=(time.time_ns(), time.time_ns() + 10**9))
    session.notify("textDocument/didSave", {"textDocument": {"uri": rule.as_uri()}})
    [d] = team()
    assert (d["code"], _span(d)) == ("no-lottery", (0, 0, 0, 4))


def test_session_publishes_only_the_latest_text_of_a_burst(session):
    uri = session.open(session.root / "burst.txt", CLEAN)
    session.diagnostics(uri, version=1)
    last = 30
    for v in range(2, last + 1):
        text = PROMISE if v % 2 else CLEAN
        session.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": text}]})
    final = session.diagnostics(uri, version=last)
    assert final["diagnostics"] == []  # version 30 is the clean text
    versions = [m["params"]["version"] for m in session.seen
                if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]
    assert versions == sorted(versions)  # nothing stale published after a newer text


def test_session_drops_results_for_text_changed_while_linting(session):
    uri = session.open(session.root / "race.txt", PROMISE * 3000)  # long enough to still be linting
    session.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": CLEAN}]})
    assert session.diagnostics(uri, version=2)["diagnostics"] == []
    assert not any(m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                   for m in session.seen)


def test_session_survives_malformed_input(session):
    uri = session.open(session.root / "robust.txt", PROMISE)
    session.diagnostics(uri)
    session.write(b"{not json")
    session.send({"id": 900, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}}})
    error = session.wait(lambda m: m.get("id") == 900)
    assert "error" in error
    session.request("textDocument/codeAction", {"textDocument": {"uri": "file:///nowhere.txt"},
                                                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
                                                "context": {"diagnostics": []}})
    session.notify("textDocument/didChange", {"textDocument": {"uri": "file:///never-opened.txt", "version": 2},
                                              "contentChanges": [{"text": "x"}]})
    # An incremental change far outside the text is clamped to its end.
    far = {"start": {"line": 999, "character": 5}, "end": {"line": 1000, "character": 0}}
    session.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                              "contentChanges": [{"range": far, "text": "您必须先付款。"}]})
    codes = [d["code"] for d in session.diagnostics(uri, version=2)["diagnostics"]]
    assert codes == ["absolute-promise", "commanding-you"]
    def code_action(start: dict, end: dict) -> dict:
        return session.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": {"start": start, "end": end},
                                                           "context": {"diagnostics": []}})

    backwards = code_action({"line": 50, "character": 999}, {"line": 0, "character": 0})
    assert {a["diagnostics"][0]["code"] for a in backwards["result"]} == {"absolute-promise", "commanding-you"}
    assert code_action({"line": 0, "character": -3}, {"line": 0, "character": 0})["error"]["code"] == -32602
    broken = session.open(session.root / "replies.json", '[{"text": "我们保证')  # mid-edit JSON
    [problem] = session.diagnostics(broken)["diagnostics"]
    assert (problem["code"], problem["severity"]) == ("input-error", 1) and "invalid JSON" in problem["message"]
    huge = session.open(session.root / "huge.txt", PROMISE * 40_000)
    assert session.diagnostics(huge)["diagnostics"] == []
    session.wait(lambda m: m.get("method") == "window/showMessage" and "not linted" in m["params"]["message"])
    # Still serving.
    reply = session.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 13}})
    assert "absolute-promise" in reply["result"]["contents"]["value"]
    assert session.proc.poll() is None


def test_session_reports_a_bad_config_once_and_keeps_serving(session):
    bad = session.root / "bad"
    bad.mkdir()
    (bad / ".replylint.toml").write_text('platform = 3\n', encoding="utf-8")
    first = session.open(bad / "a.txt", PROMISE)
    assert session.diagnostics(first)["diagnostics"] == []
    def about_config(m: dict) -> bool:
        return m.get("method") == "window/showMessage" and str(bad / ".replylint.toml") in m["params"]["message"]

    assert session.wait(about_config)["params"]["type"] == 1  # an error
    second = session.open(bad / "b.txt", PROMISE)
    session.diagnostics(second)
    time.sleep(0.3)
    session.request("textDocument/hover", {"textDocument": {"uri": second}, "position": {"line": 0, "character": 0}})
    assert not any(about_config(m) for m in session.seen)


def test_utf32_session_and_clean_exit(tmp_path):
    client = LspClient(tmp_path)
    try:
        caps = client.initialize(tmp_path, encodings=["utf-32", "utf-16"])
        assert caps["positionEncoding"] == "utf-32"
        uri = client.open(tmp_path / "a.txt", "\n" + PROMISE)
        [d] = client.diagnostics(uri)["diagnostics"]
        assert _span(d) == (1, 11, 1, 13)
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        assert client.diagnostics(uri)["diagnostics"] == []
        assert client.stop() == 0
    finally:
        client.kill()


def test_exit_without_shutdown_is_an_error(tmp_path):
    client = LspClient(tmp_path)
    try:
        client.initialize(tmp_path)
        client.notify("exit", None)
        assert client.proc.wait(timeout=30) == 1
    finally:
        client.kill()


def test_session_survives_a_too_short_content_length(tmp_path):
    """Issue 18: one message whose Content-Length is too short used to wedge the server for good."""
    client = LspClient(tmp_path)
    try:
        client.initialize(tmp_path)
        uri = client.open(tmp_path / "a.txt", PROMISE)
        client.diagnostics(uri)
        body = json.dumps({"jsonrpc": "2.0", "id": 800, "method": "textDocument/hover",
                           "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 13}}}).encode()
        assert client.proc.stdin is not None
        client.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % (len(body) - 12) + body)
        client.proc.stdin.flush()
        reply = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 13}})
        assert "absolute-promise" in reply["result"]["contents"]["value"]
        assert client.stop() == 0  # shutdown and exit still honoured
    finally:
        client.kill()


def test_session_says_when_it_loses_track_of_a_buffer(tmp_path):
    """Issue 18: a didChange with bad positions was dropped silently and the buffer drifted."""
    client = LspClient(tmp_path)
    try:
        client.initialize(tmp_path)
        uri = client.open(tmp_path / "a.txt", "我们\n明天到。")
        assert client.diagnostics(uri, version=1)["diagnostics"] == []
        # A character past the line's end means the line's end (LSP): 保证 lands on line 0.
        past = {"start": {"line": 0, "character": 99}, "end": {"line": 0, "character": 99}}
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"range": past, "text": "保证"}]})
        [d] = client.diagnostics(uri, version=2)["diagnostics"]
        assert _span(d) == (0, 2, 0, 4)
        for version, bad in ((3, {"start": {"line": 1, "character": 2}, "end": {"line": 0, "character": 0}}),
                             (5, {"start": {"line": 0, "character": -1}, "end": {"line": 0, "character": 0}})):
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [{"range": bad, "text": "x"}]})
            said = client.wait(lambda m: m.get("method") == "window/showMessage" and "a.txt" in m["params"]["message"])
            assert "reopen" in said["params"]["message"]
            assert client.diagnostics(uri)["diagnostics"] == []  # findings at unknown positions cleared
            # The whole text again re-synchronises.
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version + 1},
                                                     "contentChanges": [{"text": PROMISE}]})
            assert [x["code"] for x in client.diagnostics(uri, version=version + 1)["diagnostics"]] == ["absolute-promise"]
        assert client.stop() == 0
    finally:
        client.kill()
