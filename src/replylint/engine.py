"""The engine: rules chosen by the config, run over a draft, findings turned into diagnostics."""
from __future__ import annotations

import bisect
import contextlib
import difflib
import functools
import gc
import threading
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Iterator, Optional, Sequence

from .config import Config, Override
from .errors import ConfigError, RuleTimeout
from .matching.timeout import DEFAULT_TIMEOUT
from .matching.triggers import Triggers
from .report.diagnostic import Diagnostic, Fix
from .rules.catalogue import load_rules
from .rules.context import fold
from .rules.file import Rule
from .rules.kinds import get_kind
from .rules.kinds.base import Finding, RuleKind
from .rules.kinds.mention import Mention, bundled_platform_names
from .text.draft import KINDS, Draft
from .text.language import is_han
from .text.tokenize import segmenter_for


@dataclass
class Outcome:
    """What linting one draft gave: the findings of every rule that finished, and the rules that
    were stopped (a runaway pattern of a team's rule), so a caller can never take a stop for a clean."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    timeouts: list[RuleTimeout] = field(default_factory=list)


class Linter:
    """Loads and compiles the rules once; lint many drafts with it (warm use)."""

    def __init__(self, config: Optional[Config] = None) -> None:
        with _unswept():
            self._build(config)

    def _build(self, config: Optional[Config]) -> None:
        self.config = config or Config()
        rules = load_rules(self.config.rule_paths)
        known = {r.id for r in rules}
        overridden = [(f"overrides[{i}]: ", r) for i, o in enumerate(self.config.overrides) for r in (*(o.select or ()), *o.ignore)]
        for where, rule_id in [("", r) for r in (*(self.config.select or ()), *self.config.ignore, *self.config.rules)] + overridden:
            if rule_id not in known and rule_id != "ALL":
                raise ConfigError(f"{self._where()}: {where}unknown rule {rule_id!r} (known: {', '.join(sorted(known))})")
        self.all_rules: list[Rule] = [r.with_overrides(self.config.rules.get(r.id, {})) for r in rules]
        self._compiled: dict[tuple[str, str], RuleKind] = {}
        self._settings: dict[Optional[str], Override] = {}
        self._selections: dict[int, tuple[Override, tuple[Rule, ...]]] = {}
        self._plans: dict[tuple[int, str], tuple[Sequence[Rule], _Plan]] = {}
        words: dict[str, None] = {}
        for rule in self.all_rules:
            # A rule's words for a draft kind differ from the first kind's only through its
            # [when.KIND] table: the others are compiled at their first draft, not at every start.
            for kind in KINDS:
                if kind == KINDS[0] or kind in rule.when:
                    words.update(dict.fromkeys(self._compile(rule, kind).words()))
        # This linter's own words over the shared dictionary: another config's team words never
        # change the tokens here (linters with the same rules share one segmenter).
        self.segmenter = segmenter_for(w for w in words if len(w) > 1)
        # Per draft kind, one pass over a draft's view that rules out the rules it cannot fire
        # (built at the first draft of the kind: a hook run on chat replies never needs the other).
        self._triggers: dict[str, Triggers] = {}
        self._triggers_lock = threading.Lock()
        self._platforms: set[str] = set()  # platform values already found known
        self._texts_cache: dict[tuple, tuple[str, tuple[str, ...]]] = {}
        for platform in (self.config.platform, *(o.platform for o in self.config.overrides)):
            self.check_platform(platform)

    def check_platform(self, platform: Optional[str]) -> None:
        """A home platform no mention rule knows is a typo (shopfy), not a silent default:
        ``ConfigError`` listing the known values (and the closest one)."""
        if not platform or platform in self._platforms:
            return
        names = [kind.names for kind in self._compiled.values() if isinstance(kind, Mention)]
        if not names:
            names = [bundled_platform_names("platform-mention")]
        if not any(n.knows(platform) for n in names):
            known = sorted(set().union(*(n.known | n.homes.keys() for n in names)))
            close = difflib.get_close_matches(platform.lower(), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{self._where()}: unknown platform {platform!r}{hint} (known: {', '.join(known)})")
        self._platforms.add(platform)

    def triggers_for(self, kind: str) -> Triggers:
        """The one pass over drafts of ``kind`` (``matching.triggers``), built once."""
        found = self._triggers.get(kind)
        if found is None:
            with self._triggers_lock:
                found = self._triggers.get(kind)
                if found is None:
                    rules = [r for r in self.all_rules if kind in r.applies_to]
                    kinds = [(r, self._compile(r, kind)) for r in rules]
                    with _unswept():
                        found = self._triggers[kind] = Triggers(
                            [(r.id, k.triggers()) for r, k in kinds] + [t for _, k in kinds for t in k.view_triggers()],
                            [p for _, k in kinds for p in k.rule_patterns()],
                        )
        return found

    def _where(self) -> str:
        return str(self.config.path) if self.config.path else "config"

    def _compile(self, rule: Rule, draft_kind: str) -> RuleKind:
        key = (rule.id, draft_kind)
        compiled = self._compiled.get(key)
        if compiled is None:
            kind_cls = get_kind(rule.kind)
            assert kind_cls is not None  # load_rule checked it
            params = rule.params_for(draft_kind)
            # One timeout policy for every kind: the rule's own, else the config's, else the default.
            params.setdefault("timeout", self.config.timeout if self.config.timeout is not None else DEFAULT_TIMEOUT)
            compiled = self._compiled[key] = kind_cls(rule, params)
        return compiled

    @property
    def rules(self) -> list[Rule]:
        """The rules selected by the config, in catalogue order."""
        return self.selected(self.config.for_path(None))

    def selected(self, settings: Override) -> list[Rule]:
        chosen = settings.select
        return [
            r
            for r in self.all_rules
            if ((chosen is None and r.enabled) or (chosen is not None and ("ALL" in chosen or r.id in chosen)))
            and r.id not in settings.ignore
        ]

    def _selected_for(self, settings: Override) -> tuple[Rule, ...]:
        """``selected(settings)``, worked out once per settings (``settings_for`` keeps them)."""
        found = self._selections.get(id(settings))
        if found is None or found[0] is not settings:
            if len(self._selections) > 10_000:
                self._selections.clear()
            found = self._selections[id(settings)] = (settings, tuple(self.selected(settings)))
        return found[1]

    def _plan(self, draft_kind: str, rules: Sequence[Rule]) -> "_Plan":
        """The rules of ``rules`` that apply to ``draft_kind``, compiled, each with whether the one
        pass decides if it runs; once per selection (a draft pays for none of this)."""
        key = (id(rules), draft_kind)
        found = self._plans.get(key)
        if found is None or found[0] is not rules:
            keys = self.triggers_for(draft_kind).keys
            plan = _Plan([(r, self._compile(r, draft_kind), r.id in keys) for r in rules if draft_kind in r.applies_to])
            if len(self._plans) > 64:
                self._plans.clear()
            found = self._plans[key] = (rules, plan)
        return found[1]

    def settings_for(self, path: Optional[str]) -> Override:
        """``config.for_path(path)``, worked out once per path: matching a path against the
        overrides resolves it on disk, which costs more than linting a short draft."""
        settings = self._settings.get(path)
        if settings is None:
            if len(self._settings) > 10_000:
                self._settings.clear()
            settings = self._settings[path] = self.config.for_path(path)
        return settings

    def lint(
        self,
        text: str,
        kind: Optional[str] = None,
        platform: Optional[str] = None,
        path: Optional[str] = None,
        select: Optional[Sequence[str]] = None,
    ) -> list[Diagnostic]:
        """Findings for one draft. ``kind`` and ``platform`` default to the config (and its per-file
        overrides for ``path``); ``select`` narrows the rules further. A rule stopped by its timeout
        raises ``RuleTimeout`` once every other rule has run (their findings in ``.diagnostics``)."""
        outcome = self.run(text, kind, platform, path, select)
        if outcome.timeouts:
            stopped = outcome.timeouts[0]
            stopped.diagnostics = outcome.diagnostics
            raise stopped
        return outcome.diagnostics

    def run(
        self,
        text: str,
        kind: Optional[str] = None,
        platform: Optional[str] = None,
        path: Optional[str] = None,
        select: Optional[Sequence[str]] = None,
    ) -> Outcome:
        """``lint``, with the rules that were stopped returned beside the findings, not raised."""
        settings = self.settings_for(path)
        self.check_platform(platform)
        draft = Draft(text, kind or settings.kind or "chat", platform or settings.platform, segmenter=self.segmenter)
        rules: Sequence[Rule] = self._selected_for(settings)
        if select is not None:
            # Naming a rule that is off by default runs it, as --select does.
            chosen = {r.id for r in rules}
            rules = [
                r
                for r in self.all_rules
                if r.id in select
                and (r.id in chosen or (not r.enabled and settings.select is None and r.id not in settings.ignore))
            ]
        return self.run_draft(draft, rules, path)

    def run_draft(self, draft: Draft, rules: Sequence[Rule], path: Optional[str] = None) -> Outcome:
        """Every rule over one draft; a rule that times out is noted and the others still run."""
        lang = self.config.message_language  # "auto": worked out at the first finding
        outcome = Outcome()
        out = outcome.diagnostics
        fired = draft.live = self.triggers_for(draft.kind).scan(draft.view.text)
        for rule, compiled in self._plan(draft.kind, rules).running(fired):
            first = len(out)  # this rule's diagnostics are out[first:], in the order found
            spans: list[tuple[int, int]] = []  # their spans, sorted and not overlapping
            try:
                for finding in compiled.find(draft):
                    span = _reported(draft, rule, finding)
                    # One finding per stretch of text and rule, even when several patterns match it:
                    # told before its diagnostic is made (one finding in seven goes here).
                    if span is None or not _free(spans, *span):
                        continue
                    if lang == "auto":
                        lang = draft.message_language()
                    out.append(self._diagnostic(draft, rule, finding, span, lang, path))
            except RuleTimeout as stopped:
                outcome.timeouts.append(stopped)
                del out[first:]  # a stopped rule reports nothing rather than half its findings
        if len(out) > 1:
            out.sort(key=_order)
        return outcome

    def _diagnostic(
        self, draft: Draft, rule: Rule, f: Finding, span: tuple[int, int], lang: str, path: Optional[str]
    ) -> Diagnostic:
        """The diagnostic of a finding reported at ``span`` of the draft's own text (``_reported``)."""
        start, end = span
        line, column = draft.lines.position(start)
        end_line, end_column = draft.lines.position(end)
        matched = draft.text[start:end]
        message, suggestions = self._texts(rule, f, matched, lang)
        fix = Fix(start, end, f.fix, f.safe) if f.fix is not None else None
        return Diagnostic(
            rule=rule.id,
            severity=rule.severity,
            message=message,
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            suggestions=suggestions,
            fix=fix,
            path=path,
        )

    def _texts(self, rule: Rule, f: Finding, matched: str, lang: str) -> tuple[str, tuple[str, ...]]:
        """A finding's message and suggestions, worked out once per rule, message, language, words
        matched and values: the same words are flagged draft after draft (保证, 一定, 微信)."""
        key = (rule.id, f.message, lang, matched, f.suggestions, tuple(f.values.items()))
        try:
            found, keep = self._texts_cache.get(key), True
        except TypeError:  # a value that cannot be part of a key
            found, keep = None, False
        if found is None:
            found = (rule.message(f.message, lang, match=matched, **f.values), _in_script_of(matched, f.suggestions, lang))
            if keep:
                if len(self._texts_cache) >= _TEXTS_KEPT:
                    self._texts_cache.clear()
                self._texts_cache[key] = found
        return found


