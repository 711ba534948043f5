"""Issue 18: data safety and hostile input. One test (or a few) per defect; docs/reliability.md
lists them by defect."""
from __future__ import annotations

import os
import random
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rulefile import write_rule

from replylint import atomic
from replylint.app.lsp.positions import PositionMap, units
from replylint.config import Config, from_table
from replylint.engine import Linter
from replylint.errors import ConfigError, InputError, RuleFileError
from replylint.input.sources import load_source
from replylint.matching import cache as regex_cache
from replylint.text import dictionary

PROMISE = "我们保证明天发货。"

DEAR = '''
[[entries]]
words = ["亲爱的"]
fix = "尊敬的"
safe = true
'''


@pytest.fixture
def fix_project(tmp_path):
    write_rule(tmp_path, "dear-you", "wordlist", DEAR, bad=["亲爱的顾客"], good=["尊敬的顾客"])
    (tmp_path / ".replylint.toml").write_text('rule-paths = ["dear-you.toml"]\nselect = ["dear-you"]\n', "utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def built_table(tmp_path_factory):
    """One jieba table built into a private folder (building takes a couple of seconds)."""
    folder = tmp_path_factory.mktemp("table")
    target = folder / "built.dict"
    dictionary.build(dictionary.jieba_dictionary(), target)
    return target


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(folder))
    return folder


def _fresh_pattern_cache(monkeypatch):
    monkeypatch.setattr(regex_cache, "_stored", None)
    monkeypatch.setattr(regex_cache, "_used", {})
    monkeypatch.setattr(regex_cache, "_live", {})
    monkeypatch.setattr(regex_cache, "_dirty", False)


