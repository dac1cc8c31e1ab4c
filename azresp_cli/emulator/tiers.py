"""Service tiers and the prompt cache: which tier a response runs on, what it finds cached.

- `service_tier` is echoed; `auto` resolves to `default` when the response ends (objects.py).
  `[[tier:NAME]]` makes the response run on (and report) NAME whatever was asked: a priority
  request downgraded to `default`, as the service does when priority capacity runs short.
- `[[tier:busy]]`: a `flex` request is refused with a 429 for lack of capacity (no rate-limit
  header says a limit was used up); requests on any other tier are served.
- The prompt cache: the context the service holds for a chain (the previous responses' items)
  is found cached from 1,024 tokens on, in 128-token steps, when the request's
  `prompt_cache_key` is the one the previous response was made with (none and none match).
"""

from __future__ import annotations

from typing import Any

from azresp_cli.emulator import directives
from azresp_cli.emulator.errors import ApiError, error_body
from azresp_cli.emulator.params import CreateParams
from azresp_cli.emulator.store import ResponseStore

TIERS = ("default", "flex", "priority")
FLEX_BUSY = (
    "Flex processing has no capacity for this request right now. Retry later, or send the "
    "request with service_tier 'default'."
)


def echo(params: CreateParams, latest_text: str) -> dict[str, Any]:
    """The echoed parameters with the tier the response runs on; raises the flex 429."""
    echoed = params.echo
    for directive in directives.find(latest_text):
        if directive.name != "tier":
            continue
        if directive.argument == "busy":
            if echoed.get("service_tier") == "flex":
                raise ApiError(429, error_body(FLEX_BUSY, type_="server_error", code="429"))
        elif directive.argument in TIERS:
            echoed = {**echoed, "service_tier": directive.argument}
    return echoed


def same_cache_key(params: CreateParams, store: ResponseStore) -> bool:
    """Whether the previous response was made with this request's `prompt_cache_key`."""
    if params.previous_response_id is None:
        return True
    previous = store.get(params.previous_response_id)
    if previous is None:
        return True
    return previous.shell.echo.get("prompt_cache_key") == params.body.get("prompt_cache_key")
