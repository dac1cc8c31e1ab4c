"""The openai client, pointed at an Azure OpenAI v1 endpoint.

The plain ``openai.OpenAI`` client with ``base_url``, as Azure's v1 docs use it (not the
deprecated ``AzureOpenAI`` class). openai is imported here, and only when a request is near.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from azresp_cli import __version__
from azresp_cli.core.auth import api_key_for
from azresp_cli.core.config import Settings

if TYPE_CHECKING:
    from openai import OpenAI

CONNECT_TIMEOUT = 10.0  # a resource that does not answer a TCP handshake in 10 s is not there


def make_client(settings: Settings) -> OpenAI:
    import openai

    return openai.OpenAI(
        api_key=api_key_for(settings),
        base_url=settings.endpoint,
        timeout=openai.Timeout(settings.timeout, connect=min(CONNECT_TIMEOUT, settings.timeout)),
        max_retries=settings.max_retries,
        # Azure's convention for naming the calling tool in its telemetry.
        default_headers={"x-ms-useragent": f"azresp/{__version__}"},
    )
