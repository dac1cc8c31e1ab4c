"""core/client_prep.py: what a one-shot prepares off the first-token path gives the same
client, the same TLS checks and the same openai types as doing it in line."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cli_support import TEST_KEY

from azresp_cli.core.client import make_client
from azresp_cli.core.client_prep import (
    EventParserWarmUp,
    _asks_for_a_stream,
    prepare_in_background,
    prepared_ssl_context,
)
from azresp_cli.core.config import AuthMethod, Settings
from azresp_cli.core.events import Completed, TextDelta
from azresp_cli.core.request import TurnRequest
from azresp_cli.core.turn import run_turn

TYPES_PROBE = """
import json, sys
if sys.argv[1] == "deferred":
    from azresp_cli.core.client_prep import defer_openai_types
    defer_openai_types()
import openai, openai.resources.responses
before = "openai.types.graders" in sys.modules
from openai.types import Batch  # a name asked of the package: it loads as usual
names = sorted(n for n in dir(openai.types) if not n.startswith("_"))
print(json.dumps({"before": before, "names": names, "batch": Batch.__module__}))
"""


def probe_types(mode: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", TYPES_PROBE, mode], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


@pytest.mark.slow
def test_deferred_openai_types_load_on_first_use_with_every_name() -> None:
    deferred, usual = probe_types("deferred"), probe_types("usual")
    assert deferred["before"] is False  # the graders were not imported to make a request
    assert usual["before"] is True
    assert deferred["names"] == usual["names"] and len(usual["names"]) > 200
    assert deferred["batch"] == usual["batch"] == "openai.types.batch"


def test_the_prepared_tls_context_checks_what_httpx_would() -> None:
    prepare_in_background()
    prepared = prepared_ssl_context()
    assert isinstance(prepared, ssl.SSLContext)
    usual = httpx2.create_ssl_context(verify=True, trust_env=True)
    assert prepared.verify_mode is ssl.CERT_REQUIRED and prepared.check_hostname
    assert prepared.cert_store_stats() == usual.cert_store_stats()


def test_only_a_streamed_create_starts_the_event_parser() -> None:
    url = "http://127.0.0.1:9/openai/v1/responses"

    def post(body: object, path: str = url) -> httpx2.Request:
        return httpx2.Request("POST", path, content=json.dumps(body).encode())

    assert _asks_for_a_stream(post({"input": "hi", "stream": True}))
    assert not _asks_for_a_stream(post({"input": "hi"}))
    assert not _asks_for_a_stream(post({"input": "hi", "stream": "true"}))
    assert not _asks_for_a_stream(post({"stream": True}, url.replace("responses", "files")))
    assert not _asks_for_a_stream(httpx2.Request("GET", url))
    warm_up = EventParserWarmUp()
    warm_up.on_request(post({"input": "hi"}))
    assert warm_up._thread is None


def test_a_streamed_turn_through_the_warm_up_hooks_answers_in_full(
    emulator: Any, tmp_path: Path
) -> None:
    settings = Settings(
        endpoint=emulator.base_url, deployment="emulator", auth=AuthMethod.KEY, api_key=TEST_KEY
    )
    client = make_client(settings)
    try:
        events = list(run_turn(client, settings, TurnRequest("[[long:40]]")))
        again = list(run_turn(client, settings, TurnRequest("[[long:40]]")))
    finally:
        client.close()
    for turn in (events, again):
        text = "".join(e.text for e in turn if isinstance(e, TextDelta))
        done = [e for e in turn if isinstance(e, Completed)]
        assert done and text == done[-1].response.output_text and text
