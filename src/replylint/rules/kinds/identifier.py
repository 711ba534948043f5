"""Contact identifiers (IM handles, phone numbers, addresses, links), also when disguised.

Patterns may match a compact view of the draft in which separators between characters are
dropped and the variants and digit look-alikes of the rule's tables are folded, so 微 信,
薇信 and 一三八零零一三八零零零 read as 微信 and 13800138000; findings still point at the
writer's own characters.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any, Callable, Hashable, Optional

import regex

from ...errors import RuleFileError
from ...matching.pattern import Needs
from ...matching.prefilter import text_chars, view_strings
from ...matching.triggers import Triggers
from ...text.draft import Draft
from ...text.language import is_han
from ...text.normalize import Excerpt, View, positions
from ..context import Context, fold
from ..schema import Field
from .allow import Allowed
from .base import Finding
from .mention import bundled_platform_names
from .pattern import PATTERN_FIELDS, CompiledPattern, Pattern, _to_base

_DIGIT = regex.compile(r"\d")
_ASTRAL = "\U00010000"  # the first character beyond the Basic Multilingual Plane
_URL_HOST = regex.compile(r"(https?://)?(?:www\.)?([a-z0-9\-.]+\.[a-z]{2,})(/\S*)?", regex.IGNORECASE)

IDENTIFIER_PATTERN_FIELDS: dict[str, Field] = {
    **PATTERN_FIELDS,
    "labels": Field(
        "list[str]",
        doc="labels that, right before the match in the compact view (订单号：138…, order no. 138…), make it another kind of number",
    ),
    "label-skip": Field("list[str]", doc="fillers allowed between a label and the match (是, 为, :, number)"),
    "unless-anywhere": Field("list[str]", doc="phrases anywhere in the match's sentence, before or after it (…都是骗子)"),
}


class Identifier(Pattern):
    """A pattern kind over the compact view, for identifiers however they are disguised."""

    name = "identifier"
    fields = {
        **Pattern.fields,
        "patterns": Field(
            "list[str|table]", required=True, items=IDENTIFIER_PATTERN_FIELDS, doc="regular expressions, as strings or tables"
        ),
        "separators": Field("str", doc="characters dropped between letters, digits and Chinese in the compact view"),
        "variants": Field("table[str]", doc="disguised spellings and what they stand for (薇信 = 微信)"),
        "digits": Field("table[str]", doc="digit look-alikes and their digit (三 = 3, ③ = 3)"),
        "categories": Field("list[str]", doc="which pattern categories run (default: all)"),
        "home-domains": Field("table[list[str]]", doc="per platform, link hosts that stay on the platform"),
        "platform-names": Field(
            "str", doc="a bundled mention rule whose names the home platform may be given by (京东, JD → jd; tmall → taobao + tmall)"
        ),
        "unless-anywhere": IDENTIFIER_PATTERN_FIELDS["unless-anywhere"],
        "allow": Field("list[str]", doc="the team's own contact points: domains (with subdomains and URLs under them), numbers, addresses, handles"),
    }

    def __init__(self, rule, params) -> None:
        self._labels: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._extra: dict[frozenset[str], frozenset[str]] = {}  # view_chars: table characters → their values'
        self._anywhere: dict[int, "re.Pattern[str] | None"] = {}  # unless-anywhere, one search for all its phrases
        self._drops: dict[tuple[str, str], bool] = {}  # what ``_drop`` says, by the characters beside a run
        super().__init__(rule, params)
        enabled = params.get("categories")
        if enabled is not None:
            self.patterns = [p for p in self.patterns if p.category in enabled]
        self.separators = frozenset(params.get("separators", ""))
        table: dict[str, str] = {}
        for k, v in params.get("variants", {}).items():
            table[fold(k)] = fold(v)
        for k, v in params.get("digits", {}).items():
            table.setdefault(fold(k), v)
        self.table = table
        self.home_domains = {k.lower(): tuple(d.lower() for d in v) for k, v in params.get("home-domains", {}).items()}
        self._cache_key = f"identifier:{rule.id}"
        self._chars_key = self._cache_key + ":chars"  # the compact view's characters, told before it is built
        self._joined_key = self._cache_key + ":joined"  # which compact patterns the joined base view leaves
        self._digits_key = self._cache_key + ":digits"  # the longest stretch of digits the compact view can hold
        self._allowed = Allowed(params.get("allow", ()))
        self._marketplaces = frozenset(d for domains in self.home_domains.values() for d in domains)
        names = params.get("platform-names")
        try:
            self._platforms = bundled_platform_names(names) if names else None
        except RuleFileError as exc:
            raise RuleFileError(f"{rule.path}: {exc}") from None

    def home_hosts(self, platform: Optional[str]) -> tuple[str, ...]:
        """Link hosts of the draft's home platform, whichever of its names was configured."""
        if not platform:
            return ()
        keys = {platform.strip().lower()}
        if self._platforms is not None:
            keys |= self._platforms.home_of(platform) or frozenset()
        return tuple(d for key in sorted(keys) for d in self.home_domains.get(key, ()))

    def _compile(self, i: int, raw: Any, defaults: Context) -> CompiledPattern:
        compiled = super()._compile(i, raw, defaults)
        if isinstance(raw, dict) and raw.get("labels"):
            by_length = lambda words: tuple(sorted((fold(w) for w in self.expand(words)), key=len, reverse=True))
            fillers = tuple(f for f in by_length(raw.get("label-skip", [])) if f)  # an empty one peels nothing
            self._labels[id(compiled)] = (by_length(raw["labels"]), fillers)
        own = raw if isinstance(raw, dict) else {}
        anywhere = own.get("unless-anywhere", self.params.get("unless-anywhere", []))
        phrases = [fold(w) for w in self.expand(anywhere)]
        self._anywhere[id(compiled)] = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        return compiled

    def _drop(self, prev: str, ch: str, nxt: str) -> bool:
        if ch not in self.separators or not prev or not nxt:
            return False
        return (is_han(prev) or prev.isdigit() or is_han(nxt) or nxt.isdigit()) and not (prev.isspace() or nxt.isspace())

    def _without_separators(self, view: View, runs: "re.Pattern[str]") -> View:
        """``view`` with its separators dropped: in a run of them, all but the last, and the last
        too when ``_drop`` says so of the characters either side of the run (what squeezing each
        run to its last separator and then dropping one at a time gives). Only the runs that
        change the text are visited; what ``_drop`` says is kept by the pair of neighbours."""
        text = view.text
        n = len(text)
        verdicts = self._drops
        parts: list[str] = []
        offsets: list[int] = []  # where each stretch kept starts, in the new text and in the old
        froms: list[int] = []
        size = last = 0
        for m in runs.finditer(text):
            i, j = m.span()
            neighbours = (text[i - 1] if i else "", text[j] if j < n else "")
            drop = verdicts.get(neighbours)
            if drop is None:
                if len(verdicts) >= 4096:
                    verdicts.clear()
                drop = verdicts[neighbours] = self._drop(neighbours[0], text[j - 1], neighbours[1])
            keep = j if drop else j - 1  # where the text goes on
            if keep == i:
                continue  # one separator, kept: nothing changes here
            parts.append(text[last:i])
            offsets.append(size)
            froms.append(last)
            size += i - last
            last = keep
        if not parts:
            return view
        parts.append(text[last:])
        offsets.append(size)
        froms.append(last)
        return Excerpt("".join(parts), view, offsets, froms)

    def view_of(self, draft: Draft, name: str) -> View:
        if name != "compact":
            return draft.view
        cache = draft.derived
        if self._cache_key not in cache:
            # Separators are dropped run by run; the table runs last, so that its keys match across
            # dropped separators (V 信 → V信 → 微信).
            runs, keys = self._scanners
            dropped = self._without_separators(draft.view, runs)
            multi, singles, one_for_one = self._table_steps
            if multi.search(dropped.text) is None:
                # Only one-character keys with one-character values: the same text as the scan, each
                # key put as its value where it is found, and the same spans (one to one); a new
                # view only if a key was found.
                text, found = singles.subn(one_for_one, dropped.text)
                if found:
                    dropped = dropped.retext(text)
                cache[self._cache_key] = dropped
            else:
                cache[self._cache_key] = _scan_transform(dropped, keys, lambda p, c, n: False, self.table)
        return cache[self._cache_key]

    def cannot_match(self, draft: Draft, p: CompiledPattern) -> bool:
        """Whether a compact-view pattern cannot match, told from the base view: it lacks, joined,
        the strings every match holds (``_not_joined``), or a long enough stretch of digits."""
        if p.view != "compact":
            return False
        return self._not_joined(draft, p) or (p.pattern.digits > 0 and self._too_few_digits(draft, p))

    def _not_joined(self, draft: Draft, p: CompiledPattern) -> bool:
        """The base view with every separator deleted holds, in order and together, the characters
        of any string of the compact view other than a table value's, and the key of any value
        (``_joined_needs``). One pass over it tells which compact patterns can match: the one
        pass over the base view looks for their characters alone, which 加, 号 or an e meet."""
        found = self._joined_pass
        if found is None or p.pattern not in found[1].keys:
            return False
        live = draft.derived.get(self._joined_key)
        if live is None:
            separators, triggers = found
            live = draft.derived[self._joined_key] = triggers.scan(separators.sub("", draft.view.text))
        return p.pattern not in live

    @functools.cached_property
    def _joined_pass(self) -> "tuple[Any, Triggers] | None":
        """A search for the separators (deleting them by stdlib ``re``'s ``sub`` costs a quarter of
        a ``str.translate`` that misses on most characters, and half of ``regex``'s), and a pass
        over the joined text for the compact patterns whose needs it can say (None: none can)."""
        if any(not value for value in self.table.values()):
            return None  # a key put as nothing joins what stands around it, as a separator does
        chars = "".join(re.escape(c) for c in sorted(self.separators))
        separators = re.compile(f"[{chars}]" if chars else "(?!)")
        keys_of: dict[str, list[str]] = {}  # value → the keys put as it (薇信, V信… → 微信)
        for key, value in self.table.items():
            if key:
                keys_of.setdefault(value, []).append(key)
        by_char: dict[str, dict[str, list[str]]] = {}  # character → the values holding it, with their keys
        for value, keys in keys_of.items():
            for ch in set(value):
                by_char.setdefault(ch, {})[value] = keys
        needs = []
        for p in self.patterns:
            if p.view == "compact" and p.pattern.literals:
                found = _joined_needs(p.pattern.literals, separators, by_char)
                if found is not None:
                    needs.append((p.pattern, found))
        return (separators, Triggers(needs)) if needs else None

    def _too_few_digits(self, draft: Draft, p: CompiledPattern) -> bool:
        """A compact-view pattern that needs ``p.digits`` digits in a row cannot match when the
        base view has no stretch of that many digits and look-alikes with only separators between
        (the compact view only drops separators and puts a table value for a key)."""
        if self._digit_stretches is None:
            return False
        longest = draft.derived.get(self._digits_key)
        if longest is None:
            stretches, joiners, fewest, enough = self._digit_stretches
            text = draft.view.text
            if enough.search(text) is None:  # most drafts: no stretch as long as the shortest pattern's
                longest = fewest - 1
            else:
                longest = max((len(m.group().translate(joiners)) for m in stretches.finditer(text)), default=0)
            draft.derived[self._digits_key] = longest
        return longest < p.pattern.digits

    @functools.cached_property
    def _digit_stretches(self) -> "tuple[re.Pattern[str], dict[int, None], int, re.Pattern[str]] | None":
        """A search finding stretches of digits, look-alikes and separators that hold a digit, a
        ``str.translate`` table deleting the separators (what is left counts the digits it can
        become), the fewest digits a compact pattern needs and a search finding a stretch of that
        many; None when a table value could hold more digits than its key has characters.

        They are stdlib ``re`` (a third of ``regex``'s time over Chinese text, where 一 and 两 are
        look-alikes). Its ``\\d`` is the rule patterns' (``regex``) in the Basic Multilingual
        Plane, tested for the oldest and newest Python here; beyond it, where newer scripts'
        digits are, every character counts as a digit, so a stretch is never found shorter than
        the patterns may see it."""
        digit_like: set[str] = set()
        joiners = set(self.separators)
        for key, value in self.table.items():
            if _DIGIT.search(value):
                if len(value) > len(key):
                    return None
                digit_like.update(key)
            elif not value:
                joiners.update(key)
        joiners -= digit_like
        # A separator that is a digit, or beyond the plane, counts as a digit (see above): the two
        # sets stay apart.
        joiners = {c for c in joiners if c < _ASTRAL and not c.isdecimal()}
        d = r"\d" + "".join(re.escape(c) for c in sorted(digit_like)) + _ASTRAL + "-\U0010ffff"
        j = "".join(re.escape(c) for c in sorted(joiners))
        fewest = min((p.pattern.digits for p in self.patterns if p.view == "compact" and p.pattern.digits), default=1)
        # A digit, then fewest - 1 more with only separators between (the two sets are disjoint,
        # so the search cannot backtrack far).
        enough = f"[{d}]" + (f"(?:[{j}]*[{d}]){{{fewest - 1}}}" if j else f"[{d}]{{{fewest - 1}}}")
        return (
            re.compile(f"[{d}{j}]*[{d}][{d}{j}]*"),
            {ord(c): None for c in joiners},
            fewest,
            re.compile(enough),
        )

    def view_triggers(self) -> list[tuple[Hashable, list[Needs]]]:
        """Each compact-view pattern's characters as strings the one pass looks for in the base
        view: a character of the compact view is the base view's own, or one of a table value put
        for a key whose characters the base view holds (so it holds the key's first)."""
        return [(key, needs) for key, needs in self._compact_needs.values()]

    def pass_keys(self) -> dict[int, Hashable]:
        return {**super().pass_keys(), **{i: key for i, (key, _) in self._compact_needs.items()}}

    @functools.cached_property
    def _compact_needs(self) -> dict[int, tuple[Hashable, list[Needs]]]:
        """Pattern index → its key and alternatives for the one pass, for the compact-view
        patterns whose characters can all be looked for."""
        keys_for: dict[str, set[str]] = {}
        for key, value in self.table.items():
            if key:
                for ch in value:
                    keys_for.setdefault(ch, set()).add(key[0])
        out: dict[int, tuple[Hashable, list[Needs]]] = {}
        for i, p in enumerate(self.patterns):
            if p.view != "compact":
                continue
            rp = p.pattern
            alternatives = [rp.needs + alt for alt in rp.alternatives] if rp.alternatives else [rp.needs]
            needs: list[Needs] = []
            for clauses in alternatives:
                strings = [view_strings(c) for c in clauses]
                if any(s is None for s in strings):
                    break
                needs.append(tuple(s | {k for ch in s for k in keys_for.get(ch, ())} for s in strings if s is not None))
            else:
                out[i] = ((self.rule.id, "compact", i), needs)
        return out

    @functools.cached_property
    def _table_steps(self) -> "tuple[re.Pattern[str], re.Pattern[str], Callable[[re.Match[str]], str]]":
        """The table split in two: a search for the keys that are longer than one character or
        whose value is not (which need the scan), and a search for the rest with what each is put
        as. Without the first kind in the text, each key found is one character standing for one,
        so the scan comes down to a substitution (the digit look-alikes 一/二/三 are in most
        Chinese drafts; ``str.translate`` with a table of them took four times as long)."""
        multi = [k for k, v in self.table.items() if k and (len(k) != 1 or len(v) != 1)]
        one = {k: v for k, v in self.table.items() if len(k) == 1 and len(v) == 1}
        by_length = "|".join(re.escape(k) for k in sorted(multi, key=len, reverse=True))
        chars = "".join(re.escape(k) for k in sorted(one))
        return (
            re.compile(by_length or "(?!)"),
            re.compile(f"[{chars}]" if chars else "(?!)"),
            lambda m: one[m.group()],
        )

    def view_chars(self, draft: Draft, name: str) -> frozenset[str]:
        """For the compact view, without building it: it only drops characters and puts a table
        value for a key found in the text, whose characters the base view then all holds. Once
        worked out, this answer stands after the view is built too (for the patterns after the
        first that built it): a superset of the view's own characters, and the set of them
        would cost another pass over the text."""
        if name != "compact":
            return super().view_chars(draft, name)
        known = draft.derived.get(self._chars_key)
        if known is not None:
            return known
        if self._cache_key in draft.derived:
            return super().view_chars(draft, name)
        base = draft.chars(draft.view)
        by_first, key_chars = self._value_chars
        held = base & key_chars  # what decides which keys the text holds all of
        if not held:
            draft.derived[self._chars_key] = base
            return base
        extra = self._extra.get(held)
        if extra is None:
            if len(self._extra) > 4096:
                self._extra.clear()
            extra = self._extra[held] = frozenset().union(
                *(value for c in held & by_first.keys() for key, value in by_first[c] if key <= held)
            )
        found = draft.derived[self._chars_key] = base | extra
        return found

    @functools.cached_property
    def _value_chars(self) -> tuple[dict[str, tuple[tuple[frozenset[str], frozenset[str]], ...]], frozenset[str]]:
        """First character of a table key → for each key starting with it, the key's characters
        and those of its value (case-folded as well, like ``Draft.chars``); and every key's characters."""
        out: dict[str, list[tuple[frozenset[str], frozenset[str]]]] = {}
        for key, value in self.table.items():
            if key:
                out.setdefault(key[0], []).append((frozenset(key), text_chars(value)))
        return {k: tuple(v) for k, v in out.items()}, frozenset("".join(self.table))

    @functools.cached_property
    def _scanners(self) -> "tuple[re.Pattern[str], re.Pattern[str]]":
        """Searches for the only places the compact view can differ from its source: the runs of
        separators and the keys of the table (longest first).
        They are literal characters and strings, searched by stdlib ``re``: two to three times
        quicker than ``regex`` at them, with the same matches."""
        seps = "".join(re.escape(c) for c in sorted(self.separators))
        keys = [re.escape(k) for k in sorted(self.table, key=len, reverse=True) if k]
        return (
            re.compile(f"[{seps}]+" if seps else "(?!)"),
            re.compile("|".join(keys) or "(?!)"),
        )

    def accept(self, draft: Draft, p: Any, m: Any) -> bool:
        if self._allowed and self._allowed.covers(m.group(0)):
            return False
        labels = self._labels.get(id(p))
        if labels is not None and _labelled(m.string[: m.start()], *labels):
            return False
        anywhere = self._anywhere.get(id(p))
        if anywhere is not None and self._in_sentence_with(draft, p, m, anywhere):
            return False
        if p.category != "link":
            return True
        host = _URL_HOST.fullmatch(m.group(0))
        if host is None:
            return True
        name = host.group(2).lower()
        if not host.group(1) and not host.group(3) and name in self._marketplaces:
            # A marketplace's bare name (jd.com) names a platform, which is platform-mention's business.
            return False
        home = self.home_hosts(draft.platform)
        return not any(name == d or name.endswith("." + d) for d in home)

    def _finding(self, draft: Draft, view: View, p: CompiledPattern, m: Any) -> Optional[Finding]:
        """A pattern's group named ``report`` is the span reported, once the context has been
        judged on the match (or ``hit``): the number after 联系电话：, not the label."""
        found = super()._finding(draft, view, p, m)
        if found is None or "report" not in m.re.groupindex or m.group("report") is None:
            return found
        start, end = m.span("report")
        if view is not draft.view:
            start, end = _to_base(draft, view, start, end)
        return replace(found, start=start, end=end)

    def _in_sentence_with(self, draft: Draft, p: Any, m: Any, phrases: "re.Pattern[str]") -> bool:
        """Whether the sentence holding the match (in the base view) contains one of ``phrases``."""
        view = self.view_of(draft, p.view)
        start = m.start()
        if view is not draft.view:
            start, _ = _to_base(draft, view, start, m.end())
        s, e = draft.sentence_of(start)
        return phrases.search(draft.view.text, s, e) is not None


