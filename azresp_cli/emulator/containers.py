"""Code interpreter containers and their files: in memory, or in the state directory.

A container holds copies of the files it was given (`source: "user"`) and the files the
code interpreter wrote (`source: "assistant"`), each under `/mnt/data/` as on the
service. Azure expires a container after 20 idle minutes; the emulator reports that
setting but never expires one, so a test's container outlives a slow run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from azresp_cli.emulator import ids
from azresp_cli.emulator.errors import ApiError, error_body, invalid_request
from azresp_cli.emulator.files import FileStore
from azresp_cli.emulator.objects import Json
from azresp_cli.emulator.statedb import StateDb

MEMORY_LIMITS = ("1g", "4g", "16g", "64g")
IDLE_MINUTES = 20
DATA_DIR = "/mnt/data/"


@dataclass(frozen=True)
class ContainerFile:
    file_id: str
    container_id: str
    path: str
    data: bytes
    source: str  # "user" (copied in) or "assistant" (written by code)
    created_at: int
    origin_file_id: str | None = None  # the uploaded file it is a copy of

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def to_json(self) -> Json:
        return {
            "id": self.file_id,
            "object": "container.file",
            "created_at": self.created_at,
            "bytes": len(self.data),
            "container_id": self.container_id,
            "path": self.path,
            "source": self.source,
        }


@dataclass
class Container:
    container_id: str
    name: str
    memory_limit: str
    created_at: int
    last_active_at: int
    files: dict[str, ContainerFile] = field(default_factory=dict)  # by id, oldest first
    # Writes each change through to the state directory (KeptContainerStore), if kept there.
    keeper: ContainerKeeper | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> Json:
        return {
            "id": self.container_id,
            "object": "container",
            "name": self.name,
            "created_at": self.created_at,
            "status": "running",
            "last_active_at": self.last_active_at,
            "expires_after": {"anchor": "last_active_at", "minutes": IDLE_MINUTES},
            "memory_limit": self.memory_limit,
        }

    def touch(self) -> None:
        self.last_active_at = int(time.time())
        if self.keeper is not None:
            self.keeper.touched(self)

    def write(
        self, filename: str, data: bytes, source: str, origin_file_id: str | None = None
    ) -> ContainerFile:
        """Put a file at /mnt/data/`filename`, replacing any file already at that path."""
        path = DATA_DIR + filename
        for existing in [entry for entry in self.files.values() if entry.path == path]:
            self.remove_file(existing.file_id)
        written = ContainerFile(
            file_id=ids.container_file_id(),
            container_id=self.container_id,
            path=path,
            data=data,
            source=source,
            created_at=int(time.time()),
            origin_file_id=origin_file_id,
        )
        self.files[written.file_id] = written
        if self.keeper is not None:
            self.keeper.written(written)
        self.touch()
        return written

    def remove_file(self, file_id: str) -> None:
        self.files.pop(file_id, None)
        if self.keeper is not None:
            self.keeper.removed(file_id)

    def has_copy_of(self, origin_file_id: str) -> bool:
        return any(entry.origin_file_id == origin_file_id for entry in self.files.values())


class ContainerKeeper(Protocol):
    def written(self, entry: ContainerFile) -> None: ...

    def removed(self, file_id: str) -> None: ...

    def touched(self, container: Container) -> None: ...


class ContainerStore:
    """The containers of an emulator without a state directory: in memory while it runs."""

    def __init__(self) -> None:
        self._containers: dict[str, Container] = {}

    def create(self, name: str, memory_limit: str = "1g") -> Container:
        now = int(time.time())
        container = Container(ids.container_id(), name, memory_limit, now, now)
        self._containers[container.container_id] = container
        return container

    def get(self, container_id: str) -> Container | None:
        return self._containers.get(container_id)

    def remove(self, container_id: str) -> Container | None:
        return self._containers.pop(container_id, None)

    def all(self) -> list[Container]:
        """Every container, oldest first (their files may be left out)."""
        return list(self._containers.values())

    def clear(self) -> None:
        self._containers.clear()


class KeptContainerStore(ContainerStore):
    """The containers of a state directory, shared by the processes using it.

    A container is read with its files on each lookup and each change is written at once, so
    a file the code interpreter wrote is there for the next command.
    """

    def __init__(self, db: StateDb) -> None:
        super().__init__()
        self.db = db

    def create(self, name: str, memory_limit: str = "1g") -> Container:
        now = int(time.time())
        container = Container(ids.container_id(), name, memory_limit, now, now, keeper=self)
        self.db.execute(
            "INSERT INTO containers (id, name, memory_limit, created_at, last_active_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (container.container_id, name, memory_limit, now, now),
        )
        return container

    def get(self, container_id: str) -> Container | None:
        rows = self.db.query(
            "SELECT id, name, memory_limit, created_at, last_active_at"
            " FROM containers WHERE id = ?",
            (container_id,),
        )
        if not rows:
            return None
        container = self._container(rows[0])
        for row in self.db.query(
            "SELECT id, container_id, path, data, source, created_at, origin_file_id"
            " FROM container_files WHERE container_id = ? ORDER BY rowid",
            (container_id,),
        ):
            file_id, _, path, data, source, created_at, origin_file_id = row
            entry = ContainerFile(
                file_id, container_id, path, bytes(data), source, created_at, origin_file_id
            )
            container.files[entry.file_id] = entry
        return container

    def remove(self, container_id: str) -> Container | None:
        container = self.get(container_id)
        self.db.execute("DELETE FROM containers WHERE id = ?", (container_id,))
        return container

    def all(self) -> list[Container]:
        rows = self.db.query(
            "SELECT id, name, memory_limit, created_at, last_active_at"
            " FROM containers ORDER BY rowid"
        )
        return [self._container(row) for row in rows]

    def _container(self, row: tuple[Any, ...]) -> Container:
        container_id, name, memory_limit, created_at, last_active_at = row
        return Container(container_id, name, memory_limit, created_at, last_active_at, keeper=self)

    def clear(self) -> None:
        self.db.execute("DELETE FROM containers")

    def written(self, entry: ContainerFile) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO container_files"
            " (id, container_id, path, data, source, created_at, origin_file_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                entry.file_id,
                entry.container_id,
                entry.path,
                entry.data,
                entry.source,
                entry.created_at,
                entry.origin_file_id,
            ),
        )

    def removed(self, file_id: str) -> None:
        self.db.execute("DELETE FROM container_files WHERE id = ?", (file_id,))

    def touched(self, container: Container) -> None:
        self.db.execute(
            "UPDATE containers SET last_active_at = ? WHERE id = ?",
            (container.last_active_at, container.container_id),
        )


def container_not_found(container_id: str) -> ApiError:
    return ApiError(404, error_body(f"Container with id '{container_id}' not found."))


def check_file_ids(file_ids: list[Any], files: FileStore, param: str) -> None:
    """Every id must name an uploaded file: the 400 the service gives otherwise."""
    for index, file_id in enumerate(file_ids):
        if not isinstance(file_id, str) or files.get(file_id) is None:
            raise file_id_not_found(file_id, f"{param}[{index}]")


def file_id_not_found(file_id: object, param: str) -> ApiError:
    return invalid_request(f"File with id '{file_id}' not found.", param=param)


def copy_files(container: Container, file_ids: list[str], files: FileStore) -> list[ContainerFile]:
    """Copy uploaded files (already checked) into `container`, each once."""
    copies = []
    for file_id in file_ids:
        record = files.get(file_id)
        if record is not None and not container.has_copy_of(file_id):
            copies.append(container.write(record.filename, record.data, "user", file_id))
    return copies
