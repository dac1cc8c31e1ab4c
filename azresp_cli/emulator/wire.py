"""Small request/reply helpers shared by the route modules."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from azresp_cli.emulator import intake
from azresp_cli.emulator.errors import ApiError, invalid_type
from azresp_cli.emulator.faults import FaultPlan
from azresp_cli.emulator.state import EmulatorState


def state_of(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    return state


def fault_plan_of(request: Request) -> FaultPlan:
    """The plan the gateway made for this request from its fault header and directives."""
    plan = request.scope.get("state", {}).get("fault_plan")
    return plan if isinstance(plan, FaultPlan) else FaultPlan()


async def read_json(request: Request) -> Any:
    """The JSON body, read strictly (intake.py): the service's 400 for anything else."""
    return intake.parse_json(await request.body())


def reply(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def error_reply(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body, status_code=error.status, headers=error.headers)


def query_int(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise invalid_type(name, "an integer", value) from None


def query_flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("true", "1")
