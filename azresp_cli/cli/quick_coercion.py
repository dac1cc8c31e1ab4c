"""Typer's coercion of option values, without a pydantic TypeAdapter where none is needed.

Typer 0.29 converts every parameter's value through a pydantic ``TypeAdapter`` that it builds
on first use, for absent options too: ``azresp chat PROMPT`` built ~50 of them (and imported
pydantic, ~50 ms, for commands such as ``usage`` or ``history`` that never need it) before
doing anything. `QuickCoercion` gives the same values for the common cases and hands the rest
to Typer's own coercion, built only then:

- an absent value (None): None, or () for a repeatable option, as Typer returns them;
- text for a ``str`` parameter, and a repeated ``list[str]`` option's texts (as a list);
- plain decimal digits for an ``int`` parameter, within its bounds (``-n 20``);
- a valid choice of an ``Enum`` or ``Literal`` parameter (Typer's own choice matching).

A value any of these would refuse (a bad choice) goes to Typer's coercion, which reports it
in its own words. tests/cli/test_quick_coercion.py checks the values against Typer's.
"""

from __future__ import annotations

import re
from typing import Any, get_args, get_origin

from typer._param_types import choice_coercion_annotation, coerce_cli_choice
from typer.core import _TyperParameter

_NO_QUICK_VALUE = object()
_DIGITS = re.compile(r"[0-9]{1,18}")


class QuickCoercion:
    """Stands in for Typer's `RuntimeParam` of one parameter (`process_value` calls
    ``coerce``); builds Typer's own on the first value it does not handle itself."""

    def __init__(self, param: _TyperParameter) -> None:
        descriptor = param.type_descriptor
        self._descriptor = descriptor
        self._typer: Any = None
        info = descriptor.parameter_info
        simple = descriptor.file_annotation is None and info.parser is None
        annotation: Any = descriptor.annotation
        self._text = simple and annotation is str
        self._whole = simple and annotation is int
        self._bounds = (info.min, info.max)
        self._texts = simple and get_origin(annotation) is list and get_args(annotation) == (str,)
        self._choices = choice_coercion_annotation(annotation, info) if simple else None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        quick = self._quick(value, many, ctx)
        if quick is not _NO_QUICK_VALUE:
            return quick
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self._descriptor)
        return self._typer.coerce(value, param=param, ctx=ctx)

    def _quick(self, value: Any, many: bool, ctx: Any) -> Any:
        if many:
            texts = self._texts and isinstance(value, list | tuple)
            if texts and all(type(item) is str for item in value):
                return list(value)
            return _NO_QUICK_VALUE
        if self._text and type(value) is str:
            return value
        if self._whole and type(value) is str and _DIGITS.fullmatch(value):
            number, (low, high) = int(value), self._bounds
            if (low is None or number >= low) and (high is None or number <= high):
                return number
            return _NO_QUICK_VALUE  # out of bounds: Typer says so, or clamps
        if self._choices is not None:
            choices, case_sensitive = self._choices
            try:
                return coerce_cli_choice(
                    value, choices=choices, case_sensitive=case_sensitive, ctx=ctx
                )
            except ValueError:
                return _NO_QUICK_VALUE  # Typer's coercion says why, in its own words
        return _NO_QUICK_VALUE


def use_quick_coercion(command: Any) -> None:
    """Give each of ``command``'s Typer parameters a `QuickCoercion`."""
    for param in command.params:
        quick(param)


def quick(param: Any) -> Any:
    """``param`` with a `QuickCoercion` (a Typer parameter that has no coercion yet)."""
    if isinstance(param, _TyperParameter) and param._runtime_param is None:
        param._runtime_param = QuickCoercion(param)  # type: ignore[assignment]
    return param
