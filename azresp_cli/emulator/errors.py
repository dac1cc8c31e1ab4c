"""The service's error bodies, raised as one exception type and rendered in one place.

Bodies follow the OpenAI shape `{"error": {"message", "type", "param", "code"}}` that
Azure's v1 API returns for request errors; gateway errors (401, unknown route) use the
shorter `{"error": {"code", "message"}}` Azure's API Management layer sends.
"""

from __future__ import annotations

from typing import Any

INVALID_REQUEST = "invalid_request_error"

ACCESS_DENIED_KEY = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide "
    "a valid key for an active subscription and use a correct regional API endpoint for your "
    "resource."
)
ACCESS_DENIED_BEARER = (
    "Unauthorized. Access token is missing, invalid, audience is incorrect "
    "(https://cognitiveservices.azure.com), or have expired."
)


class ApiError(Exception):
    """An HTTP error response: status, JSON body and any extra headers."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}


def error_body(
    message: str, *, type_: str = INVALID_REQUEST, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def invalid_request(message: str, *, param: str | None = None, code: str | None = None) -> ApiError:
    return ApiError(400, error_body(message, param=param, code=code))


def invalid_type(param: str, expected: str, value: Any) -> ApiError:
    got = json_type_name(value)
    return invalid_request(
        f"Invalid type for '{param}': expected {expected}, but got {got} instead.",
        param=param,
        code="invalid_type",
    )


def invalid_value(param: str, value: Any, supported: tuple[str, ...]) -> ApiError:
    choices = ", ".join(f"'{choice}'" for choice in supported)
    return invalid_request(
        f"Invalid value: '{value}'. Supported values are: {choices}.",
        param=param,
        code="invalid_value",
    )


def missing_parameter(param: str) -> ApiError:
    return invalid_request(
        f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter"
    )


def response_not_found(response_id: str) -> ApiError:
    return ApiError(404, error_body(f"Response with id '{response_id}' not found."))


def previous_response_not_found(response_id: str) -> ApiError:
    return invalid_request(
        f"Previous response with id '{response_id}' not found.",
        param="previous_response_id",
        code="previous_response_not_found",
    )


def item_not_found(item_id: str, *, is_stored: bool) -> ApiError:
    message = f"Item with id '{item_id}' not found."
    if not is_stored:
        message += (
            " Items are not persisted when `store` is set to false. Try again with `store` set"
            " to true, or remove this item from your input."
        )
    return invalid_request(message, param="input")


def deployment_not_found() -> ApiError:
    return ApiError(
        404,
        error_body(
            "The API deployment for this resource does not exist. If you created the deployment"
            " within the last 5 minutes, please wait a moment and try again.",
            param="model",
            code="DeploymentNotFound",
        ),
    )


def unauthorized(*, is_bearer: bool) -> ApiError:
    message = ACCESS_DENIED_BEARER if is_bearer else ACCESS_DENIED_KEY
    return ApiError(401, {"error": {"code": "401", "message": message}})


def resource_not_found() -> ApiError:
    return ApiError(404, {"error": {"code": "404", "message": "Resource not found"}})


def json_type_name(value: Any) -> str:
    """The JSON name of a value's type, as the service words it in `invalid_type` errors."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
