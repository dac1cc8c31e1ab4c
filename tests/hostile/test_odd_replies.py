"""Replies that do not behave: an id that would leave /responses, a list that never ends."""

from __future__ import annotations

from typing import Any

import pytest
from cli_support import RunCli
from hostile.server import HostileServer, Reply

ITEM = {"id": "msg_1", "type": "message", "role": "user", "content": []}


def test_items_stop_when_a_page_names_no_way_on(
    hostile: HostileServer, hostile_env: dict[str, str], azresp: RunCli
) -> None:
    # Every page says there is more, and every page ends with the same item.
    page = {"object": "list", "data": [ITEM], "has_more": True, "last_id": "msg_1"}
    hostile.route("GET", "/responses/resp_1/input_items", Reply(body=page))
    result = azresp("items", "resp_1", "--json", env=hostile_env)
    assert result.exit_code == 0, result.stderr
    asked = [seen for seen in hostile.seen if seen.path.split("?")[0].endswith("/input_items")]
    assert len(asked) == 2  # the first page, then once after msg_1: the same again, so stop


@pytest.mark.parametrize("odd_id", ["../files/file-1", "resp_1/cancel", "resp_1?x=1"])
def test_a_job_id_from_the_service_never_goes_into_a_path_unchecked(
    hostile: HostileServer, hostile_env: dict[str, str], odd_id: str
) -> None:
    from azresp_cli.core.client import make_client
    from azresp_cli.core.config import AuthMethod, Settings
    from azresp_cli.core.errors import UsageError
    from azresp_cli.core.raw_api import cancel_response, replay_stream, retrieve_response

    settings = Settings(
        endpoint=hostile.base_url + "/openai/v1/",
        deployment="d",
        auth=AuthMethod.KEY,
        api_key=hostile_env["AZURE_OPENAI_API_KEY"],
    )
    client: Any = make_client(settings)
    try:
        for call in (retrieve_response, cancel_response, replay_stream):
            with pytest.raises(UsageError):
                call(client, odd_id)
    finally:
        client.close()
    assert hostile.seen == []  # refused before any request
