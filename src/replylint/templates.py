"""Template placeholders: masked before matching, so they neither trigger nor hide a finding."""
from __future__ import annotations

import regex

PLACEHOLDER_RE = regex.compile(
    r"""
      \{\{\s*[^{}\n]{1,60}?\s*\}\}          # {{name}}, {{ customer.name }}
    | \{%[^%\n]{1,80}%\}                    # {% if ... %}
    | \$\{[^{}\n]{1,60}\}                   # ${name}
    | %\([A-Za-z_][\w.]{0,40}\)[sdif]       # %(name)s
    | \{[A-Za-z_][\w.\-]{0,40}\}            # {name}
    | \[(?:数字|电话|链接|时间|日期|金额|地址|姓名|站点|订单号|组织机构|邮箱|人名)x?\]   # JDDC markers
    """,
    regex.VERBOSE,
)


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in PLACEHOLDER_RE.finditer(text)]