# -- 1. cache files never written through links ----------------------------------------------------
def test_cache_write_replaces_a_planted_link_never_its_target(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    os.chmod(victim, 0o644)
    link = tmp_path / "cache.bin"
    link.symlink_to(victim)
    atomic.write_atomic(link, b"cache data", keep_mode=False)
    assert victim.read_text("utf-8") == "precious" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert not link.is_symlink() and link.read_bytes() == b"cache data"


def test_pattern_cache_save_does_not_write_through_a_link(cache_dir, tmp_path, monkeypatch):
    _fresh_pattern_cache(monkeypatch)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    regex_cache._path().symlink_to(victim)
    regex_cache.compile("保证|担保", 0)
    regex_cache.save()
    assert victim.read_text("utf-8") == "precious"
    assert not regex_cache._path().is_symlink()


def test_dictionary_table_is_never_read_or_written_through_a_link(cache_dir, built_table, tmp_path):
    target = dictionary.cache_path(dictionary.jieba_dictionary())
    elsewhere = tmp_path / "elsewhere.dict"
    shutil.copy(built_table, elsewhere)
    target.symlink_to(elsewhere)
    with pytest.raises(OSError):
        dictionary.MappedTable(target)  # not opened through the link
    table = dictionary.open_table()  # so it is built, replacing the link
    assert isinstance(table, dictionary.MappedTable)
    assert not target.is_symlink() and elsewhere.read_bytes() == built_table.read_bytes()


# -- 2. --fix keeps owner and hard links -----------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_fix_keeps_owner_and_hard_links(run, fix_project):
    f = fix_project / "a.txt"
    f.write_text("亲爱的顾客\n", "utf-8")
    twin = fix_project / "twin.txt"
    os.link(f, twin)
    os.chown(f, 65534, 65534)
    os.chmod(f, 0o664)
    before = f.stat()
    r = run("check", "--fix", "a.txt")
    assert r.exit_code == 0, r.stderr
    after = f.stat()
    assert twin.read_text("utf-8") == "尊敬的顾客\n"  # the other name sees the fix: same inode
    assert (after.st_ino, after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (before.st_ino, 65534, 65534, 0o664)
    assert sorted(p.name for p in fix_project.iterdir()) == [".replylint.toml", "a.txt", "dear-you.toml", "twin.txt"]


def test_fix_keeps_hard_links(run, fix_project):
    f = fix_project / "a.txt"
    f.write_text("亲爱的顾客\n", "utf-8")
    twin = fix_project / "twin.txt"
    os.link(f, twin)
    assert run("check", "--fix", "a.txt").exit_code == 0
    assert twin.read_text("utf-8") == "尊敬的顾客\n" and os.path.samefile(f, twin)


# -- 3. --fix never loses an edit made while it runs -----------------------------------------------
def test_fix_detects_an_edit_made_right_before_the_write(run, fix_project, monkeypatch):
    f = fix_project / "a.txt"
    f.write_text("亲爱的顾客\n", "utf-8")
    real = os.fsync
    edited = []

    def fsync_then_edit(fd):  # the writer syncs before it commits: someone appends then
        real(fd)
        if not edited:
            edited.append(True)
            with open(f, "a", encoding="utf-8") as other:
                other.write("新的一行\n")

    monkeypatch.setattr(atomic.os, "fsync", fsync_then_edit)
    r = run("check", "--fix", "a.txt")
    assert f.read_text("utf-8") == "亲爱的顾客\n新的一行\n"  # the edit survives, nothing fixed
    assert r.exit_code == 2 and "changed on disk while being fixed; not fixed" in r.stderr
    assert "Fixed 0 problem(s)" in r.stderr
    assert not list(fix_project.glob(".a.txt.*"))  # no snapshot left behind


def test_fix_reports_a_write_made_while_fixing_and_keeps_the_snapshot(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_bytes(b"old text\n")
    real = os.ftruncate

    def truncate_then_append(fd, length):
        real(fd, length)
        with open(f, "ab") as other:
            other.write(b"appended\n")

    monkeypatch.setattr(atomic.os, "ftruncate", truncate_then_append)
    with pytest.raises(atomic.ChangedOnDisk) as caught:
        atomic.rewrite_in_place(f, b"old text\n", b"new text\n")
    assert "written to while being fixed" in caught.value.strerror
    [snapshot] = tmp_path.glob(".a.txt.*.replylint-backup")
    assert snapshot.read_bytes() == b"old text\n" and str(snapshot) in caught.value.strerror
    assert f.read_bytes().endswith(b"appended\n")


def test_fix_notices_a_file_replaced_by_rename_while_fixing(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_bytes(b"old text\n")
    real = os.ftruncate

    def truncate_then_save_by_rename(fd, length):  # what an editor's save does
        real(fd, length)
        (tmp_path / "tmp").write_bytes(b"the editor's text\n")
        os.replace(tmp_path / "tmp", f)

    monkeypatch.setattr(atomic.os, "ftruncate", truncate_then_save_by_rename)
    with pytest.raises(atomic.ChangedOnDisk, match="replaced on disk"):
        atomic.rewrite_in_place(f, b"old text\n", b"new text\n")
    assert f.read_bytes() == b"the editor's text\n"


# -- 4. only our own stale tables are deleted -----------------------------------------------------
def test_stale_tables_removed_only_when_their_header_is_ours(tmp_path, built_table):
    current = tmp_path / "jieba-current.dict"
    shutil.copy(built_table, current)
    ours = tmp_path / "jieba-0123456789abcdef.dict"
    shutil.copy(built_table, ours)
    mine = tmp_path / "jieba-mine.dict"
    mine.write_text("我的词典 3 n\n", "utf-8")
    lookalike = tmp_path / "jieba-copy.dict"
    lookalike.write_bytes(built_table.read_bytes()[:1000])  # our magic, but not a whole table
    linked = tmp_path / "jieba-link.dict"
    linked.symlink_to(ours)
    dictionary._remove_stale(current)
    assert not ours.exists()
    assert current.exists() and mine.exists() and lookalike.exists() and linked.is_symlink()


# -- 5. a file mixing UTF-8 and GBK is an error ----------------------------------------------------
def test_mixed_utf8_and_gbk_is_an_error(tmp_path):
    data = "您好,订单已发货。\n".encode("utf-8") + "我们保证明天一定到。\n".encode("gbk")
    with pytest.raises(InputError, match="mixed encodings: line 1 is UTF-8"):
        load_source("mixed.txt", data)
    gbk = "您好,订单已发货。\n我们保证明天一定到。\n谢谢\n好\n".encode("gbk")
    assert load_source("gbk.txt", gbk).encoding == "gb18030"  # one encoding throughout: still read
    big5 = "您好，訂單已發貨。\n我們保證明天一定到。\n".encode("big5")
    assert load_source("big5.txt", big5).encoding == "big5"


def test_no_gbk_corpus_line_is_taken_for_utf8():
    """Every line of the bundled corpora, encoded in GBK where it can be, is a GBK file's line: none
    may look like UTF-8 to the mixed-encoding check."""
    import json

    from replylint.input.readers.decode import _utf8_line

    root = Path(__file__).resolve().parents[1] / "corpora"
    lines = 0
    for path in root.glob("*.jsonl"):
        for raw in path.read_text("utf-8").splitlines():
            text = json.loads(raw)["text"]
            try:
                data = text.encode("gbk")
            except UnicodeEncodeError:
                continue
            lines += 1
            assert _utf8_line(data) is None, text
    assert lines > 100


# -- 6. cache contents verified before use --------------------------------------------------------
@pytest.mark.slow
def test_damaged_dictionary_table_is_rebuilt(cache_dir, built_table):
    target = dictionary.cache_path(dictionary.jieba_dictionary())
    data = bytearray(built_table.read_bytes())
    rng = random.Random(6)
    for i in rng.sample(range(64, len(data)), 2000):  # the slots, the words, the HMM tables
        data[i] = rng.randrange(256)
    data[-50:] = bytes(rng.randrange(256) for _ in range(50))
    target.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="checksum"):
        dictionary.MappedTable(target)
    table = dictionary.open_table()
    assert isinstance(table, dictionary.MappedTable)
    assert table.get("保证") is not None and table.hmm()[0]["B"] < 0
    assert target.read_bytes() == built_table.read_bytes()


def test_random_bytes_as_dictionary_table_never_give_a_traceback(cache_dir, built_table):
    target = dictionary.cache_path(dictionary.jieba_dictionary())
    rng = random.Random(7)
    header = built_table.read_bytes()[:64]
    for body in (b"", bytes(rng.randrange(256) for _ in range(5000)), header, header + b"\0" * 100):
        target.write_bytes(body)
        with pytest.raises(ValueError):
            dictionary.MappedTable(target)
    shutil.copy(built_table, target)
    assert dictionary.MappedTable(target).get("明天") is not None


def test_damaged_pattern_cache_is_ignored_and_rewritten(cache_dir, monkeypatch):
    _fresh_pattern_cache(monkeypatch)
    path = regex_cache._path()
    rng = random.Random(8)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    assert regex_cache._load() == {}
    regex_cache.compile("保证|担保", 0)
    regex_cache.save()
    assert regex_cache.decode_cache(path.read_bytes())[("保证|担保", 0, "compiles", 0)] is True
    good = bytearray(path.read_bytes())
    good[-3] ^= 0x20  # one flipped bit in the payload
    with pytest.raises(ValueError):
        regex_cache.decode_cache(bytes(good))
    for junk in (b"", good[:10], regex_cache.encode_cache({})[:-1] + b"x"):
        with pytest.raises(ValueError):
            regex_cache.decode_cache(bytes(junk))


def test_every_analysis_of_a_pattern_is_read_back_by_the_next_run(cache_dir, monkeypatch):
    """A cache file holding an analysis the reader does not know is rejected whole (and every
    start pays for all the analyses again): each one a rule pattern makes must survive a save."""
    from replylint.matching.pattern import RulePattern

    _fresh_pattern_cache(monkeypatch)
    pattern = RulePattern("(?<![给])(?:你|您)们?先(?:看|问)\\d{3}", "test")
    regex_cache.save()
    _fresh_pattern_cache(monkeypatch)
    names = {key[2] for key in regex_cache._load() if key[0] == pattern.source}
    assert names >= {"needs", "pairs", "first", "alternatives", "digits", "factors"}
    assert RulePattern(pattern.source, "test").literals == pattern.literals


def test_pattern_cache_entries_of_the_wrong_shape_are_not_used(cache_dir, monkeypatch):
    _fresh_pattern_cache(monkeypatch)
    source = "保证|担保"
    key = (source, 0, "needs", regex_cache.prefilter.VERSION)
    regex_cache._path().write_bytes(regex_cache.encode_cache({key: 12}))  # a number, not clauses
    assert regex_cache.needs(source, 0) == tuple(frozenset(c) for c in regex_cache.prefilter.required(source, 0))


def _silencing_cache(folder: Path) -> None:
    """A well-formed pattern cache whose pre-checks say every rule pattern needs 龘."""
    path = folder / regex_cache._path().name
    entries = regex_cache.decode_cache(path.read_bytes())
    crafted = {k: (("龘",) if k[2] == "needs" else v) for k, v in entries.items()}
    path.write_bytes(regex_cache.encode_cache(crafted))


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="folder owners are POSIX")
def test_pattern_cache_in_a_folder_others_can_write_is_not_used(tmp_path, run_process):
    folder = tmp_path / "shared-cache"
    folder.mkdir(mode=0o700)
    env = dict(os.environ, REPLYLINT_CACHE_DIR=str(folder), PYTHONIOENCODING="utf-8")
    draft = tmp_path / "a.txt"
    draft.write_text(PROMISE, "utf-8")
    cmd = [sys.executable, "-m", "replylint", "check", str(draft)]
    first = subprocess.run(cmd, capture_output=True, env=env, timeout=120, text=True)
    assert first.returncode == 1 and "absolute-promise" in first.stdout
    _silencing_cache(folder)
    os.chmod(folder, 0o777)  # anyone could have planted it
    before = sorted(p.name for p in folder.iterdir())
    again = subprocess.run(cmd, capture_output=True, env=env, timeout=120, text=True)
    assert again.returncode == 1 and "absolute-promise" in again.stdout
    assert sorted(p.name for p in folder.iterdir()) == before  # and nothing written there


# -- 7. unknown rule ids in [[overrides]] ----------------------------------------------------------
@pytest.mark.parametrize("field", ["select", "ignore"])
def test_unknown_rule_in_overrides_is_a_config_error(tmp_path, field):
    config = from_table({"overrides": [{"files": ["*.txt"], field: ["nope"]}]}, tmp_path)
    with pytest.raises(ConfigError) as caught:
        Linter(config)
    message = str(caught.value)
    assert "overrides[0]" in message and "unknown rule 'nope'" in message and "absolute-promise" in message


# -- 8b / 10 / 11. .eml offsets, boundaries, nesting -----------------------------------------------
@pytest.mark.parametrize("data", [
    b"Subject: hi\r\rbody\r",
    b"Subject: hi\n\nbody text",
    b"Subject: hi\nContent-Transfer-Encoding: base64\n\n5oiR5Lus5L+d6K+B",
    b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhello',
])
def test_eml_offsets_never_point_past_the_end(data):
    source = load_source("x.eml", data)
    for segment in source.segments:
        assert all(0 <= o <= len(source.text) for o in segment.offsets or ())


def test_eml_long_boundary_refused_quickly():
    b = "b" * 3000
    data = (f'Content-Type: multipart/alternative; boundary="{b}"\n\n--{b}\nContent-Type: text/plain\n\nhi\n'
            + f"--{b[:-1]}\n" * 20 + f"--{b}--\n").encode()
    start = time.perf_counter()
    with pytest.raises(InputError, match="MIME boundary of 3000 characters"):
        load_source("x.eml", data)
    assert time.perf_counter() - start < 1


def test_eml_boundaries_of_legal_length_stay_linear():
    b = "b" * 70
    data = (f'Content-Type: multipart/alternative; boundary="{b}"\n\n--{b}\nContent-Type: text/plain; charset=utf-8\n\n{PROMISE}\n'
            + f"--{b[:-1]}\n" * 5000 + f"--{b}--\n").encode()
    start = time.perf_counter()
    source = load_source("x.eml", data)
    assert time.perf_counter() - start < 5
    assert PROMISE in source.segments[-1].text


def test_deeply_nested_mime_is_an_input_error():
    parts = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(2000))
    start = time.perf_counter()
    with pytest.raises(InputError):
        load_source("x.eml", ("Subject: x\n" + parts + "Content-Type: text/plain\n\nhi\n").encode())
    assert time.perf_counter() - start < 2
    parts = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(50))
    source = load_source("x.eml", ("Subject: x\n" + parts + "Content-Type: text/plain; charset=utf-8\n\n" + PROMISE + "\n").encode())
    assert source.segments[-1].text.strip() == PROMISE


