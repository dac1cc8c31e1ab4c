"""The openai client, pointed at an Azure OpenAI v1 endpoint.

The plain ``openai.OpenAI`` client with ``base_url``, as Azure's v1 docs use it (not the
deprecated ``AzureOpenAI`` class). openai is imported here, and only when a request is near.
Its httpx client carries one response hook: no streamed event may exceed a bounded size
(core/bounded_stream.py); it uses the TLS context a one-shot prepared in the background
(core/client_prep.py). Streams are read as JSON events (core/raw_api.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from azresp_cli.core import early_connection
from azresp_cli.core.auth import api_key_for
from azresp_cli.core.client_prep import defer_openai_types, prepared_ssl_context
from azresp_cli.core.config import Settings

if TYPE_CHECKING:
    from openai import OpenAI

CONNECT_TIMEOUT = 10.0  # a resource that does not answer a TCP handshake in 10 s is not there


def connect_early(settings: Settings) -> None:
    """Open the connection to the endpoint now, for the next `make_client` to use
    (core/early_connection.py); for a command that will send a request at once."""
    plain_http = settings.endpoint.lower().startswith("http://")
    early_connection.open_early(
        settings.endpoint,
        min(CONNECT_TIMEOUT, settings.timeout),
        (lambda: None) if plain_http else prepared_ssl_context,
    )


def make_client(settings: Settings) -> OpenAI:
    defer_openai_types()
    import openai

    from azresp_cli import __version__  # importlib.metadata: openai has loaded it by now
    from azresp_cli.core.bounded_stream import limit_event_size

    timeout = openai.Timeout(settings.timeout, connect=min(CONNECT_TIMEOUT, settings.timeout))
    # An http:// endpoint (the emulator, a local proxy) never uses TLS, and building the
    # certificate store costs 40-80 ms of CPU before the first request. Redirects are not
    # followed then either, so none can lead this client to an https host it would not verify.
    plain_http = settings.endpoint.lower().startswith("http://")
    # For https, the context a one-shot prepared in the background (exactly as httpx would
    # build it for verify=True), else httpx builds it.
    context = None if plain_http else prepared_ssl_context()
    http_client = openai.DefaultHttpxClient(
        timeout=timeout,
        event_hooks={"response": [limit_event_size]},
        # The SDK's defaults (True, True), except for a plain-http endpoint (above).
        verify=False if plain_http else (context if context is not None else True),
        follow_redirects=not plain_http,
    )
    early = early_connection.pending()
    if early is not None:  # a one-shot opened its connection while openai imported
        from azresp_cli.core.early_backend import install

        install(http_client, settings.endpoint, early)
    return openai.OpenAI(
        api_key=api_key_for(settings),
        base_url=settings.endpoint,
        timeout=timeout,
        max_retries=settings.max_retries,
        # The SDK's own client defaults, plus a cap on the size of one streamed event.
        http_client=http_client,
        # Azure's convention for naming the calling tool in its telemetry.
        default_headers={"x-ms-useragent": f"azresp/{__version__}"},
    )
