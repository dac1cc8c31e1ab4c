"""The Files API: POST/GET /files, GET/DELETE /files/{file_id}, GET /files/{file_id}/content."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from azresp_cli.emulator.errors import (
    ApiError,
    error_body,
    invalid_request,
    invalid_value,
    missing_parameter,
)
from azresp_cli.emulator.files import PURPOSES, FileRecord
from azresp_cli.emulator.paging import list_page
from azresp_cli.emulator.wire import reply, state_of

MAX_FILE_BYTES = 512 * 1024 * 1024  # the service's own per-file limit
_EXPIRY_SECONDS = (3600, 30 * 24 * 3600)  # expires_after.seconds: one hour to 30 days


async def upload(request: Request) -> Response:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise invalid_request(
            "Uploads must be sent as multipart/form-data with the fields 'file' and 'purpose'."
        )
    async with request.form(max_files=1, max_fields=10) as form:  # closes the spooled file
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise missing_parameter("file")
        purpose = form.get("purpose")
        if not isinstance(purpose, str):
            raise missing_parameter("purpose")
        if purpose not in PURPOSES:
            raise invalid_value("purpose", purpose, PURPOSES)
        expires_after = _expiry(form)
        filename = upload.filename or "upload"
        data = await upload.read()
    if len(data) > MAX_FILE_BYTES:
        raise invalid_request(
            f"File is too large: {len(data)} bytes; the limit is {MAX_FILE_BYTES} bytes.",
            param="file",
        )
    record = state_of(request).files.add(filename, purpose, data, expires_after)
    return reply(record.to_json())


async def list_files(request: Request) -> Response:
    records = state_of(request).files.all()
    purpose = request.query_params.get("purpose")
    if purpose is not None:
        records = [record for record in records if record.purpose == purpose]
    objects = [record.to_json() for record in records]
    return reply(list_page(request, objects, default_limit=10_000, max_limit=10_000))


async def retrieve(request: Request) -> Response:
    return reply(_record(request).to_json())


async def content(request: Request) -> Response:
    record = _record(request)
    return Response(record.data, media_type="application/octet-stream")


async def delete(request: Request) -> Response:
    record = _record(request)
    state_of(request).files.remove(record.file_id)
    return reply({"id": record.file_id, "object": "file", "deleted": True})


def file_not_found(file_id: str) -> ApiError:
    return ApiError(404, error_body(f"No such File object: {file_id}", param="id"))


def _record(request: Request) -> FileRecord:
    file_id = request.path_params["file_id"]
    record = state_of(request).files.get(file_id)
    if record is None:
        raise file_not_found(file_id)
    return record


def _expiry(form: FormData) -> int | None:
    """`expires_after[seconds]` (the SDK's form encoding of `expires_after`), checked."""
    seconds = form.get("expires_after[seconds]")
    if seconds is None:
        return None
    low, high = _EXPIRY_SECONDS
    if not isinstance(seconds, str) or not seconds.isdigit() or not low <= int(seconds) <= high:
        raise invalid_request(
            f"Invalid 'expires_after.seconds': expected an integer between {low} and {high}.",
            param="expires_after.seconds",
        )
    anchor = form.get("expires_after[anchor]", "created_at")
    if anchor != "created_at":
        raise invalid_value("expires_after.anchor", anchor, ("created_at",))
    return int(seconds)