# -- 11. no tracebacks from templates, fixes, numbers, file names -----------------------------------
def _rules_folder(tmp_path: Path, body: str, **fields) -> Config:
    write_rule(tmp_path / "rules", "team-rule", "pattern", body, **fields)
    return Config(rule_paths=(tmp_path / "rules",), root=tmp_path)


def test_fix_with_an_unknown_group_is_a_rule_file_error(tmp_path):
    config = _rules_folder(tmp_path, '[[patterns]]\npattern = "保(?P<x>证)"\nfix = "\\\\g<nope>"')
    with pytest.raises(RuleFileError, match="unknown group name 'nope'"):
        Linter(config)
    config = _rules_folder(tmp_path, '[[patterns]]\npattern = "保(证)"\nfix = "\\\\2"')
    with pytest.raises(RuleFileError, match="group 2 does not exist"):
        Linter(config)
    config = _rules_folder(tmp_path, '[[patterns]]\npattern = "保(?P<x>证)"\nfix = "担\\\\g<x>"')
    [d] = Linter(config).lint(PROMISE, select=["team-rule"])
    assert d.fix.replacement == "担证"


@pytest.mark.parametrize("template", ["{match.nope}", "{match.__class__.__mro__}", "{match[0]}", "{0}", "{nope}", "{", "{match!r}"])
def test_message_placeholders_other_than_known_names_are_rule_file_errors(tmp_path, template):
    config = _rules_folder(tmp_path, 'patterns = ["保证"]', en=template)
    with pytest.raises(RuleFileError, match=r"message\.en"):
        Linter(config)


