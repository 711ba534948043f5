"""Reading drafts: every format places its findings on the right line and column of the file,
encodings are detected and written back as read, and bad input gives one line and exit 2."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from replylint.app.run import lint_source
from replylint.config import Config
from replylint.engine import Linter
from replylint.errors import InputError
from replylint.input import sources
from replylint.input.readers import ReadOptions, plain
from replylint.input.readers.decode import BinaryFile, decode, plausibility
from replylint.input.sources import load_source, read_options, read_source

FIX = Path(__file__).parent / "fixtures" / "inputs"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Config())


def spans(linter: Linter, path: Path | str, **config) -> list[tuple[str, int, int, int, int]]:
    """(rule, line, column, end line, end column) of every finding in a file."""
    if config:
        linter = Linter(Config(**config))
    result = lint_source(linter, read_source(str(path), read_options(linter.config)))
    return [(d.rule, d.line, d.column, d.end_line, d.end_column) for d in result.diagnostics]


def text_at(path: Path, line: int, column: int, end_column: int, encoding: str = "utf-8") -> str:
    return path.read_text(encoding=encoding).split("\n")[line - 1][column - 1 : end_column - 1]


# -- formats ---------------------------------------------------------------------------------------

def test_txt_whole_file_is_one_draft(linter, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("您好。\n\n亲，我们保证明天发货\n", encoding="utf-8")
    assert spans(linter, f) == [("absolute-promise", 3, 5, 3, 7)]


def test_markdown_prose_only_with_file_positions(linter):
    found = spans(linter, FIX / "reply.md", markdown_templates="sections")
    # Front matter (line 2), inline code (6), fenced (9) and indented (12) code and comments
    # (17, 18) are skipped; an indented line continuing a list item (15) is prose.
    assert found == [
        ("absolute-promise", 6, 6, 6, 8),
        ("absolute-promise", 15, 7, 15, 9),
        ("absolute-promise", 18, 20, 18, 22),
    ]
    for _, line, col, _, end in found:
        assert text_at(FIX / "reply.md", line, col, end) == "保证"


def test_markdown_auto_lints_the_fenced_blocks_when_there_are_any(linter):
    # reply.md has one fenced block (line 9): by default, that block is the file's template.
    assert spans(linter, FIX / "reply.md") == [("absolute-promise", 9, 3, 9, 5)]


def test_markdown_toml_front_matter_and_tilde_fence(linter, tmp_path):
    f = tmp_path / "a.md"
    f.write_text("+++\ntitle = '我们保证'\n+++\n~~~~\n我们保证\n~~~~\n``我们`保证``，我们保证\n", encoding="utf-8")
    assert spans(linter, f, markdown_templates="paragraphs") == [("absolute-promise", 7, 13, 7, 15)]
    assert spans(linter, f) == [("absolute-promise", 5, 3, 5, 5)]


def test_markdown_unclosed_fence_hides_the_rest(linter, tmp_path):
    f = tmp_path / "a.md"
    f.write_text("好的\n```\n我们保证\n", encoding="utf-8")
    assert spans(linter, f, markdown_templates="sections") == []


def test_markdown_offsets_survive_crlf(linter, tmp_path):
    f = tmp_path / "a.md"
    f.write_bytes("<!-- x -->\r\n`code`我们保证\r\n".encode("utf-8"))
    assert spans(linter, f) == [("absolute-promise", 2, 9, 2, 11)]


def test_eml_verbatim_body_line_and_subject(linter):
    found = spans(linter, FIX / "alternative.eml")
    assert found == [("absolute-promise", 14, 7, 14, 9)]
    assert text_at(FIX / "alternative.eml", 14, 7, 9) == "保证"


def test_eml_encoded_subject_and_quoted_printable_body(linter):
    # Neither is verbatim in the file: the subject points at its header value, the body at its first line.
    found = spans(linter, FIX / "order-qp.eml")
    assert found == [("absolute-promise", 1, 10, 1, 10), ("absolute-promise", 8, 1, 8, 1)]


def test_eml_body_is_an_email_and_subject_is_not(linter, tmp_path):
    f = tmp_path / "a.eml"
    f.write_text("Subject: 退款\nFrom: a@example.com\n\n退款已处理。\n", encoding="utf-8")
    rules = [r for r, *_ in spans(linter, f)]
    assert rules.count("missing-greeting") == 1 and rules.count("missing-signoff") == 1
    src = read_source(str(f))
    assert [(s.label, s.kind) for s in src.segments] == [("subject", "chat"), ("body", "email")]


def test_eml_base64_body_decoded(linter, tmp_path):
    import base64

    body = base64.b64encode("亲，我们保证明天发货\n".encode("utf-8")).decode()
    f = tmp_path / "a.eml"
    f.write_text(f"Subject: x\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{body}\n")
    assert ("absolute-promise", 5, 1, 5, 1) in spans(linter, f)


def test_eml_without_headers_is_a_letter(linter, tmp_path):
    f = tmp_path / "a.eml"
    f.write_text("亲，我们保证明天发货\n", encoding="utf-8")
    assert ("absolute-promise", 1, 5, 1, 7) in spans(linter, f)


def test_json_entries_with_escapes(linter):
    found = spans(linter, FIX / "templates.json")
    assert found == [
        ("absolute-promise", 2, 29, 2, 31),  # after a \n escape
        ("absolute-promise", 3, 24, 3, 26),  # after three \uXXXX escapes
        ("absolute-promise", 4, 29, 4, 31),  # after a surrogate pair (one character)
        ("commanding-you", 6, 13, 6, 16),
    ]
    src = read_source(str(FIX / "templates.json"))
    assert [s.platform for s in src.segments][:3] == [None, None, "jd"]
    assert src.segments[0].kind == "chat"


def test_jsonl_each_line_an_entry_with_kind(linter):
    assert spans(linter, FIX / "templates.jsonl") == [
        ("absolute-promise", 1, 16, 1, 18),
        ("absolute-promise", 2, 4, 2, 6),
        ("missing-signoff", 4, 25, 4, 33),  # "kind": "email" on the entry
        ("absolute-promise", 4, 31, 4, 33),
    ]


def test_yaml_entries_on_the_right_lines(linter):
    found = spans(linter, FIX / "templates.yaml")
    assert found == [
        ("absolute-promise", 2, 5, 2, 7),
        ("absolute-promise", 5, 7, 5, 9),  # literal block
        ("absolute-promise", 7, 17, 7, 19),  # double-quoted with an escape
        ("absolute-promise", 11, 5, 11, 7),  # folded block
    ]
    for _, line, col, _, end in found:
        assert text_at(FIX / "templates.yaml", line, col, end) == "保证"


def test_yaml_keyed_mappings_but_not_plain_strings(linter):
    assert spans(linter, FIX / "keyed.yaml") == [
        ("absolute-promise", 2, 13, 2, 15),
        ("absolute-promise", 4, 15, 4, 17),
    ]


def test_csv_rows_with_quotes_and_newlines(linter):
    # Row 1 is inside quotation marks (left alone), row 2 suppressed by its column.
    assert spans(linter, FIX / "templates.csv") == [
        ("absolute-promise", 5, 5, 5, 7),
        ("missing-signoff", 6, 4, 6, 11),
        ("absolute-promise", 6, 9, 6, 11),
    ]


def test_csv_quoted_field_offsets(linter, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text('id,reply\n1,"他说""好""，\n我们保证"\n', encoding="utf-8")
    assert spans(linter, f) == [("absolute-promise", 3, 3, 3, 5)]


def test_text_field_option_and_config(linter, tmp_path):
    f = tmp_path / "a.json"
    f.write_text('[{"text": "好的", "answer": "我们保证"}]', encoding="utf-8")
    assert spans(linter, f) == []
    assert spans(linter, f, text_field="answer") == [("absolute-promise", 1, 30, 1, 32)]


def test_text_field_cli(run, tmp_path):
    (tmp_path / "a.csv").write_text("id,answer\n1,我们保证\n", encoding="utf-8")
    assert run("check", "a.csv").exit_code == 0
    r = run("check", "--text-field", "answer", "--format", "json", "a.csv")
    assert r.exit_code == 1 and [(d["line"], d["column"]) for d in json.loads(r.stdout)["diagnostics"]] == [(2, 5)]
    (tmp_path / ".replylint.toml").write_text('text-field = "answer"\n', encoding="utf-8")
    assert run("check", "a.csv").exit_code == 1


def test_folder_skips_config_json_and_yaml(run, tmp_path):
    for name in ("package.json", "pre-commit-config.yaml", "templates.json"):
        shutil.copy(FIX / name, tmp_path / name)
    os.rename(tmp_path / "pre-commit-config.yaml", tmp_path / ".pre-commit-config.yaml")
    r = run("check", "--format", "json", ".")
    assert r.exit_code == 1 and r.stderr == ""
    assert {Path(d["path"]).name for d in json.loads(r.stdout)["diagnostics"]} == {"templates.json"}


def test_entry_with_bad_kind_is_an_input_error(run, tmp_path):
    (tmp_path / "a.json").write_text('[\n {"text": "好", "kind": "sms"}]', encoding="utf-8")
    r = run("check", "a.json")
    assert r.exit_code == 2
    assert r.stderr.strip() == "replylint: error: a.json:2:11: entry kind must be one of chat, email, got 'sms'"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("a.json", '[{"text": "好",}]', "a.json:1:15: invalid JSON: Expecting property name"),
        ("a.jsonl", '{"text": "好"}\n{"text": \n', "a.jsonl:2:10: invalid JSON"),
        ("a.yaml", "- text: [好\n", "a.yaml:2:1: invalid YAML"),
        ("a.csv", 'text\n"好\n', "a.csv:2: invalid CSV: unexpected end of data"),
    ],
)
def test_malformed_collections_exit_2_on_one_line(run, tmp_path, name, content, message):
    (tmp_path / name).write_text(content, encoding="utf-8")
    r = run("check", name)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"replylint: error: {message}") and r.stderr.count("\n") == 1


# -- encodings -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, codec",
    [("reply-gb18030.txt", "gb18030"), ("reply-big5.txt", "big5"), ("reply-utf16.txt", "utf-16"),
     ("reply-bom.txt", "utf-8-sig")],
)
def test_encodings_detected_and_written_back_unchanged(linter, name, codec):
    data = (FIX / name).read_bytes()
    src = read_source(str(FIX / name))
    assert src.encoding == codec
    assert src.text.startswith("您好，") and "\r\n" in src.text  # BOM dropped, CRLF kept
    assert src.text.encode(src.encoding) == data
    assert spans(linter, FIX / name) == [("absolute-promise", 1, 6, 1, 8)]


def test_utf8_without_bom(tmp_path):
    text, codec = decode("我们保证\n".encode("utf-8"), "x")
    assert (text, codec) == ("我们保证\n", "utf-8")


@pytest.mark.parametrize("text", ["您好", "请您确认", "亲，已发货", "我們會儘快處理", "退款已經到賬了"])
def test_short_legacy_texts_detected(text):
    for codec in ("gb18030", "big5"):
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue
        assert decode(data, "x") == (text, codec)


def test_wrong_guess_scores_low():
    data = "您好，我們會儘快處理".encode("big5")
    assert plausibility(data.decode("gb18030", errors="replace")) < 0.6 <= plausibility(data.decode("big5"))


def test_forced_encoding(linter, tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes("您好，我们保证".encode("gbk"))
    assert read_source(str(f), ReadOptions(encoding="gbk")).encoding == "gbk"
    with pytest.raises(InputError, match="not valid utf-8 text"):
        read_source(str(f), ReadOptions(encoding="utf-8"))
    assert spans(linter, f, encoding="gb18030") == [("absolute-promise", 1, 6, 1, 8)]


def test_forced_utf8_keeps_bom_codec():
    assert decode("好".encode("utf-8-sig"), "x", "utf-8") == ("好", "utf-8-sig")


def test_encoding_cli_and_config(run, tmp_path):
    (tmp_path / "b.txt").write_bytes("我們保證".encode("big5"))
    assert run("check", "--encoding", "big5", "b.txt").exit_code == 1
    r = run("check", "--encoding", "klingon", "b.txt")
    assert (r.exit_code, r.stderr) == (2, "replylint: error: unknown encoding 'klingon'\n")
    r = run("check", "--encoding", "base64", "b.txt")
    assert (r.exit_code, r.stderr) == (2, "replylint: error: 'base64' is not a text encoding\n")
    (tmp_path / ".replylint.toml").write_text('encoding = "utf-8"\n', encoding="utf-8")
    r = run("check", "b.txt")
    assert r.exit_code == 2 and "not valid utf-8 text" in r.stderr


def test_mixed_encodings_are_an_error(run, tmp_path):
    (tmp_path / "m.txt").write_bytes("您好，".encode() + "我们保证".encode("gbk") + "明天发货".encode())
    r = run("check", "m.txt")
    assert r.exit_code == 2
    assert r.stderr == (
        "replylint: error: m.txt: line 1 (byte 9): not UTF-8, GB18030 or Big5 text "
        "(mixed or unknown encoding); convert it to UTF-8 or pass --encoding\n"
    )


def test_stdin_gbk(run):
    r = run("check", "-", input="亲，我们保证".encode("gb18030"))
    assert r.exit_code == 1 and r.stdout.startswith("<stdin>:1:5: absolute-promise")


# -- bad input -------------------------------------------------------------------------------------

def test_binary_file_skipped_with_warning(run, tmp_path):
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "ok.txt").write_text("好的", encoding="utf-8")
    r = run("check", ".")
    assert r.exit_code == 0
    assert r.stderr == f"replylint: warning: {Path('.') / 'img.txt'}: binary file, skipped\n"
    with pytest.raises(BinaryFile):
        decode(b"abc\x00def", "x")


def test_empty_files_are_clean(run, tmp_path):
    for name in ("e.txt", "e.md", "e.json", "e.jsonl", "e.yaml", "e.csv", "e.eml"):
        (tmp_path / name).write_bytes(b"")
    r = run("check", ".")
    assert (r.exit_code, r.stderr) == (0, "")
    assert "All clear: 0 drafts in 7 files." in r.stdout


def test_missing_path_exits_2(run):
    r = run("check", "nope.txt")
    assert (r.exit_code, r.stderr) == (2, "replylint: error: nope.txt: no such file or folder\n")


def test_unreadable_file_exits_2(run, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("好", encoding="utf-8")

    def denied(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sources, "_read_bytes", denied)
    r = run("check", "a.txt")
    assert (r.exit_code, r.stderr) == (2, "replylint: error: a.txt: cannot read: Permission denied\n")


def test_symlink_loops_do_not_hang(run, tmp_path):
    d = tmp_path / "d" / "sub"
    d.mkdir(parents=True)
    (d / "up").symlink_to(tmp_path / "d", target_is_directory=True)
    (d / "self.txt").symlink_to(d / "self.txt")
    (d / "a.txt").write_text("我们保证", encoding="utf-8")
    r = run("check", "--format", "json", "d")
    assert r.exit_code == 1
    assert [Path(x["path"]).name for x in json.loads(r.stdout)["diagnostics"]] == ["a.txt"]
    r = run("check", str(d / "self.txt"))
    assert r.exit_code == 2 and r.stderr.endswith("broken or looping symbolic link\n")


def test_large_text_cut_at_paragraphs_keeps_positions(linter, tmp_path):
    para = "您好，已为您登记。\n" * 30 + "\n"
    text = para * 200 + "亲，我们保证明天发货\n"
    assert len(text) > 3 * plain.MAX_DRAFT
    pieces = plain.pieces(text)
    assert all(e - s <= plain.MAX_DRAFT for s, e in pieces)
    assert all(text[e - 2 : e] == "\n\n" for _, e in pieces[:-1])
    assert "".join(text[s:e] for s, e in pieces) == text
    f = tmp_path / "big.txt"
    f.write_text(text, encoding="utf-8")
    line = text.count("\n")
    assert spans(linter, f) == [("absolute-promise", line, 5, line, 7)]


def test_a_line_longer_than_a_piece_is_cut_anywhere():
    assert plain.pieces("好" * 50, limit=20) == [(0, 20), (20, 40), (40, 50)]


def test_no_traceback_on_bad_input(run_process, tmp_path):
    (tmp_path / "bad.json").write_text("[" * 100000, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("- [" * 50000, encoding="utf-8")
    (tmp_path / "bad.eml").write_bytes(b"Content-Type: text/plain; charset=nonsense-9\n\nabc\n")
    for name in ("bad.json", "bad.yaml", "bad.eml"):
        r = run_process("check", name)
        assert r.returncode in (0, 2), r.stderr
        assert b"Traceback" not in r.stderr and r.stderr.count(b"\n") <= 1


def test_load_source_reads_bytes_like_files():
    src = load_source("x.md", "好 `我们保证`".encode("utf-8"))
    assert src.segments[0].text == "好"  # inline code blanked, the blank around the draft dropped


_JSONL_LINES = [
    '{"text": "我们保证明天发货"}',
    '  {"kind": "email", "text": "您好\\n保证\\u4f60好\\ud83d\\ude00了", "platform": "jd"}  ',
    '{"text": "一", "text": "二保证"}',  # the last of duplicate keys counts
    '{"content": "保证", "meta": {"text": "嵌套"}, "n": [1, 2.5e3, null, true], "x": {}}',
    '{"replylint-ignore": "absolute-promise", "text": "我们保证"}',
    '{"replylint-ignore": ["absolute-promise", 3], "text": "我们保证"}',
    '{"refund": {"text": "保证退款"}, "other": {"body": "一定"}}',  # entries one level down
    '"我们保证\\t一定"',
    '{"text": "好", "kind": "sms"}',
    '{"text": "好", "platform": 5}',
    '{"text": 5}',
    '[{"text": "列表里的保证"}]',
    '{"te\\u0078t": "转义的键 保证"}',
    '{"text": "坏\\x"}',
    '{"text": "未闭合}',
    '{"text": "好"} x',
    '\ufeff{"text": "好"}',
    '{"text": "好",}',
    '{"text": "\\u00e9\\u0301 NaN"}',
    '{"n": NaN, "text": "保证"}',
    "[" * 3000 + "]" * 3000,
    "5",
]


@pytest.mark.parametrize("line", _JSONL_LINES)
def test_jsonl_lines_read_as_the_placing_parser_reads_them(monkeypatch, line):
    """The C-parsed JSONL lines give the entries, offsets and errors the placing (pure-Python)
    parser gives, line by line."""
    from replylint.input.readers import jsondoc

    text = '{"text": "第一行"}\n' + line + "\n\n" + '{"text": "最后保证"}\r\n'

    def read():
        try:
            parsed = jsondoc.read_lines(text, "a.jsonl", ReadOptions())
        except InputError as exc:
            return str(exc)
        segments = [(s.text, s.start, s.kind, s.label, list(s.offsets), s.platform) for s in parsed.segments]
        return segments, [vars(s) for s in parsed.suppressions]

    fast = read()
    monkeypatch.setattr(jsondoc, "_quick_line", lambda *args: None)
    assert fast == read()


def test_walk_selects_files_as_the_globs_say(tmp_path):
    """Folder walks decide by the file name alone when they can, else as before."""
    for name in ("a.txt", "b.md", "c.py", "d.jsonl", "skip.txt", "e.TXT"):
        (tmp_path / name).write_text("好", encoding="utf-8")
    configs = [
        Config(root=tmp_path),
        Config(root=tmp_path, exclude=("skip.txt",)),
        Config(root=tmp_path, include=("*.py", "a.*")),
        Config(root=tmp_path, include=("**/*.md",), exclude=("*.md",)),
    ]
    for config in configs:
        for path in sorted(tmp_path.iterdir()):
            expected = config.is_included(path) and not config.is_excluded(path)
            assert config.selects_file(str(path), path.name) == expected, (config.include, config.exclude, path.name)
