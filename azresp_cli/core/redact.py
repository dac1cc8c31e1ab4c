"""Keep secrets out of every line azresp prints or stores.

Anything that may carry an api key, a bearer token or a SAS signature passes through ``redact``
before it reaches a log, the terminal or the history database.
"""

from __future__ import annotations

import re

REDACTED = "***"

_SECRET_PATTERNS = [
    # header lines and reprs: "api-key: abc", 'Authorization': 'Bearer abc'
    re.compile(
        r"(?i)((?:api-key|authorization|ocp-apim-subscription-key|x-api-key)['\"]?\s*[:=]\s*['\"]?)"
        r"(?:bearer\s+)?[^\s'\",}]+"
    ),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)((?:[?&]|\b)(?:sig|api-key|api_key|key|token|access_token)=)[^&\s'\"]+"),
    re.compile(
        r"(?i)((?:api_key|access_token|refresh_token|client_secret)['\"]?\s*[:=]\s*['\"]?)"
        r"[^\s'\",}]+"
    ),
    # a key or token quoted in prose ("The key sk-... is not valid"): OpenAI-style keys, and
    # JWTs (Microsoft Entra ID access tokens start with the base64 of '{"typ":' or '{"alg":')
    re.compile(r"(\b)sk-[A-Za-z0-9_-]{8,}"),
    re.compile(r"(\b)eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
]

# Process-wide on purpose: the SDK's and httpx's debug loggers can emit a secret from any
# thread, so the log filter must know every secret without being handed one per call.
_known_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret so it is masked wherever it appears, whatever surrounds it."""
    if value and len(value) >= 4:
        _known_secrets.add(value)


def redact(text: str) -> str:
    for secret in sorted(_known_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text