def test_messages_substitute_known_names_only(tmp_path):
    config = _rules_folder(tmp_path, '[[patterns]]\npattern = "保证"\ncategory = "promise"',
                           zh="{{literal}} {match} ({category})", en="{{literal}} {match} ({category})")
    [d] = Linter(config).lint("We 保证 it", select=["team-rule"])
    assert d.message == "{literal} 保证 (promise)"
    from replylint.rules.template import render

    assert render("{match.__class__} {match}", {"match": "x"}) == "{match.__class__} x"


def test_json_integer_over_4300_digits_is_read(tmp_path):
    data = b'[{"text": "' + PROMISE.encode() + b'", "n": ' + b"9" * 5000 + b"}]"
    assert [s.text for s in load_source("a.json", data).segments] == [PROMISE]
    line = b'{"text": "' + PROMISE.encode() + b'", "n": -' + b"9" * 5000 + b"}\n"
    assert [s.text for s in load_source("a.jsonl", line).segments] == [PROMISE]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs a file system that takes any bytes in names")
def test_sarif_on_a_file_name_that_is_not_utf8(run_process, tmp_path):
    import json

    name = os.fsdecode(b"reply-\xff\xfe.txt")
    (tmp_path / name).write_text(PROMISE, "utf-8")
    r = run_process("check", "--format", "sarif", ".")
    assert r.returncode == 1 and b"Traceback" not in r.stderr
    [result] = json.loads(r.stdout)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "reply-%FF%FE.txt"