_TEXTS_KEPT = 8192  # messages and suggestions a linter keeps (``Linter._texts``)


def _order(d: Diagnostic) -> tuple[int, int, str]:
    return d.start, d.end, d.rule


class _Plan:
    """A selection's rules that apply to a draft kind, compiled, each with whether the one pass
    decides if it runs (``steps``); and per answer of the pass the rules it leaves, in order (the
    pass gives drafts meeting the same clauses one answer: a draft does not walk every rule)."""

    _LIMIT = 4096

    def __init__(self, steps: list[tuple[Rule, RuleKind, bool]]) -> None:
        self.steps = steps
        self._running: dict[frozenset[Hashable], list[tuple[Rule, RuleKind]]] = {}

    def running(self, fired: frozenset[Hashable]) -> list[tuple[Rule, RuleKind]]:
        found = self._running.get(fired)
        if found is None:
            if len(self._running) >= self._LIMIT:
                self._running.clear()
            found = self._running[fired] = [(r, k) for r, k, gated in self.steps if not gated or r.id in fired]
        return found


@contextlib.contextmanager
def _unswept() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a linter builds its tables: they are tens of
    thousands of objects, none of them garbage, and the collector sweeping them again and again as
    they were made took a third of the building at a cold start. It is switched back on after (if
    it was on), and what it would have found is found at its next sweep."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _reported(draft: Draft, rule: Rule, f: Finding) -> Optional[tuple[int, int]]:
    """Where a finding is in the draft's own text, or None when an exception phrase of its rule or
    an ignored span (a suppression, a quoted earlier message) covers it."""
    if _inside_exception(draft, rule, f.start, f.end):
        return None
    start, end = draft.original(f.start, f.end)
    return None if draft.is_ignored(start, end) else (start, end)


