"""The one table from failures to exit codes.

Commands and the engine raise; only ``cli/main.py`` turns an error into an exit status, after
``classify`` has mapped whatever was raised (our own errors, the openai SDK's, Ctrl-C) into an
``AzrespError`` that knows its message, hint, HTTP status and the service's request id.
"""

from __future__ import annotations

import enum
import json
import sys
from typing import Any, ClassVar

from azresp_cli.core.error_hints import (
    credential_hint,
    deployment_hint,
    filtered_categories,
    first_line,
    not_found_hint,
    retry_after,
)
from azresp_cli.core.redact import redact


class ExitCode(enum.IntEnum):
    OK = 0
    API = 1
    USAGE = 2
    AUTH = 3
    NOT_FOUND = 4
    RATE_LIMIT = 5
    CONTENT_FILTERED = 6
    NETWORK = 7
    INCOMPLETE = 8  # a background response ended incomplete (e.g. max_output_tokens)
    CANCELLED = 9  # a background response was cancelled
    BUDGET = 10  # --max-cost: the turn could cost more than what is left of the budget
    SCHEMA_INVALID = 11  # a --schema answer that is not valid JSON or does not fit the schema
    REFUSED = 12  # a --schema answer the model refused to give
    TOOL_SERVER = 13  # a local MCP server did not start (azresp mcp list-tools, doctor)
    BATCH_UNFINISHED = 14  # a batch's lines did not all succeed, or it has not finished
    INTERRUPTED = 130


class AzrespError(Exception):
    """An error a user can meet: what happened, what to do next, and where to look."""

    exit_code: ClassVar[ExitCode] = ExitCode.API
    default_hint: ClassVar[str] = "rerun with --debug for details"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        status: int | None = None,
        request_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        # A service's message may quote the key it refused ("The key sk-... is not valid"):
        # every headline and hint goes through the redaction --debug uses, whoever built it.
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.hint = redact(hint or self.default_hint)
        self.status = status
        self.request_id = request_id
        self.detail = detail  # shown with --debug only, already redacted
        self.retry_after: float | None = (
            None  # seconds, from retry-after(-ms) when the service sent it
        )

    def headline(self) -> str:
        """The one line a user sees: message, then HTTP status and request id when known."""
        facts = []
        if self.status is not None:
            facts.append(f"HTTP {self.status}")
        if self.request_id:
            facts.append(f"request id {self.request_id}")
        line = f"{self.message} ({', '.join(facts)})" if facts else self.message
        return redact(line)  # message and hint can be changed after __init__


class ApiError(AzrespError):
    exit_code = ExitCode.API
    default_hint = "the service refused the request; rerun with --debug to see its answer"


class UsageError(AzrespError):
    exit_code = ExitCode.USAGE
    default_hint = "see `azresp --help`"


class ConfigError(UsageError):
    default_hint = "set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_DEPLOYMENT, or try --emulator"


class AuthError(AzrespError):
    exit_code = ExitCode.AUTH
    default_hint = (
        "set AZURE_OPENAI_API_KEY, or sign in with `az login` for Microsoft Entra ID "
        "(the identity needs the 'Cognitive Services OpenAI User' role)"
    )


class NotFoundError(AzrespError):
    exit_code = ExitCode.NOT_FOUND
    default_hint = "check the id; stored responses can be listed with `azresp history list`"


class RateLimitError(AzrespError):
    exit_code = ExitCode.RATE_LIMIT
    default_hint = "wait and retry, or raise the deployment's tokens-per-minute quota"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        # Which limit the headers say was used up (core/ratelimits.py); None: they do not say
        # (a flex request turned away for lack of capacity, for one).
        self.exhausted: str | None = None
        if retry_after is not None and "hint" not in kwargs:
            self.hint = f"the service asks to retry after {retry_after:g} s"