# -- 12. numbers range-checked where loaded ---------------------------------------------------------
@pytest.mark.parametrize("value", ["-1", "nan", "inf", "-inf", "0", "0.0", "61", "1e308"])
def test_timeout_out_of_range_is_rejected(tmp_path, run_process, value):
    (tmp_path / ".replylint.toml").write_text(f"timeout = {value}\n", "utf-8")
    (tmp_path / "a.txt").write_text(PROMISE, "utf-8")
    r = run_process("check", "a.txt")
    err = r.stderr.decode()
    assert r.returncode == 2 and "field 'timeout' must be" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("value", ["0.5", "60", "2"])
def test_timeout_in_range_is_accepted(tmp_path, value):
    config = from_table({"timeout": float(value)}, tmp_path)
    assert Linter(config).lint(PROMISE)


@pytest.mark.parametrize("kind, body, field", [
    ("pattern", 'patterns = ["保证"]\ntimeout = nan', "timeout"),
    ("pattern", 'patterns = ["保证"]\ntimeout = -1', "timeout"),
    ("pattern", 'patterns = ["保证"]\nwindow = -3', "window"),
    ("structure", 'position = "start"\nlines = 0\npatterns = ["您好"]', "lines"),
    ("structure", 'position = "start"\nmin-lines = -1\npatterns = ["您好"]', "min-lines"),
])
def test_numeric_rule_fields_are_range_checked(tmp_path, kind, body, field):
    write_rule(tmp_path / "rules", "team-rule", kind, body)
    with pytest.raises(RuleFileError, match=f"field '{field}' must be"):
        Linter(Config(rule_paths=(tmp_path / "rules",), root=tmp_path))


# -- 13 / 14b. FIFOs, devices and folders where files are expected ----------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_on_the_command_line_is_an_error_not_a_hang(tmp_path, run_process):
    os.mkfifo(tmp_path / "pipe.txt")
    r = run_process("check", "pipe.txt")  # run_process times out after 120 s: a hang fails
    assert r.returncode == 2 and b"pipe.txt: not a regular file" in r.stderr and b"Traceback" not in r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("make", ["folder", "fifo", "dev-zero", "broken-link"])
