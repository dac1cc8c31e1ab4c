"""The Containers API: containers, their files, and each file's raw content.

Azure may not expose `/containers` at all (docs/protocol.md §12); the emulator does, so that a
client can download what the code interpreter wrote, which is what a client needs.
"""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from azresp_cli.emulator.containers import (
    MEMORY_LIMITS,
    Container,
    ContainerFile,
    check_file_ids,
    container_not_found,
    copy_files,
    file_id_not_found,
)
from azresp_cli.emulator.errors import (
    ApiError,
    error_body,
    invalid_type,
    invalid_value,
    missing_parameter,
)
from azresp_cli.emulator.paging import list_page
from azresp_cli.emulator.wire import read_json, reply, state_of


async def create(request: Request) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise invalid_type("body", "an object", body)
    name = body.get("name")
    if not isinstance(name, str):
        raise missing_parameter("name")
    memory_limit = body.get("memory_limit") or "1g"
    if memory_limit not in MEMORY_LIMITS:
        raise invalid_value("memory_limit", memory_limit, MEMORY_LIMITS)
    state = state_of(request)
    file_ids = body.get("file_ids") or []
    if not isinstance(file_ids, list):
        raise invalid_type("file_ids", "an array", file_ids)
    check_file_ids(file_ids, state.files, "file_ids")
    container = state.containers.create(name, memory_limit)
    copy_files(container, file_ids, state.files)
    return reply(container.to_json())


async def list_containers(request: Request) -> Response:
    objects = [container.to_json() for container in state_of(request).containers.all()]
    return reply(list_page(request, objects, default_limit=20, max_limit=100))


async def retrieve(request: Request) -> Response:
    return reply(_container(request).to_json())


async def delete(request: Request) -> Response:
    container = _container(request)
    state_of(request).containers.remove(container.container_id)
    return reply({"id": container.container_id, "object": "container.deleted", "deleted": True})


async def list_files(request: Request) -> Response:
    objects = [entry.to_json() for entry in _container(request).files.values()]
    return reply(list_page(request, objects, default_limit=20, max_limit=100))


async def add_file(request: Request) -> Response:
    """A file sent as multipart `file`, or an uploaded file named by JSON `file_id`."""
    container = _container(request)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise missing_parameter("file")
            filename, data = upload.filename or "upload", await upload.read()
        return reply(container.write(filename, data, "user").to_json())
    body = await read_json(request)
    file_id = body.get("file_id") if isinstance(body, dict) else None
    if not isinstance(file_id, str):
        raise missing_parameter("file_id")
    record = state_of(request).files.get(file_id)
    if record is None:
        raise file_id_not_found(file_id, "file_id")
    written = container.write(record.filename, record.data, "user", file_id)
    return reply(written.to_json())


async def retrieve_file(request: Request) -> Response:
    return reply(_file(request).to_json())


async def file_content(request: Request) -> Response:
    return Response(_file(request).data, media_type="application/octet-stream")


async def delete_file(request: Request) -> Response:
    entry = _file(request)
    _container(request).remove_file(entry.file_id)
    return reply({"id": entry.file_id, "object": "container.file.deleted", "deleted": True})


def _container(request: Request) -> Container:
    container_id = request.path_params["container_id"]
    container = state_of(request).containers.get(container_id)
    if container is None:
        raise container_not_found(container_id)
    container.touch()
    return container


def _file(request: Request) -> ContainerFile:
    container = _container(request)
    file_id = request.path_params["file_id"]
    entry = container.files.get(file_id)
    if entry is None:
        raise ApiError(
            404,
            error_body(
                f"File with id '{file_id}' not found in container '{container.container_id}'."
            ),
        )
    return entry
