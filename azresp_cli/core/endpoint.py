"""Turn whatever endpoint a user pastes into the v1 base URL the openai client needs.

Azure shows endpoints in several spellings (portal "Endpoint", SDK samples with ``/openai/v1``,
REST samples ending in ``/responses``); all of them mean ``https://R.openai.azure.com/openai/v1/``.
Forms that point at another API (the legacy deployments API, an AI Foundry project) are refused
with the form to use instead, because they would fail later with a confusing 404.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from azresp_cli.core.errors import ConfigError

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_V1_PATHS = frozenset({"", "/openai", "/openai/v1", "/openai/v1/responses"})
_EXAMPLE = "https://RESOURCE.openai.azure.com"


def normalize_endpoint(raw: str) -> str:
    """Return ``scheme://host[:port]/openai/v1/`` for any accepted form, or raise ConfigError."""
    text = raw.strip()
    if not text:
        raise ConfigError("the endpoint is empty", hint=f"use the resource URL, e.g. {_EXAMPLE}")
    if "://" not in text:
        raise ConfigError(
            f"'{text}' is not an endpoint URL",
            hint=f"use the resource URL with https://, e.g. {_EXAMPLE}",
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"'{text}' is not a valid URL: {exc}") from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host or " " in text:
        raise ConfigError(
            f"'{text}' is not an endpoint URL",
            hint=f"use the resource URL with https://, e.g. {_EXAMPLE}",
        )
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise ConfigError(
            f"refusing plain http:// for {host}: keys and prompts would travel unencrypted",
            hint="use https://; http:// is only for localhost, 127.0.0.1 or ::1 (the emulator)",
        )
    path = parts.path.rstrip("/")
    if path.startswith("/openai/deployments"):
        raise ConfigError(
            "this is a legacy /openai/deployments/... URL; azresp uses the v1 Responses API",
            hint=f"use the resource URL ({parts.scheme}://{host}) and pass the deployment "
            "name with -m/--model",
        )
    if path.startswith("/api/projects"):
        raise ConfigError(
            "this is an Azure AI Foundry project URL, not an Azure OpenAI endpoint",
            hint=f"use the resource's Azure OpenAI endpoint, e.g. https://{host.split('.')[0]}"
            ".openai.azure.com (Keys and Endpoint page of the resource)",
        )
    if path not in _V1_PATHS:
        raise ConfigError(
            f"unexpected path '{parts.path}' in the endpoint",
            hint=f"use the resource URL alone, e.g. {_EXAMPLE}, or end it with /openai/v1",
        )
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    return f"{parts.scheme}://{netloc}/openai/v1/"


def endpoint_host(base_url: str) -> str:
    """The host (and port) part, for toolbars, footers and the history store."""
    return urlsplit(base_url).netloc
