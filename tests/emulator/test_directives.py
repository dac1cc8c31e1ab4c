"""The directive registry: unknown or oversized directives are refused, the docs match it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from emulator.support import Api

from azresp_cli.emulator import directives
from azresp_cli.emulator.directives import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
DIRECTIVES_MD = ROOT / "azresp_cli" / "emulator" / "DIRECTIVES.md"
README = ROOT / "README.md"
_NAMES_IN_DOCS = re.compile(r"\[\[\s*([a-z_]+)")


def test_a_misspelt_directive_is_refused_naming_it(api: Api) -> None:
    reply = api.post("responses", {"model": "m", "input": "[[slwo:100]] [[long:50]]"})
    assert reply.status == 400
    assert reply.error["code"] == "invalid_directive" and reply.error["param"] == "input"
    assert "'[[slwo:100]]'" in reply.error["message"]
    assert "slow" in reply.error["message"]  # the known ones are listed


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[[long:20000000]]", "at most 100,000"),
        ("[[long:many]]", "whole number"),
        ("[[slow:600000]]", "at most 60,000"),
        ("[[echo:loud]]", "takes no argument"),
        ("[[reply]]", "needs an argument"),
        ("[[fault:slow_first_byte:9999999]]", "at most 120,000 ms"),
    ],
)
def test_a_directive_out_of_bounds_is_refused_before_any_work(
    api: Api, text: str, said: str
) -> None:
    reply = api.post("responses", {"model": "m", "input": text, "stream": True}, timeout=20)
    assert reply.status == 400, reply.text[:300]
    assert said in reply.error["message"]


def test_the_largest_long_answer_is_served(api: Api) -> None:
    cap = directives.MAX_LONG_TOKENS
    body = api.create(input=f"[[long:{cap}]]").json
    assert body["status"] == "completed" and body["usage"]["output_tokens"] >= cap


def test_every_registered_directive_is_documented_with_its_cap() -> None:
    text = DIRECTIVES_MD.read_text(encoding="utf-8")
    for spec in REGISTRY.values():
        for form in spec.syntax:
            assert f"`{form}`" in text, f"DIRECTIVES.md does not show {form}"
        if spec.cap is not None:
            assert f"{spec.cap:,}" in text, f"DIRECTIVES.md does not state the cap of {spec.name}"


@pytest.mark.parametrize("document", [DIRECTIVES_MD, README], ids=["DIRECTIVES.md", "README"])
def test_the_docs_name_no_directive_the_registry_lacks(document: Path) -> None:
    named = set(_NAMES_IN_DOCS.findall(document.read_text(encoding="utf-8")))
    assert named, document
    assert named <= set(REGISTRY), named - set(REGISTRY)
