"""Local function tools: plain, type-annotated Python functions offered to the model.

``--tool FILE.py`` loads the public functions of a file, ``--tools MODULE`` those of an
importable module (its ``__all__`` when it has one). The function's name is the tool's name, its
docstring the description, and the JSON schema of its parameters comes from the signature through
pydantic, which also checks the model's arguments before the function runs.

pydantic is imported only here, and only when tools are loaded.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import inspect
import json
import os
import sys
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from azresp_cli.core.errors import UsageError
from azresp_cli.core.input_files import regular_size

# The API's limit on a function name: letters, digits, underscores and dashes, at most 64.
_MAX_NAME = 64
_MAX_OUTPUT_CHARS = 10_485_760  # function_call_output.output maxLength in the spec

MAX_TOOL_FILE_BYTES = 10_000_000  # a tool file is code; anything larger is a mistake


@dataclass(frozen=True)
class FunctionTool:
    name: str
    description: str | None
    parameters: Mapping[str, Any]
    strict: bool
    source: str  # the file or module it came from, for messages
    function: Callable[..., Any] = field(repr=False, compare=False)
    # Where it was loaded from, resolved (a file's absolute path, or a module's file): what an
    # "always" approval is keyed by, so a `helper` in another file is asked about again.
    origin: str = ""

    def spec(self) -> dict[str, Any]:
        """The tool as the request's ``tools`` list carries it."""
        spec: dict[str, Any] = {
            "type": "function",
            "name": self.name,
            "parameters": dict(self.parameters),
            "strict": self.strict,
        }
        if self.description:
            spec["description"] = self.description
        return spec


class ToolFailed(Exception):
    """The function raised, or the model's arguments did not fit its signature."""


def load_tools(files: Sequence[str] = (), modules: Sequence[str] = ()) -> tuple[FunctionTool, ...]:
    """Every tool of ``files`` and ``modules``; raises UsageError before any request."""
    tools: list[FunctionTool] = []
    for raw in files:
        origin = str(Path(raw).expanduser().resolve())
        tools += _with_origin(tools_from_module(_import_file(raw), raw), origin)
    for name in modules:
        module = _import_module(name)
        origin = str(Path(module.__file__).resolve()) if module.__file__ else name
        tools += _with_origin(tools_from_module(module, name), origin)
    seen: dict[str, str] = {}
    for tool in tools:
        if tool.name in seen:
            raise UsageError(
                f"two tools are named {tool.name} ({seen[tool.name]} and {tool.source})",
                hint="rename one of the functions",
            )
        seen[tool.name] = tool.source
    return tuple(tools)


def _with_origin(tools: list[FunctionTool], origin: str) -> list[FunctionTool]:
    return [replace(tool, origin=origin) for tool in tools]


def tools_from_module(module: ModuleType, source: str) -> list[FunctionTool]:
    """The module's ``__all__``, else its public functions defined in it, as tools."""
    exported = getattr(module, "__all__", None)
    if exported is not None:
        functions = [getattr(module, name, None) for name in exported]
    else:
        functions = [
            value
            for name, value in vars(module).items()
            if not name.startswith("_")
            and inspect.isfunction(value)
            and value.__module__ == module.__name__
        ]
    tools = [function_tool(f, source) for f in functions if callable(f)]
    if not tools:
        raise UsageError(
            f"{source} defines no public function to offer as a tool",
            hint="define a type-annotated function whose name does not start with _",
        )
    return tools


def function_tool(function: Callable[..., Any], source: str = "") -> FunctionTool:
    """Describe ``function`` as a tool; raises UsageError when its signature cannot be one."""
    name = getattr(function, "__name__", "")
    if not name or len(name) > _MAX_NAME or not name.replace("-", "_").isidentifier():
        raise UsageError(f"{source}: '{name}' cannot be a tool name", hint="at most 64 letters")
    model = _arguments_model(function, source)
    schema = model.model_json_schema()
    _drop_titles(schema)
    required = set(schema.get("required", ()))
    # Strict mode needs every property required and no shared definitions; otherwise the
    # service would reject the schema, so those tools go non-strict.
    strict = "$defs" not in schema and required == set(schema.get("properties", {}))
    return FunctionTool(
        name=name,
        description=inspect.getdoc(function),
        parameters=schema,
        strict=strict,
        source=source,
        function=function,
    )