def test_config_that_is_not_a_regular_file_is_an_error(tmp_path, run_process, make):
    config = tmp_path / ".replylint.toml"
    if make == "folder":
        config.mkdir()
    elif make == "fifo":
        os.mkfifo(config)
    elif make == "dev-zero":
        config.symlink_to("/dev/zero")
    else:
        config.symlink_to(tmp_path / "gone.toml")
    (tmp_path / "a.txt").write_text(PROMISE, "utf-8")
    r = run_process("check", "a.txt")
    err = r.stderr.decode()
    assert r.returncode == 2 and ".replylint.toml: not a regular file" in err and len(err.strip().splitlines()) == 1
    r = run_process("check", "--config", ".replylint.toml", "a.txt")
    assert r.returncode == 2 and b"Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) <= 4


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_rule_path_that_is_a_fifo_is_an_error(tmp_path):
    os.mkfifo(tmp_path / "rule.toml")
    from replylint.rules.toml import load_toml

    with pytest.raises(RuleFileError, match="not a regular file"):
        load_toml(tmp_path / "rule.toml", RuleFileError)


# -- 9b. the language server's positions are linear in line length --------------------------------
def _naive_position(text: str, encoding: str, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(text)))
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    line = max(i for i, s in enumerate(starts) if s <= offset)
    end = len(text) if line + 1 == len(starts) else re.search(r"\r\n|\r|\n", text[starts[line]:]).start() + starts[line]
    return line, units(text[starts[line] : min(offset, end)], encoding)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_position_map_agrees_with_counting_from_the_line_start(encoding):
    rng = random.Random(9)
    alphabet = "ab你好😀𠀀é\r\n "
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 300)))
        pmap = PositionMap(text, encoding)
        for offset in range(len(text) + 1):
            line, character = pmap.position(offset)
            assert (line, character) == _naive_position(text, encoding, offset)
            back = pmap.offset(line, character)
            assert back <= offset and pmap.position(back) == (line, character)


def test_positions_on_an_80k_character_line_are_fast():
    line = ("亲爱的客户😀我们保证明天发货。" * 6000)[:80_000]
    offsets = [i * 16 for i in range(5000)]
    start = time.perf_counter()
    for encoding in ("utf-16", "utf-8"):
        pmap = PositionMap(line, encoding)
        for o in offsets:
            pmap.offset(*pmap.position(o))
    assert time.perf_counter() - start < 2  # counting from the line start each time took minutes


def test_word_boundaries_of_a_long_sentence_are_found_once(monkeypatch):
    """9b: a one-line draft with thousands of findings searched its sentence's blocks from the
    sentence start at every finding (an 80,000-character line took a minute in the server)."""
    from replylint.text import draft as draft_module

    real = draft_module.BLOCK_RUN
    scans = []

    class Counting:
        def finditer(self, *args):
            scans.append(args[1:])
            return real.finditer(*args)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(draft_module, "BLOCK_RUN", Counting())
    found = Linter().lint("我们保证明天发货😀，" * 300)
    assert len(found) >= 300
    assert len(scans) <= 3  # once per sentence, not once per finding


def test_analyses_of_an_older_version_are_not_kept(cache_dir, monkeypatch):
    """A version bump makes the old entries dead weight: the next save leaves them out."""
    _fresh_pattern_cache(monkeypatch)
    old = ("保证", 0, "needs", regex_cache.prefilter.VERSION - 1)
    regex_cache._path().write_bytes(regex_cache.encode_cache({old: (("保",),)}))
    regex_cache.needs("绝对", 0)
    regex_cache.save()
    kept = regex_cache.decode_cache(regex_cache._path().read_bytes())
    assert old not in kept and ("绝对", 0, "needs", regex_cache.prefilter.VERSION) in kept


# -- parsed rule files kept between runs (rules.parsed) ---------------------------------------------
def _fresh_rule_cache(monkeypatch):
    from replylint.rules import parsed

    monkeypatch.setattr(parsed, "_entries", None)
    monkeypatch.setattr(parsed, "_dirty", False)
    return parsed