def _free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps none of ``spans``; if so it is added (kept sorted). The
    spans never overlap, so only the neighbours of its place in the order can overlap it."""
    i = bisect.bisect_left(spans, (start, end))
    for j in (i - 1, i, i + 1):
        if 0 <= j < len(spans) and spans[j][0] < end and start < spans[j][1]:
            return False
    spans.insert(i, (start, end))
    return True


_folded = functools.lru_cache(maxsize=4096)(fold)  # exception phrases, folded once rather than per finding


@functools.lru_cache(maxsize=8192)
def _covering(exceptions: tuple[str, ...], matched: str) -> tuple[tuple[str, int], ...]:
    """The folded exception phrases that hold ``matched``, each with every offset at which it
    does: only those can cover its span, and only starting that far before it."""
    return tuple(
        (p, i) for p in map(_folded, exceptions) for i in range(len(p) - len(matched) + 1) if p.startswith(matched, i)
    )


def _inside_exception(draft: Draft, rule: Rule, start: int, end: int) -> bool:
    """Whether an exception phrase covers the view span ``[start, end)``: one of them stands in
    the text where it would hold the span's words at one of their places in it."""
    if not rule.exceptions:
        return False
    text = draft.view.text
    return any(i <= start and text.startswith(p, start - i) for p, i in _covering(rule.exceptions, text[start:end]))


def _in_script_of(matched: str, suggestions: Iterable[str], lang: str = "en") -> tuple[str, ...]:
    """The suggestions written in the script of the flagged words: an English phrase in a Chinese
    reply gets English phrasings, and the other way round (all of them if none fits). A match with
    neither letters nor Han (a phone number, 100%) follows the draft's message language ``lang``."""
    han = any(map(is_han, matched))
    if not han and not any(ch.isalpha() for ch in matched):
        han = lang == "zh"
    if type(suggestions) is tuple:
        chinese, other = _by_script(suggestions)
        return (chinese if han else other) or suggestions
    fitting = tuple(x for x in suggestions if any(map(is_han, x)) == han)
    return fitting or tuple(suggestions)


@functools.lru_cache(maxsize=4096)
def _by_script(suggestions: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A pattern's suggestions split by script once, not at each finding (in their order)."""
    return (
        tuple(x for x in suggestions if any(map(is_han, x))),
        tuple(x for x in suggestions if not any(map(is_han, x))),
    )