def _labelled(before: str, labels: tuple[str, ...], fillers: tuple[str, ...]) -> bool:
    """Whether ``before`` ends with a label, once trailing fillers and spaces are peeled off."""
    text = before.rstrip()
    while True:
        if text.endswith(labels):  # one call for every label, in C
            return True
        if not text.endswith(fillers):
            return False
        filler = next(f for f in fillers if text.endswith(f))
        text = text[: -len(filler)].rstrip()


def _scan_transform(view: View, scanner: Any, drop: Any, table: dict[str, str]) -> View:
    """``normalize.transform(view, drop, table)``, computed by visiting only the places ``scanner``
    finds (a key of ``table`` or a character ``drop`` may remove); the stretches between them are
    copied whole. Same text and spans as ``transform``, several times faster on the hot path."""
    text = view.text
    n = len(text)
    starts, ends = view.starts, view.ends
    parts: list[str] = []
    new_starts = positions(size=view.original_length)
    new_ends = positions(size=view.original_length)
    changed = False
    last = 0
    for m in scanner.finditer(text):
        i, j = m.span()
        if i > last:
            parts.append(text[last:i])
            new_starts.extend(starts[last:i])
            new_ends.extend(ends[last:i])
        found = m.group()
        value = table.get(found)
        if value is not None:
            changed = True
            parts.append(value)
            new_starts.extend([starts[i]] * len(value))
            new_ends.extend([ends[j - 1]] * len(value))
        elif not drop(text[i - 1] if i else "", found, text[j] if j < n else ""):
            parts.append(found)
            new_starts.append(starts[i])
            new_ends.append(ends[i])
        else:
            changed = True
        last = j
    if not changed:
        return view
    if last < n:
        parts.append(text[last:])
        new_starts.extend(starts[last:])
        new_ends.extend(ends[last:])
    return View("".join(parts), new_starts, new_ends, view.original_length)


def _joined_needs(
    literals: tuple[Needs, ...], separators: "re.Pattern[str]", by_char: dict[str, dict[str, list[str]]]
) -> "list[Needs] | None":
    """A compact pattern's literal factors as strings of the base view with its separators
    deleted: each string so joined, and the key (joined) of every table value that can overlap it;
    None when one of them joins to nothing (every text holds it)."""
    out: list[Needs] = []
    for alternative in literals:
        clauses = []
        for clause in alternative:
            strings: set[str] = set()
            for string in clause:
                values = {value: keys for ch in set(string) for value, keys in by_char.get(ch, {}).items()}
                for key in [string] + [key for value, keys in values.items() if _overlap(value, string) for key in keys]:
                    joined = separators.sub("", key)
                    if not joined:
                        return None
                    strings.add(joined)
            clauses.append(frozenset(strings))
        out.append(tuple(clauses))
    return out


def _overlap(value: str, string: str) -> bool:
    """Whether ``value`` put somewhere in a text can share at least one character of a place
    where ``string`` stands (their overlapping characters alike): one holds the other, or an end
    of one is a start of the other."""
    if value in string or string in value:
        return True
    return any(value.endswith(string[:n]) or string.endswith(value[:n]) for n in range(1, min(len(value), len(string))))
