"""Reading LSP messages from stdin so that one badly framed message costs only itself.

pygls's loop takes a header line only when the whole line is ``Content-Length: N``. After a
message whose Content-Length was too short, the rest of its body and the next message's header
arrive as one line, so every later message (shutdown and exit included) was lost and the server
wedged for good. Here a header is recognised at the end of a line too (a JSON body never holds a
raw CR LF), so the stream re-synchronises at the next message.
"""
from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any, Callable, Optional

HEADER = re.compile(rb"Content-Length:[ \t]*(\d{1,12})[ \t]*\r?\n\Z", re.IGNORECASE)
MAX_BODY = 256 << 20  # no text document comes near; a larger length is taken for garbage


async def read_messages(
    stop_event: threading.Event,
    reader: Any,
    protocol: Any,
    logger: Optional[logging.Logger] = None,
    error_handler: Optional[Callable[[Exception, type], Any]] = None,
) -> None:
    """pygls's ``run_async`` with re-synchronisation: read headers and bodies until EOF or stop."""
    from pygls.exceptions import JsonRpcException

    logger = logger or logging.getLogger(__name__)
    content_length = 0
    while not stop_event.is_set():
        header = await reader.readline()
        if not header:
            break
        match = HEADER.search(header)
        if match and int(match.group(1)) <= MAX_BODY:
            if match.start() > 0:
                logger.warning("skipped %d bytes of a badly framed message", match.start())
            content_length = int(match.group(1))
            continue
        if header.strip():
            continue  # another header (Content-Type) or leftovers of a body cut short
        if not content_length:
            continue
        body = await reader.readexactly(content_length)
        content_length = 0
        if not body:
            break
        try:
            message = json.loads(body, object_hook=protocol.structure_message)
            protocol.handle_message(message)
        except Exception as exc:
            logger.exception("Unable to handle message")
            if error_handler:
                error_handler(exc, JsonRpcException)
