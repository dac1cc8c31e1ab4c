"""core/client_prep.py: what a one-shot prepares off the first-token path gives the same
client, the same TLS checks and the same openai types as doing it in line."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from typing import Any

import httpx2
import pytest

from azresp_cli.core.client_prep import prepare_in_background, prepared_ssl_context

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
