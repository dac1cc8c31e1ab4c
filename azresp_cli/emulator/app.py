"""The ASGI application: the route table, error rendering, and the gateway in front."""

from __future__ import annotations

import dataclasses
from typing import cast

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from azresp_cli.emulator import (
    batch_routes,
    container_routes,
    create_route,
    extra_routes,
    files_routes,
    resource_routes,
)
from azresp_cli.emulator.errors import ApiError, error_body, resource_not_found
from azresp_cli.emulator.gateway import API_PREFIX, Gateway
from azresp_cli.emulator.state import EmulatorState
from azresp_cli.emulator.wire import error_reply, reply, state_of


def create_app(state: EmulatorState, hosts: frozenset[str] | None = frozenset()) -> ASGIApp:
    """The app behind its gateway; `hosts`: the Host names it answers besides loopback ones
    (None: any, for a server bound to every address)."""
    api = API_PREFIX + "/responses"
    routes = [
        Route(api, create_route.create_response, methods=["POST"]),
        # Fixed paths before /{response_id}, which would swallow them.
        Route(f"{api}/input_tokens", extra_routes.input_tokens, methods=["POST"]),
        Route(f"{api}/compact", extra_routes.compact, methods=["POST"]),
        Route(api + "/{response_id}", resource_routes.retrieve, methods=["GET"]),
        Route(api + "/{response_id}", resource_routes.delete, methods=["DELETE"]),
        Route(api + "/{response_id}/cancel", resource_routes.cancel, methods=["POST"]),
        Route(api + "/{response_id}/input_items", resource_routes.input_items, methods=["GET"]),
        *_files_and_containers(),
        *_batches(),
        Route("/_emulator/requests", recorded_requests, methods=["GET"]),
        Route("/_emulator/reset", reset, methods=["POST"]),
        Route("/_emulator/connections", connections, methods=["GET"]),
        Route("/_emulator/generations", generations, methods=["GET"]),
        Route("/_emulator/rate", rate_counts, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.emulator = state
    return Gateway(app, state, hosts)


def _files_and_containers() -> list[Route]:
    files, file = API_PREFIX + "/files", API_PREFIX + "/files/{file_id}"
    containers = API_PREFIX + "/containers"
    container = containers + "/{container_id}"
    container_file = container + "/files/{file_id}"
    return [
        Route(files, files_routes.upload, methods=["POST"]),
        Route(files, files_routes.list_files, methods=["GET"]),
        Route(file, files_routes.retrieve, methods=["GET"]),
        Route(file, files_routes.delete, methods=["DELETE"]),
        Route(file + "/content", files_routes.content, methods=["GET"]),
        Route(containers, container_routes.create, methods=["POST"]),
        Route(containers, container_routes.list_containers, methods=["GET"]),
        Route(container, container_routes.retrieve, methods=["GET"]),
        Route(container, container_routes.delete, methods=["DELETE"]),
        Route(container + "/files", container_routes.add_file, methods=["POST"]),
        Route(container + "/files", container_routes.list_files, methods=["GET"]),
        Route(container_file, container_routes.retrieve_file, methods=["GET"]),
        Route(container_file, container_routes.delete_file, methods=["DELETE"]),
        Route(container_file + "/content", container_routes.file_content, methods=["GET"]),
    ]


def _batches() -> list[Route]:
    batches, batch = API_PREFIX + "/batches", API_PREFIX + "/batches/{batch_id}"
    return [
        Route(batches, batch_routes.create, methods=["POST"]),
        Route(batches, batch_routes.list_batches, methods=["GET"]),
        Route(batch, batch_routes.retrieve, methods=["GET"]),
        Route(batch + "/cancel", batch_routes.cancel, methods=["POST"]),
    ]


async def recorded_requests(request: Request) -> Response:
    return reply([dataclasses.asdict(recorded) for recorded in state_of(request).recorded()])


async def connections(request: Request) -> Response:
    """TCP connections accepted since start or the last reset: one per kept-alive client."""
    return reply({"accepted": state_of(request).connections_accepted})


async def generations(request: Request) -> Response:
    """How many responses POST /responses generated per prompt (its latest user text)."""
    return reply(state_of(request).idempotency.counts())


async def rate_counts(request: Request) -> Response:
    """POST /responses admitted and refused (429) by the `--rpm` limit since start or reset."""
    counts = state_of(request).rate_counts
    return reply({"admitted": counts["admitted"], "refused": counts["refused"]})


async def reset(request: Request) -> Response:
    state_of(request).reset()
    return reply({"reset": True})


async def _api_error(request: Request, error: Exception) -> Response:
    return error_reply(cast(ApiError, error))  # registered for ApiError only


async def _http_error(request: Request, error: Exception) -> Response:
    status = cast(HTTPException, error).status_code  # Starlette's own 404 and 405
    if status == 404:
        return error_reply(resource_not_found())
    message = f"{request.method} is not allowed on {request.url.path}."
    return error_reply(ApiError(status, error_body(message)))
