"""The Batch API: POST/GET /batches, GET /batches/{batch_id}, POST /batches/{batch_id}/cancel."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from azresp_cli.emulator import batches
from azresp_cli.emulator.batches import Batch, BatchStore
from azresp_cli.emulator.errors import (
    ApiError,
    error_body,
    invalid_request,
    invalid_value,
    missing_parameter,
)
from azresp_cli.emulator.files_routes import file_not_found
from azresp_cli.emulator.paging import list_page
from azresp_cli.emulator.wire import read_json, reply, state_of

ENDPOINTS = (batches.BATCH_ENDPOINT,)
WINDOWS = ("24h",)
_RUNNING = ("validating", "in_progress", "finalizing")


def batch_store(request: Request) -> BatchStore:
    return state_of(request).batches


async def create(request: Request) -> Response:
    body: Any = await read_json(request)
    if not isinstance(body, dict):
        raise invalid_request("The body must be a JSON object.")
    for name in ("input_file_id", "endpoint", "completion_window"):
        if not isinstance(body.get(name), str):
            raise missing_parameter(name)
    if body["endpoint"] not in ENDPOINTS:
        raise invalid_value("endpoint", body["endpoint"], ENDPOINTS)
    if body["completion_window"] not in WINDOWS:
        raise invalid_value("completion_window", body["completion_window"], WINDOWS)
    state = state_of(request)
    record = state.files.get(body["input_file_id"])
    if record is None:
        raise file_not_found(body["input_file_id"])
    if record.purpose != "batch":
        raise invalid_request(
            f"The file {record.file_id} has purpose '{record.purpose}'; a batch needs 'batch'.",
            param="input_file_id",
        )
    metadata = body.get("metadata")
    batch = batches.new_batch(
        record.file_id,
        body["endpoint"],
        body["completion_window"],
        metadata if isinstance(metadata, dict) else None,
    )
    store = batch_store(request)
    store.add(batch)
    batch.task = asyncio.create_task(batches.run(batch, state), name=batch.batch_id)
    return reply(batch.to_json())


async def retrieve(request: Request) -> Response:
    return reply(_batch(request).to_json())


async def list_batches(request: Request) -> Response:
    objects = [batch.to_json() for batch in batch_store(request).all()]
    return reply(list_page(request, objects, default_limit=20, max_limit=100))


async def cancel(request: Request) -> Response:
    batch = _batch(request)
    if batch.status in _RUNNING:
        batch_store(request).request_cancel(batch)
    elif batch.status != "cancelling":
        raise ApiError(
            409,
            error_body(
                f"Cannot cancel a batch with status '{batch.status}'.",
                code="batch_not_cancellable",
            ),
        )
    return reply(batch.to_json())


def _batch(request: Request) -> Batch:
    batch_id = request.path_params["batch_id"]
    batch = batch_store(request).get(batch_id)
    if batch is None:
        raise ApiError(404, error_body(f"No batch found with id '{batch_id}'.", param="batch_id"))
    return batch
