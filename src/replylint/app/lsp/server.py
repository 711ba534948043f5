"""`replylint lsp`: a language server over stdio, so editors show findings as the agent types.

Linting runs on one background thread: the protocol loop stays responsive (hover, shutdown) while
a large draft is linted, and results for a text the user has since changed are dropped, never
published at stale positions.
"""
from __future__ import annotations

import asyncio
import logging
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Optional

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import to_fs_path

from ... import __version__
from ...errors import ConfigError, ReplylintError
from ...report.diagnostic import Diagnostic
from ...rules.file import Rule
from .actions import SOURCE, code_actions, hover, to_lsp
from .linting import BufferLinter, changes_settings
from .positions import ENCODINGS, PositionMap

log = logging.getLogger("replylint.lsp")

DEBOUNCE_SECONDS = 0.15
# Beyond this many characters a buffer is not linted: no reply or template is that long, and the
# rules' pattern timeouts would stop the run anyway.
MAX_CHARS = 500_000


@dataclass
class _Linted:
    """The last published result of a buffer, kept for code actions and hovers."""

    version: Optional[int]
    pmap: PositionMap
    diagnostics: list[Diagnostic]
    rules: dict[str, Rule]


class _Worker:
    """One daemon thread that runs lint jobs in order. A daemon, unlike a ThreadPoolExecutor
    worker, never holds up the process on `exit` while it lints a huge buffer."""

    def __init__(self) -> None:
        self._jobs: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        threading.Thread(target=self._run, name="replylint-lint", daemon=True).start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> "asyncio.Future[Any]":
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._jobs.put((loop, future, fn, args))
        return future

    def _run(self) -> None:
        while True:
            loop, future, fn, args = self._jobs.get()
            if future.cancelled():
                continue
            try:
                outcome: tuple[Any, Optional[BaseException]] = (fn(*args), None)
            except BaseException as exc:  # handed to the awaiting coroutine
                outcome = (None, exc)
            loop.call_soon_threadsafe(_settle, future, *outcome)


def _settle(future: "asyncio.Future[Any]", result: Any, exc: Optional[BaseException]) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


