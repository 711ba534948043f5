"""Template placeholders: masked before matching, so they neither trigger nor hide a finding.

Reply templates are written for many engines; each alternative below is one syntax. A placeholder
needs the engine's full delimiters and a name-like inside, so ordinary text in braces or brackets
({1,2,3}, { 限时优惠 }, 【重要】, 100%) is left as text.
"""
from __future__ import annotations

import re

import regex

from ..matching import cache as regex_cache

PLACEHOLDER_RE = regex_cache.compile(
    r"""
      \{\{\{[^{}\n]{1,60}\}\}\}                      # Handlebars raw {{{name}}}
    | \{\{[^{}\n]{1,80}?\}\}                         # Jinja/Liquid/Handlebars/Mustache {{ name }}, {{#if x}}, {{/if}}
    | \{%-?[^%\n]{1,120}?-?%\}                       # Jinja/Liquid tags {% if vip %}
    | \{\#[^#\n]{0,120}\#\}                          # Jinja comments {# ... #}
    | <%[=\-]?[^%\n]{1,80}%>                         # ERB/EJS <%= name %>
    | \$!?\{[^{}\n]{1,60}\}                          # shell/JS/Freemarker/Velocity ${name}, $!{name}
    | (?<![A-Za-z0-9_$])\$[A-Za-z_][A-Za-z0-9_]{0,40}(?![A-Za-z0-9_])   # shell-style $name
    | %\([A-Za-z_][\w.]{0,40}\)[-#0 +]?\d*(?:\.\d+)?[sdifr]   # Python %(name)s
    | (?<![A-Za-z0-9%])%[sd](?![A-Za-z])             # printf %s, %d
    | \{![A-Za-z_][\w.]{0,60}\}                      # Salesforce {!Contact.FirstName}
    | \*\|[A-Z][A-Z0-9_:]{0,40}\|\*                  # Mailchimp *|FNAME|*
    | \{(?:[\p{L}_][\p{L}\p{N}_.\-]{0,30}(?:\[[\w.]{1,20}\])?|\d{1,2})?(?:![rsa])?(?::[<>^=+\-\#0-9,._%a-zA-Z]{0,20})?\}   # Python format {name}, {0}, {}, {price:.2f}
    | \[(?:数字|电话|链接|时间|日期|金额|地址|姓名|站点|订单号|组织机构|邮箱|人名)x?\]   # JDDC anonymisation markers
    """,
    regex.VERBOSE,
)


# Every placeholder above starts with one of these; most drafts hold none, which one search in C tells.
_OPENERS = re.compile(r"[{<$%*\[]")


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Spans of template placeholders in ``text``, sorted and not overlapping."""
    if _OPENERS.search(text) is None:
        return []
    return [m.span() for m in PLACEHOLDER_RE.finditer(text)]