def test_a_kept_rule_file_reads_back_as_parsed_and_an_edit_is_parsed_again(cache_dir, tmp_path, monkeypatch):
    from replylint.rules.toml import load_toml

    parsed = _fresh_rule_cache(monkeypatch)
    rule = tmp_path / "r.toml"
    rule.write_text('id = "r"\nwords = ["保证", "x"]\nn = 3\nf = 1.5\nok = true\n[t]\na = [[1, 2], []]\n', "utf-8")
    first = load_toml(rule, RuleFileError, keep=True)
    parsed.save()
    _fresh_rule_cache(monkeypatch)
    import replylint.rules.toml as toml_module

    real_loads = toml_module.tomllib.loads
    monkeypatch.setattr(toml_module.tomllib, "loads", lambda text: pytest.fail("parsed again"))
    again = load_toml(rule, RuleFileError, keep=True)  # from the kept file: not parsed
    assert again == first and type(again["n"]) is int and type(again["f"]) is float
    monkeypatch.setattr(toml_module.tomllib, "loads", real_loads)
    rule.write_text('id = "r"\nwords = ["绝对"]\n', "utf-8")
    assert load_toml(rule, RuleFileError, keep=True)["words"] == ["绝对"]  # the edit, not the kept text


def test_a_rule_file_json_cannot_hold_is_parsed_every_time(cache_dir, tmp_path, monkeypatch):
    from replylint.rules.toml import load_toml

    parsed = _fresh_rule_cache(monkeypatch)
    rule = tmp_path / "d.toml"
    rule.write_text("id = \"d\"\nwhen = 2024-01-02\n", "utf-8")
    assert str(load_toml(rule, RuleFileError, keep=True)["when"]) == "2024-01-02"
    assert rule.read_text("utf-8") not in (parsed._entries or {})


def test_the_same_rule_text_in_several_places_is_kept_once(cache_dir, tmp_path, monkeypatch):
    """Entries are found by the text, not the path: the rules of ten checkouts (or the copies a
    benchmark makes) are one entry each, and each place reads them back without parsing."""
    from replylint.rules.toml import load_toml

    parsed = _fresh_rule_cache(monkeypatch)
    text = 'id = "r"\nwords = ["保证"]\n'
    places = []
    for i in range(10):
        place = tmp_path / f"checkout-{i}" / "r.toml"
        place.parent.mkdir()
        place.write_text(text, "utf-8")
        places.append(place)
    assert load_toml(places[0], RuleFileError, keep=True) == {"id": "r", "words": ["保证"]}
    parsed.save()
    _fresh_rule_cache(monkeypatch)
    import replylint.rules.toml as toml_module

    monkeypatch.setattr(toml_module.tomllib, "loads", lambda text: pytest.fail("parsed again"))
    for place in places:
        assert load_toml(place, RuleFileError, keep=True) == {"id": "r", "words": ["保证"]}
    assert list(parsed.decode(parsed._path().read_bytes())) == [text]


def test_a_rule_file_edited_again_and_again_keeps_one_entry(cache_dir, tmp_path, monkeypatch):
    """Each edit of a rule file is parsed again and replaces the entry of the text before it: a rule
    being written does not leave every version in the cache that every start reads."""
    from replylint.rules.toml import load_toml

    parsed = _fresh_rule_cache(monkeypatch)
    rule = tmp_path / "r.toml"
    for n in range(20):
        rule.write_text(f'id = "r"\nwords = ["保证"]\nn = {n}\n', "utf-8")
        assert load_toml(rule, RuleFileError, keep=True)["n"] == n
    parsed.save()
    assert list(parsed.decode(parsed._path().read_bytes())) == [rule.read_text("utf-8")]


def test_a_damaged_rule_cache_is_ignored(cache_dir, monkeypatch):
    parsed = _fresh_rule_cache(monkeypatch)
    path = parsed._path()
    rng = random.Random(9)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(3000)))
    assert parsed._load() == {}
    good = parsed.encode({"x = 1": ('{"x": 1}', "a.toml")})
    assert parsed.decode(good) == {"x = 1": ('{"x": 1}', "a.toml")}
    flipped = bytearray(good)
    flipped[-2] ^= 0x01
    wrong_shape = parsed.seal(parsed._MAGIC, b'{"x = 1": "{}"}')
    for junk in (bytes(flipped), good[:8], parsed.encode({"x": ('{"x": 1}', "a")})[:-1], wrong_shape):
        with pytest.raises(ValueError):
            parsed.decode(junk)
