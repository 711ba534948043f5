"""The template fixtures (tests/fixtures/templates) and what was planted in them: each finding is
named by a piece of text that occurs once in its file, so its line and column are worked out from
the file, not written down; every other place in the fixtures must stay silent."""
from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "templates"

# (file, rule, the text the finding starts at)
PLANTED = [
    ("collection/kefu-huashu.md", "absolute-promise", "绝对有保障"),
    ("collection/kefu-huashu.md", "contact-leak", "微信 kf_8888"),
    ("collection/kefu-huashu.md", "absolute-promise", "保证给您"),
    ("collection/macros.json", "absolute-promise", "guarantee it arrives"),
    ("collection/macros.json", "contact-leak", "WhatsApp at"),
    ("collection/macros.json", "contact-leak", "1 415 555 0132"),
    (".github/replies.yml", "commanding-you", "You must"),
    (".github/replies.yml", "missing-signoff", "Your refund has been approved"),
    ("snippets/delay-apology.md", "missing-greeting", "您的订单因仓库原因"),
    ("snippets/order-shipped.md", "absolute-promise", "肯定明天"),
]

# How many templates each file holds (files not listed hold none: tool configuration, dot-folders).
TEMPLATES = {
    "collection/kefu-huashu.md": 5,  # the fenced blocks
    "collection/macros.json": 6,  # the keyed strings, one nested group
    ".github/replies.yml": 4,
    "snippets/delay-apology.md": 1,
    "snippets/order-shipped.md": 1,
    "snippets/refund-approved.md": 1,
    "snippets/welcome.txt": 1,
}

# Linted but yielding nothing: tool files among the templates.
SILENT_FILES = [".github/workflows/ci.yml", ".github/ISSUE_TEMPLATE/template-request.md", "package.json"]


def position(name: str, snippet: str) -> tuple[int, int]:
    """1-based line and column (code points) of the only occurrence of ``snippet`` in the file."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    at = text.find(snippet)
    assert at != -1 and text.find(snippet, at + 1) == -1, f"{snippet!r} must occur once in {name}"
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def expected() -> set[tuple[str, str, int, int]]:
    return {(name, rule, *position(name, snippet)) for name, rule, snippet in PLANTED}


def fixture_files() -> dict[str, str]:
    """Every fixture file by its path relative to the fixture folder."""
    return {
        p.relative_to(FIXTURES).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(FIXTURES.rglob("*")) if p.is_file()
    }