class _Protocol(LanguageServerProtocol):
    """Answers a request whose params do not fit its method with an InvalidParams error, as JSON-RPC
    asks; pygls would only log it and leave the client waiting for an answer."""

    def structure_message(self, data: Any) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "method" in data and isinstance(data.get("id"), (int, str)):
                self._send_response(data["id"], error=exc.to_response_error())
            elif isinstance(data, dict) and data.get("method") == types.TEXT_DOCUMENT_DID_CHANGE:
                # A change we cannot read (a negative position, say): the buffer would drift.
                uri = ((data.get("params") or {}).get("textDocument") or {}).get("uri")
                if isinstance(uri, str):
                    self._server.lost_track(uri)  # type: ignore[attr-defined]
            return SimpleNamespace(jsonrpc="ignored")  # handle_message skips it

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        """Apply the changes with the server's own position map (pygls's would misplace a change
        past a line's end, and a reversed range); one that makes no sense loses track of the
        buffer, which is then said and not linted until the editor sends its whole text again."""
        self._server.apply_changes(params)  # type: ignore[attr-defined]
        if (user_handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield user_handler, (params,), None


class ReplylintServer(LanguageServer):
    """The server's state: the buffer linter, pending lint tasks and the last results per buffer."""

    def __init__(self) -> None:
        super().__init__("replylint", __version__, protocol_cls=_Protocol)
        self.buffers = BufferLinter()
        self.worker = _Worker()
        self.pending: dict[str, asyncio.Task] = {}
        self.linted: dict[str, _Linted] = {}
        self.shutdown_requested = False
        self._shown: set[str] = set()
        self.desynced: set[str] = set()  # buffers whose text we lost track of (a bad didChange)

    def start_io(self, stdin: Any = None, stdout: Any = None) -> None:
        """pygls's stdio loop, reading messages with ``stream.read_messages`` (which survives a
        badly framed message)."""
        import sys

        from pygls.io_ import StdinAsyncReader, StdoutWriter

        from .stream import read_messages

        self._stop_event = threading.Event()
        reader = StdinAsyncReader(stdin or sys.stdin.buffer, self.thread_pool)
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(read_messages(self._stop_event, reader, self.protocol, log, self.report_server_error))
        except BrokenPipeError:
            log.error("the connection to the client is lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    def apply_changes(self, params: types.DidChangeTextDocumentParams) -> None:
        """A didChange applied to the open buffer; see ``_Protocol.lsp_text_document__did_change``."""
        uri = params.text_document.uri
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            return
        text = doc.source
        for change in params.content_changes:
            r = getattr(change, "range", None)
            if r is None:
                text = change.text
                self.desynced.discard(uri)
                continue
            if uri in self.desynced:
                continue
            if (r.start.line, r.start.character) > (r.end.line, r.end.character):
                self.lost_track(uri)
                continue
            pmap = PositionMap(text, self.encoding)
            a, b = pmap.offset(r.start.line, r.start.character), pmap.offset(r.end.line, r.end.character)
            text = text[:a] + change.text + text[b:]
        doc.apply_change(types.TextDocumentContentChangeWholeDocument(text=text))
        doc.version = params.text_document.version

    def lost_track(self, uri: str) -> None:
        """Stop trusting a buffer's text: clear its findings and tell the user how to re-sync."""
        if uri not in self.workspace.text_documents or uri in self.desynced:
            return
        self.desynced.add(uri)
        self.linted.pop(uri, None)
        self.publish(uri, None, [])
        name = uri.rstrip("/").rsplit("/", 1)[-1]
        self.window_show_message(types.ShowMessageParams(
            type=types.MessageType.Error,
            message=f"replylint: {name}: an edit arrived with positions outside the text; "
                    "close and reopen the file to lint it again"))

    # -- helpers ---------------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        enc = str(self.workspace.position_encoding or "utf-16")
        return enc if enc in ENCODINGS else "utf-16"

    def tell_once(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        """Show a problem the user must fix (a bad config) once, not on every keystroke."""
        if message not in self._shown:
            self._shown.add(message)
            self.window_show_message(types.ShowMessageParams(type=kind, message=f"replylint: {message}"))

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Lint ``uri`` after ``delay`` seconds, replacing a lint still waiting for it."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint(uri, delay))

    def relint_all(self) -> None:
        """A config file changed: find configs afresh (on the worker, before the lints queued
        after it) and lint every open buffer again."""
        self.worker.submit(self.buffers.forget)
        self._shown.clear()
        for uri in list(self.workspace.text_documents):
            self.schedule(uri)

    def current(self, uri: str) -> Optional[_Linted]:
        """The stored result for ``uri`` if it still describes the open text."""
        doc = self.workspace.text_documents.get(uri)
        linted = self.linted.get(uri)
        if doc is None or linted is None or linted.version != doc.version or linted.pmap.text != doc.source:
            return None
        return linted

    def publish(self, uri: str, version: Optional[int], diagnostics: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics)
        )

    async def _lint(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            await self._lint_now(uri)
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug must cost one buffer's findings, not the server
            log.exception("linting %s failed", uri)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    async def _lint_now(self, uri: str) -> None:
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            return
        text, version = doc.source, doc.version
        if uri in self.desynced:
            return  # its text is not the editor's; lost_track said so and cleared its findings
        if len(text) > MAX_CHARS:
            self.linted.pop(uri, None)
            self.publish(uri, version, [])
            name = uri.rstrip("/").rsplit("/", 1)[-1]
            self.tell_once(f"{name}: {len(text):,} characters, not linted (limit {MAX_CHARS:,})",
                           types.MessageType.Warning)
            return
        path = _fs_path(uri)
        pmap = PositionMap(text, self.encoding)
        extra: list[types.Diagnostic] = []
        try:
            linter, found, stopped = await self.worker.submit(self.buffers.lint_with_errors, text, path)
            rules = {r.id: r for r in linter.all_rules}
            extra = [types.Diagnostic(  # a rule stopped by its timeout: said, never a silent clean
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                message=e.message, severity=types.DiagnosticSeverity.Error, code=e.rule or "input-error", source=SOURCE,
            ) for e in stopped]
        except ConfigError as exc:
            self.tell_once(str(exc))
            found, rules = [], {}
        except ReplylintError as exc:  # unreadable template, a pattern that ran too long
            found, rules = [], {}
            extra = [types.Diagnostic(
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                message=str(exc), severity=types.DiagnosticSeverity.Error, code="input-error", source=SOURCE,
            )]
        now = self.workspace.text_documents.get(uri)
        if now is None or now.version != version or now.source != text:
            return  # edited (or closed) while linting; a newer lint is on its way
        self.linted[uri] = _Linted(version, pmap, found, rules)
        self.publish(uri, version, [to_lsp(d, pmap) for d in found] + extra)


def _fs_path(uri: str) -> Optional[Path]:
    if not uri.startswith("file:"):
        return None
    try:
        path = to_fs_path(uri)
    except Exception:
        return None
    return Path(path) if path else None


def _guard(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Log and swallow a handler's exception: a bad request costs its answer, not the server."""

    async def wrapper(ls: ReplylintServer, params: Any) -> Any:
        try:
            return await handler(ls, params)
        except Exception:
            log.exception("%s failed", handler.__name__)
            return None

    wrapper.__name__ = handler.__name__
    wrapper.__doc__ = handler.__doc__
    return wrapper


def build_server() -> ReplylintServer:
    """The server with its features registered (a function, so that tests can build many)."""
    server = ReplylintServer()

    @server.feature(types.INITIALIZE)
    @_guard
    async def initialize(ls: ReplylintServer, params: types.InitializeParams) -> None:
        root = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
        folder = _fs_path(root) if root else None
        if folder is not None and folder.is_dir():
            ls.buffers.default_folder = folder

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @_guard
    async def did_open(ls: ReplylintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.desynced.discard(params.text_document.uri)
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @_guard
    async def did_change(ls: ReplylintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @_guard
    async def did_save(ls: ReplylintServer, params: types.DidSaveTextDocumentParams) -> None:
        if changes_settings(_fs_path(params.text_document.uri)):
            ls.relint_all()
        elif params.text_document.uri in ls.workspace.text_documents:
            ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @_guard
    async def did_close(ls: ReplylintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.linted.pop(uri, None)
        ls.desynced.discard(uri)
        ls.publish(uri, None, [])

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @_guard
    async def watched_files(ls: ReplylintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(changes_settings(_fs_path(c.uri)) for c in params.changes):
            ls.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @_guard
    async def changed_configuration(ls: ReplylintServer, params: types.DidChangeConfigurationParams) -> None:
        ls.relint_all()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    @_guard
    async def code_action(ls: ReplylintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = ls.current(uri)
        only = params.context.only if params.context else None
        if linted is None or (only and not any(types.CodeActionKind.QuickFix.startswith(k) for k in only)):
            return []
        r = params.range
        a = linted.pmap.offset(r.start.line, r.start.character)
        b = linted.pmap.offset(r.end.line, r.end.character)
        return code_actions(uri, linted.pmap, linted.diagnostics, linted.rules, min(a, b), max(a, b))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @_guard
    async def on_hover(ls: ReplylintServer, params: types.HoverParams) -> Optional[types.Hover]:
        linted = ls.current(params.text_document.uri)
        if linted is None:
            return None
        offset = linted.pmap.offset(params.position.line, params.position.character)
        return hover(linted.pmap, linted.diagnostics, linted.rules, offset, _wants_markdown(ls))

    @server.feature(types.SHUTDOWN)
    @_guard
    async def shutdown(ls: ReplylintServer, params: Any) -> None:
        ls.shutdown_requested = True
        for task in ls.pending.values():
            task.cancel()
        ls.pending.clear()

    return server


def _wants_markdown(ls: ReplylintServer) -> bool:
    caps = ls.client_capabilities
    hover_caps = caps.text_document.hover if caps and caps.text_document else None
    formats = hover_caps.content_format if hover_caps else None
    return not formats or formats[0] == types.MarkupKind.Markdown


def serve() -> int:
    """Speak LSP on stdin/stdout until the client says exit. Exit status 0 after a shutdown
    request, 1 if the client went away without one (as LSP asks)."""
    logging.basicConfig(level=logging.WARNING, format="replylint-lsp: %(levelname)s: %(message)s")
    server = build_server()
    server.start_io()
    return 0 if server.shutdown_requested else 1