def invoke(tool: FunctionTool, arguments: str) -> str:
    """Run ``tool`` with the model's JSON ``arguments``; returns the output text for the model.

    Raises ToolFailed with a message meant for the model when the arguments do not fit or the
    function raises; KeyboardInterrupt and SystemExit pass through."""
    import pydantic

    try:
        values = json.loads(arguments or "{}")
    except json.JSONDecodeError as exc:
        raise ToolFailed(f"the arguments are not valid JSON: {exc}") from None
    if not isinstance(values, dict):
        raise ToolFailed("the arguments must be a JSON object")
    model = _arguments_model(tool.function, tool.source)
    try:
        checked = model.model_validate(values)
    except pydantic.ValidationError as exc:
        raise ToolFailed(f"the arguments do not fit {tool.name}: {exc}") from None
    keywords = {name: getattr(checked, name) for name in type(checked).model_fields}
    try:
        result = tool.function(**keywords)
    except Exception as exc:  # any failure of user code goes back to the model
        raise ToolFailed(f"{type(exc).__name__}: {exc}") from exc
    return output_text(result)[:_MAX_OUTPUT_CHARS]


def output_text(result: Any) -> str:
    """What a function returned, as text: strings as they are, anything else as JSON."""
    if isinstance(result, str):
        return result
    import pydantic_core

    return pydantic_core.to_json(result, fallback=str).decode("utf-8")


def _arguments_model(function: Callable[..., Any], source: str) -> Any:
    import pydantic

    name = getattr(function, "__name__", "tool")
    try:
        hints = typing.get_type_hints(function, include_extras=True)
    except Exception as exc:  # noqa: BLE001 - a bad annotation in user code, reported plainly
        raise UsageError(f"{source}: cannot read the annotations of {name}: {exc}") from None
    fields: dict[str, Any] = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            raise UsageError(
                f"{source}: {name} takes *{parameter.name}; a tool needs named parameters",
                hint="list each parameter with a type annotation",
            )
        if parameter.name not in hints:
            raise UsageError(
                f"{source}: parameter '{parameter.name}' of {name} has no type annotation",
                hint=f"annotate it, e.g. {parameter.name}: str",
            )
        default = ... if parameter.default is parameter.empty else parameter.default
        fields[parameter.name] = (hints[parameter.name], default)
    try:
        return pydantic.create_model(name, __config__=pydantic.ConfigDict(extra="forbid"), **fields)
    except (pydantic.PydanticUserError, pydantic.PydanticSchemaGenerationError, TypeError) as exc:
        raise UsageError(f"{source}: the parameters of {name} cannot be described: {exc}") from None


def _drop_titles(schema: Any) -> None:
    # pydantic titles every property; they only cost tokens.
    if isinstance(schema, dict):
        schema.pop("title", None)
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                for item in value.values():
                    _drop_titles(item)
            else:
                _drop_titles(value)
    elif isinstance(schema, list):
        for item in schema:
            _drop_titles(item)


def _import_file(raw: str) -> ModuleType:
    path = Path(raw).expanduser()
    # A regular file (not a FIFO or a device, which would hang the import), of a sane size.
    regular_size(path, MAX_TOOL_FILE_BYTES, label=raw, hint="--tool takes the path of a .py file")
    if path.suffix != ".py":
        raise UsageError(f"{raw} is not a Python file", hint="--tool takes a .py file")
    module_name = f"azresp_tools_{path.stem}_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"{raw}: cannot load it as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pydantic look their module up here
    with _user_code(raw):
        spec.loader.exec_module(module)
    return module


def _import_module(name: str) -> ModuleType:
    with _user_code(name), _cwd_importable():
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                raise UsageError(
                    f"no module named {name}",
                    hint="--tools takes an importable module name; --tool takes a file path",
                ) from None
            raise


@contextlib.contextmanager
def _user_code(source: str) -> Iterator[None]:
    """Errors raised while importing user code become one clear line."""
    try:
        yield
    except UsageError:
        raise
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - user code may raise anything at import
        what = (
            f"it called exit({exc.code!r})"
            if isinstance(exc, SystemExit)
            else f"{type(exc).__name__}: {exc}"
        )
        raise UsageError(
            f"{source}: loading it failed: {what}",
            hint="run the file with python to see the whole traceback",
        ) from None


@contextlib.contextmanager
def _cwd_importable() -> Iterator[None]:
    # A console script's sys.path starts with its own directory, not the current one; users
    # expect `--tools mytools` to find ./mytools.py.
    cwd = os.getcwd()
    added = cwd not in sys.path
    if added:
        sys.path.insert(0, cwd)
    try:
        yield
    finally:
        if added:
            with contextlib.suppress(ValueError):
                sys.path.remove(cwd)
