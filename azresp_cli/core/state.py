"""The last conversation, remembered between runs for ``-c/--continue``.

A small JSON file in the user data dir: the last response id and, for stateless (store=false)
conversations, the items the client must replay. Written atomically with user-only permissions
because replayed items hold the user's prompts and encrypted reasoning.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE_NAME = "last-conversation.json"


@dataclass(frozen=True)
class LastConversation:
    response_id: str | None = None
    store: bool = True
    endpoint: str | None = None
    items: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


def load_last(data_dir: Path) -> LastConversation | None:
    try:
        data = json.loads((data_dir / STATE_FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    items = data.get("items") or []
    return LastConversation(
        response_id=data.get("response_id"),
        store=bool(data.get("store", True)),
        endpoint=data.get("endpoint"),
        items=tuple(i for i in items if isinstance(i, dict)),
    )


def save_last(data_dir: Path, conversation: LastConversation) -> None:
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    payload = json.dumps(
        {
            "response_id": conversation.response_id,
            "store": conversation.store,
            "endpoint": conversation.endpoint,
            "items": list(conversation.items),
        }
    )
    fd, temp = tempfile.mkstemp(dir=data_dir, prefix=".state-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.chmod(temp, 0o600)
        os.replace(temp, data_dir / STATE_FILE_NAME)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
