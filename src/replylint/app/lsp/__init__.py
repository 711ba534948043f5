"""The language server: `replylint lsp` (server), buffers linted with the workspace config
(linting), findings turned into LSP diagnostics, quick fixes and hovers (actions), and offsets
converted to the client's position encoding (positions)."""
from __future__ import annotations

from .server import serve

__all__ = ["serve"]
