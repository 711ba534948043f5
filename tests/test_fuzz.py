"""Fuzzing lint() and every reader (issue 18): arbitrary and structured input never raises
anything but InputError, and every finding lies inside the file. Bounded in time (the whole file
runs in well under 30 s; REPLYLINT_FUZZ_EXAMPLES raises the example counts for a longer run)."""
from __future__ import annotations

import json
import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint import Linter
from replylint.app.run import lint_source
from replylint.errors import InputError
from replylint.input.sources import load_source
from replylint.text.positions import LineIndex

LINTER = Linter()
SCALE = int(os.environ.get("REPLYLINT_FUZZ_EXAMPLES", "1"))
FUZZ = settings(max_examples=60 * SCALE, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

WORDS = st.sampled_from([
    "保证", "一定", "你必须", "是你自己", "微信", "加我vx", "淘宝", "京東", "guarantee", "you must", "您好", "此致",
    "敬礼", "Best regards", "{{name}}", "\n", "\r\n", "\r", " ", "，", "。", "😀", "𠀀", "\u200b", "\ufeff", "\x00", "\x1b[2J",
    '"', "'", "\\", ",", ":", "-", "#", "<!-- replylint-disable -->", "<!-- replylint-disable-next-line absolute-promise -->",
    "```", "> ", "=", "=E4=BF=9D", "\ud800",
])
TEXT = st.one_of(st.text(max_size=60), st.lists(st.one_of(WORDS, st.text(max_size=3)), max_size=20).map("".join))


def _check(path: str, data: bytes) -> None:
    """The property: read and lint ``data`` as ``path``; only InputError may stop it, and every
    finding is inside the decoded text with its line and column right."""
    try:
        source = load_source(path, data)
        result = lint_source(LINTER, source)
    except InputError:
        return
    text = source.text
    index = LineIndex(text)
    for seg in source.segments:
        assert all(0 <= o <= len(text) for o in (seg.offsets or ())), (path, data[:80])
    for d in result.diagnostics:
        assert 0 <= d.start <= d.end <= len(text), (path, data[:80], d)
        assert (d.line, d.column) == index.position(d.start)


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(text=TEXT, kind=st.sampled_from(["chat", "email"]))
def test_lint_any_text(text, kind):
    for d in LINTER.lint(text, kind=kind):
        assert 0 <= d.start <= d.end <= len(text)


@FUZZ
@given(data=st.binary(max_size=300), ext=st.sampled_from([".txt", ".md", ".eml", ".json", ".jsonl", ".yaml", ".csv"]))
def test_every_reader_on_random_bytes(data, ext):
    _check("x" + ext, data)


@FUZZ
@given(text=TEXT, ext=st.sampled_from([".txt", ".md"]), codec=st.sampled_from(["utf-8", "utf-16", "gb18030", "big5"]))
def test_plain_and_markdown(text, ext, codec):
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = _encode(text)
    _check("x" + ext, data)


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["text", "content", "body", "replylint-ignore", "id", "x"]), inner, max_size=4)),
    max_leaves=12,
)


@FUZZ
@given(value=JSON_VALUES, cut=st.integers(0, 400), ascii_only=st.booleans())
def test_json_and_jsonl(value, cut, ascii_only):
    whole = json.dumps(value, ensure_ascii=ascii_only)
    _check("x.json", _encode(whole))
    _check("x.json", _encode(whole[:cut]))  # cut mid-value: an InputError, never a traceback
    lines = "\n".join(json.dumps(v, ensure_ascii=ascii_only) for v in (value if isinstance(value, list) else [value]))
    _check("x.jsonl", _encode(lines))


@FUZZ
@given(rows=st.lists(st.lists(TEXT, min_size=1, max_size=4), max_size=5), header=st.sampled_from(["text", "content,id", "id,body", ""]))
def test_csv(rows, header):
    lines = [header] + [",".join(json.dumps(c, ensure_ascii=False) if i % 2 else c for i, c in enumerate(r)) for r in rows]
    _check("x.csv", _encode("\n".join(lines)))


YAML_SCALAR = st.one_of(TEXT, st.sampled_from(["|", ">-", "&a", "*a", "!!str", "- ", "? ", "{", "[", "~", "null", "0x1F"]))


@FUZZ
@given(items=st.lists(st.tuples(st.sampled_from(["text", "content", "- text", "  text", "body", "x", "replylint-ignore"]), YAML_SCALAR), max_size=6))
def test_yaml(items):
    _check("x.yaml", _encode("\n".join(f"{k}: {v}" for k, v in items)))


HEADER = st.sampled_from([
    "Subject: ", "Subject: =?utf-8?b?5oiR5Lus5L+d6K+B?=", "From: a@b.c", "Content-Type: text/plain; charset=utf-8",
    "Content-Type: text/html", "Content-Type: multipart/alternative; boundary=\"b\"", "Content-Type: multipart/mixed; boundary=c",
    "Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: quoted-printable", " folded", "--b", "--b--", "--c", "",
])


@FUZZ
@given(parts=st.lists(st.one_of(HEADER, TEXT), max_size=14), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_eml(parts, newline):
    _check("x.eml", _encode(newline.join(parts)))


def test_fuzz_file_is_bounded_in_time():
    """A guard on the budget: one pass of each fuzzer's worst case (a long draft) stays quick."""
    start = time.perf_counter()
    _check("x.eml", ("Subject: 保证\n\n" + "我们保证明天发货。\n" * 2000).encode())
    _check("x.json", json.dumps([{"text": "我们保证明天发货。"}] * 500, ensure_ascii=False).encode())
    assert time.perf_counter() - start < 20
