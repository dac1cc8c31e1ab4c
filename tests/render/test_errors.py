"""print_error: one line, a hint, the detail and traceback only with --debug."""

from __future__ import annotations

import subprocess
import sys

import pytest

from azresp_cli.core.errors import AuthError, NotFoundError
from azresp_cli.render.errors import print_error

from .support import make_console, make_env, output, streams


def not_found() -> NotFoundError:
    return NotFoundError(
        "deployment 'gpt-4.1-mini' not found",
        status=404,
        request_id="3f2a9c1e-77",
        hint="check --deployment or AZURE_OPENAI_DEPLOYMENT",
        detail='{\n  "code": "DeploymentNotFound"\n}',
    )


def test_headline_with_status_and_request_id_then_the_hint() -> None:
    env = make_env()
    print_error(env, not_found(), debug=False)
    assert streams(env) == (
        "",
        "error: deployment 'gpt-4.1-mini' not found (HTTP 404, request id 3f2a9c1e-77)\n"
        "hint: check --deployment or AZURE_OPENAI_DEPLOYMENT\n",
    )


def test_without_debug_no_detail_and_no_traceback() -> None:
    env = make_env()
    try:
        raise ValueError("the original failure")
    except ValueError as exc:
        print_error(env, not_found(), debug=False, exception=exc)
    stderr = streams(env)[1]
    assert "DeploymentNotFound" not in stderr
    assert "Traceback" not in stderr and "original failure" not in stderr


def test_debug_adds_the_detail_and_the_redacted_traceback() -> None:
    env = make_env()
    try:
        raise ValueError("GET https://r.openai.azure.com/?api-key=sk-test-secret-123 failed")
    except ValueError as exc:
        print_error(env, not_found(), debug=True, exception=exc)
    stderr = streams(env)[1]
    assert '"code": "DeploymentNotFound"' in stderr
    assert "Traceback (most recent call last)" in stderr
    assert "ValueError: GET https://r.openai.azure.com/?api-key=*** failed" in stderr
    assert "sk-test-secret-123" not in stderr


def test_debug_without_an_exception_shows_no_traceback() -> None:
    env = make_env()
    print_error(env, not_found(), debug=True)
    assert "Traceback" not in streams(env)[1]


def test_the_default_hint_is_shown_when_none_was_given() -> None:
    env = make_env()
    print_error(env, AuthError("no usable credential"))
    assert streams(env)[1].splitlines()[1] == f"hint: {AuthError.default_hint}"


def test_red_error_label_on_a_colour_terminal() -> None:
    console = make_console(terminal=True)
    print_error(console, not_found())
    assert output(console).startswith("\x1b[1;31merror:\x1b[0m deployment")


def test_no_escapes_under_no_color_on_a_tty() -> None:
    env = make_env(stderr_tty=True, NO_COLOR="1")
    print_error(env, not_found())
    assert "\x1b" not in streams(env)[1]


def test_a_long_headline_is_not_wrapped_into_two_lines() -> None:
    env = make_env(COLUMNS="40")
    print_error(env, NotFoundError("x" * 120))
    assert streams(env)[1].splitlines()[0] == "error: " + "x" * 120


@pytest.mark.slow
def test_importing_errors_and_writers_loads_no_markdown_or_live() -> None:
    # cli/main.py imports render.errors after a failure, and `azresp --help` must stay cheap.
    code = (
        "import sys\n"
        "import azresp_cli.render.errors, azresp_cli.render.writers, azresp_cli.render.records\n"
        "heavy = ('rich.markdown', 'rich.live', 'markdown_it')\n"
        "print(sorted(name for name in heavy if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
