"""Opaque `encrypted_content` tokens: the payload a client must hand back unchanged.

A token is `base64url(JSON) "." base64url(HMAC-SHA256)`, keyed with a secret made when the
emulator starts. It is signed, not encrypted: enough to prove that replayed reasoning or
compaction items came from this emulator untouched, which is all the real service checks
from a client's point of view. Tokens do not survive a restart, as with the service.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from typing import Any


class Sealer:
    """Signs and verifies payloads with one per-instance secret."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def seal(self, kind: str, payload: dict[str, Any]) -> str:
        body = json.dumps({"kind": kind, **payload}, separators=(",", ":"), sort_keys=True)
        encoded = _b64encode(body.encode())
        return f"{encoded}.{_b64encode(self._mac(encoded))}"

    def unseal(self, kind: str, token: object) -> dict[str, Any] | None:
        """The payload if `token` is an untouched token of `kind`, else None."""
        if not isinstance(token, str) or token.count(".") != 1:
            return None
        encoded, mac = token.split(".")
        try:
            is_genuine = hmac.compare_digest(_b64decode(mac), self._mac(encoded))
            payload = json.loads(_b64decode(encoded)) if is_genuine else None
        except (binascii.Error, ValueError):
            return None
        if not isinstance(payload, dict) or payload.get("kind") != kind:
            return None
        return payload

    def _mac(self, encoded: str) -> bytes:
        return hmac.new(self._secret, encoded.encode(), hashlib.sha256).digest()


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
