"""Team rule files for tests: the fields every rule needs, around the parts a test is about."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Sequence


def rule_toml(
    id: str, kind: str, body: str = "", zh: str = "z", en: str = "e", bad: Sequence[str] = (), good: Sequence[str] = ()
) -> str:
    """A rule file: ``body`` (the kind's own keys and tables) between the common header and the
    message and examples."""
    header = f'id = "{id}"\nkind = "{kind}"\nseverity = "warning"\nsummary = "s"\nnorm = "n"\nrationale = "r"\n'
    return (
        header
        + textwrap.dedent(body).strip("\n")
        + f"\n[message]\nzh = {json.dumps(zh, ensure_ascii=False)}\nen = {json.dumps(en, ensure_ascii=False)}\n"
        + f"[examples]\nbad = {json.dumps(list(bad), ensure_ascii=False)}\ngood = {json.dumps(list(good), ensure_ascii=False)}\n"
    )


def write_rule(folder: Path, id: str, kind: str, body: str = "", **fields) -> Path:
    """``rule_toml`` written to ``folder/<id>.toml`` (the folder made if need be)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{id}.toml"
    path.write_text(rule_toml(id, kind, body, **fields), encoding="utf-8")
    return path