class ContentFilteredError(AzrespError):
    exit_code = ExitCode.CONTENT_FILTERED
    default_hint = "rephrase the prompt; Azure's content filter blocked it"

    def __init__(self, message: str, *, categories: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.categories = categories


class NetworkError(AzrespError):
    exit_code = ExitCode.NETWORK
    default_hint = "check the endpoint and your network; `azresp doctor` tests both"


class StreamBrokenError(NetworkError):
    default_hint = "the answer above is partial; retry, or continue with -p/--previous"


class RequestTimedOut(NetworkError):
    """No answer within --timeout: the service may still have received (and be running) it."""

    default_hint = "raise --timeout, or check the endpoint with `azresp doctor`"


class IncompleteError(AzrespError):
    exit_code = ExitCode.INCOMPLETE
    default_hint = "the output above is partial; raise --max-output-tokens and ask again"


class ResponseCancelledError(AzrespError):
    exit_code = ExitCode.CANCELLED
    default_hint = "it was cancelled (with `azresp bg cancel` or by the service); start it again"


class NotSupportedError(ApiError):
    """The endpoint does not offer this operation (404/405 on a route Azure may not have)."""

    default_hint = "this endpoint does not offer it; nothing was changed"


class OutputClosed(AzrespError):
    """The reader of stdout went away (``azresp chat ... | head -3``): not a failure, and
    nothing more to say about it (no marker, no error line)."""

    exit_code = ExitCode.OK
    default_hint = "the program reading the output stopped early"


class BudgetExceededError(AzrespError):
    """Refused before sending: the turn's worst case is above what is left of --max-cost."""

    exit_code = ExitCode.BUDGET
    default_hint = "raise --max-cost, or lower --max-output-tokens"


class BatchUnfinished(AzrespError):
    """Some lines of a batch failed, expired or were cancelled, or it is still running."""

    exit_code = ExitCode.BATCH_UNFINISHED
    default_hint = "azresp batch fetch --retry-failed ID sends the lines that did not succeed"


class Interrupted(AzrespError):
    exit_code = ExitCode.INTERRUPTED
    default_hint = "interrupted by the user"


_STATUS_KINDS: dict[int, type[AzrespError]] = {
    400: ApiError,
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    429: RateLimitError,
}

_HINTS_BY_CODE: dict[str, str] = {
    "previous_response_not_found": (
        "the previous response is unknown, deleted, or was created with store=false; "
        "start a new conversation or pass another -p/--previous id"
    ),
    "DeploymentNotFound": "check -m/--model or AZURE_OPENAI_DEPLOYMENT (the deployment name)",
    "model_not_found": "check -m/--model or AZURE_OPENAI_DEPLOYMENT (the deployment name)",
}


_DEPLOYMENT_CODES = {"DeploymentNotFound", "model_not_found"}


def classify(exc: BaseException) -> AzrespError:
    """Map any exception to the ``AzrespError`` that says what happened and how to exit."""
    if isinstance(exc, AzrespError):
        return exc
    if isinstance(exc, KeyboardInterrupt):
        return Interrupted("interrupted")
    if isinstance(exc, BrokenPipeError):
        return OutputClosed("output closed")
    openai = sys.modules.get("openai")  # not loaded means it cannot be one of its errors
    if openai is not None:
        if isinstance(exc, openai.APIStatusError):
            return _from_status_error(exc)
        if isinstance(exc, openai.APITimeoutError):
            return RequestTimedOut("the request timed out")
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            return NetworkError(
                f"could not reach the service: {first_line(str(cause)) or type(cause).__name__}",
                detail=redact(repr(cause)),
            )
        if isinstance(exc, openai.APIError):
            # Raised for an `error` event inside an SSE stream: the body is the event's error.
            body = exc.body if isinstance(exc.body, dict) else {}
            return _from_error_body(body, exc.message, status=None, request_id=None)
    if isinstance(exc, OSError):
        return AzrespError(f"{exc.strerror or exc}", hint="check the path and its permissions")
    if isinstance(exc, UnicodeError):
        return _from_unicode_error(exc)
    if isinstance(exc, RecursionError):
        return UsageError(
            "the input is nested too deeply to process",
            hint="simplify it (a JSON or TOML document nested thousands of levels deep?)",
            detail=redact(repr(exc)),
        )
    return AzrespError(
        f"unexpected {type(exc).__name__}: {first_line(str(exc))} (a bug in azresp)",
        hint="rerun with --debug and report it",
        detail=redact(repr(exc)),
    )


def _from_unicode_error(exc: UnicodeError) -> AzrespError:
    """Text that is not UTF-8 (bytes escaped from argv, a file, stdin) met an encoder, or the
    output's encoding cannot show a character: the user's input or locale, not a bug."""
    if isinstance(exc, UnicodeEncodeError) and "surrogates not allowed" in str(exc.reason):
        return UsageError(
            "some text is not valid UTF-8 (bytes from the command line, a file or stdin)",
            hint="convert it to UTF-8 first, e.g. `iconv -f latin1 -t utf-8`",
            detail=redact(repr(exc)),
        )
    if isinstance(exc, UnicodeEncodeError):
        return UsageError(
            f"the output's encoding ({exc.encoding}) cannot show some of the text",
            hint="use a UTF-8 locale (LANG=C.UTF-8) or set PYTHONIOENCODING=utf-8",
            detail=redact(repr(exc)),
        )
    return UsageError(
        f"text is not valid UTF-8: {first_line(str(exc))}",
        hint="convert it to UTF-8 first, e.g. `iconv -f latin1 -t utf-8`",
        detail=redact(repr(exc)),
    )


def request_id_of(headers: Any) -> str | None:
    """Azure's API gateway id first, the model service's id second."""
    if headers is None:
        return None
    value = headers.get("apim-request-id") or headers.get("x-request-id")
    return str(value) if value else None


def _from_status_error(exc: Any) -> AzrespError:
    response = exc.response
    body = exc.body if isinstance(exc.body, dict) else {}
    if isinstance(body.get("error"), dict):
        body = body["error"]
    status = int(response.status_code)
    request_id = request_id_of(response.headers)
    error = _from_error_body(body, exc.message, status=status, request_id=request_id)
    error.retry_after = retry_after(response.headers)
    if isinstance(error, RateLimitError):
        _explain_rate_limit(error, response.headers)
    if status >= 500 and type(error) is ApiError:
        error.hint = "the service failed; retry later (the SDK already retried)"
    request = getattr(response, "request", None)
    if isinstance(error, AuthError):
        error.hint = credential_hint(status) or AuthError.default_hint
    if str(body.get("code") or "") in _DEPLOYMENT_CODES:
        error.hint = deployment_hint(request)
    elif type(error) is NotFoundError and str(body.get("code") or "") not in _HINTS_BY_CODE:
        error.hint = not_found_hint(request) or NotFoundError.default_hint
    return error


def _from_error_body(
    body: dict[str, Any], fallback: str, *, status: int | None, request_id: str | None
) -> AzrespError:
    code = str(body.get("code") or "")
    message = first_line(str(body.get("message") or fallback)) or "the service returned an error"
    detail = redact(json.dumps(body, indent=2, default=str)) if body else None
    kwargs: dict[str, Any] = {"status": status, "request_id": request_id, "detail": detail}
    if code in _HINTS_BY_CODE:
        kwargs["hint"] = _HINTS_BY_CODE[code]
    if code == "content_filter" or code == "ResponsibleAIPolicyViolation":
        categories = filtered_categories(body)
        if categories:
            message = f"{message} [filtered: {', '.join(categories)}]"
        return ContentFilteredError(message, categories=categories, **kwargs)
    if code == "previous_response_not_found" or code in _DEPLOYMENT_CODES:
        # v1 says model_not_found with HTTP 400, Azure DeploymentNotFound with 404: both exit 4.
        return NotFoundError(message, **kwargs)
    param = body.get("param")
    if status in (400, None) and isinstance(param, str) and param and param not in message:
        message = f"{message} (parameter: {param})"
    if code in {"rate_limit_exceeded", "insufficient_quota"}:
        return RateLimitError(message, **kwargs)
    kind = _STATUS_KINDS.get(status or 0, ApiError)
    return kind(message, **kwargs)


def _explain_rate_limit(error: RateLimitError, headers: Any) -> None:
    """The hint names the limit that was hit and when it resets (core/ratelimits.py); without
    a retry-after, the limit's own reset time is the wait."""
    from azresp_cli.core.ratelimits import describe_429, seconds_text

    which, reset = describe_429(headers)
    error.exhausted = which
    if error.retry_after is None and reset is not None:
        error.retry_after = reset
    wait = error.retry_after
    if which:
        error.hint = which + (f"; it resets in {seconds_text(wait)}" if wait is not None else "")
    elif wait is not None:
        error.hint = f"the service asks to retry after {wait:g} s"
