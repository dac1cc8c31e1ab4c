"""`azresp doctor`: check each step from the config file to the deployment, in order.

Each step yields one ``Check`` as soon as it is done, so the CLI shows progress line by line. A
failing step stops the ones that depend on it (they come out as "skip"); the preview features
at the end only warn. The network steps (DNS, TCP, TLS) live in ``core/probes.py``; the service
is asked through the same openai client every command uses, with retries off.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from azresp_cli.core import probes
from azresp_cli.core.config import (
    AuthMethod,
    ConnectionFlags,
    config_path,
    load_config_file,
    resolve_settings,
    select_profile,
)
from azresp_cli.core.doctor_network import (
    DoctorRun,
    check_connect,
    check_dns,
    check_tls,
    failed_check,
    settings_of,
)
from azresp_cli.core.doctor_report import Check, Fact
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import AzrespError, ExitCode, classify, request_id_of
from azresp_cli.core.ratelimits import RateLimits, rate_limits

if TYPE_CHECKING:
    from openai import OpenAI

DOCTOR_TIMEOUT = 60.0  # one small request; a deployment slower than this is a finding too
PING_INPUT = "Reply with the single word OK."
IMAGE_DEPLOYMENT_HEADER = "x-ms-oai-image-generation-deployment"
REGION_HEADER = "x-ms-region"


Step = Callable[[DoctorRun], Check]


def run_checks(
    flags: ConnectionFlags, env: Environment, *, resolve: probes.Resolver = probes.resolve
) -> Iterator[Check]:
    """Run every step in order; after a failure the remaining blocking steps are skipped."""
    run = DoctorRun(env, flags, resolve)
    failed: str | None = None
    try:
        for step, blocking in _STEPS:
            if failed is not None:
                name = step.__name__.removeprefix("_").removeprefix("check_").replace("_", " ")
                yield Check(name, "skip", f"not run ({failed} failed)")
                continue
            started = time.monotonic()
            check = step(run)
            if check.seconds is None and check.status != "skip":
                check = dataclasses.replace(check, seconds=time.monotonic() - started)
            yield check
            if check.status == "fail" and blocking and check.blocks_rest:
                failed = check.name
        yield from _check_local_mcp(run)
    finally:
        if run.client is not None:
            run.client.close()


def _check_local_mcp(run: DoctorRun) -> Iterator[Check]:
    """Each ``[mcp_local.NAME]`` server with a command: does it start and list its tools?"""
    from azresp_cli.core.mcp_local import LocalServer, ServerFailed
    from azresp_cli.core.mcp_local_config import configured_servers

    try:
        servers = configured_servers(run.env)
    except AzrespError as error:
        yield failed_check("mcp local", error)
        return
    for spec in servers.values():
        if not spec.command:
            continue
        name = f"mcp local {spec.name}"
        started = time.monotonic()
        server = LocalServer(spec)
        try:
            tools = server.start()
        except ServerFailed as exc:
            yield Check(
                name,
                "fail",
                str(exc),
                hint=f"check command in [mcp_local.{spec.name}]; run it by hand to see its errors",
                seconds=time.monotonic() - started,
                exit_code=ExitCode.TOOL_SERVER,
                blocks_rest=False,
            )
            continue
        finally:
            server.close()
        listed = ", ".join(tool.tool for tool in tools) or "none"
        yield Check(
            name,
            "ok",
            f"started; {len(tools)} tools ({listed})",
            seconds=time.monotonic() - started,
            facts={"tools": [tool.tool for tool in tools]},
        )


def _check_config(run: DoctorRun) -> Check:
    from azresp_cli.core.config_file import check_file

    path = config_path(run.env)
    if not path.exists():
        return Check(
            "config",
            "ok",
            f"no config file at {path}; flags and environment only",
            facts={"path": str(path), "exists": False, "profile": None},
        )
    try:
        problems = check_file(run.env)
        requested = run.flags.profile or run.env.variables.get("AZRESP_PROFILE")
        profile, _ = select_profile(load_config_file(path), requested, path)
    except AzrespError as error:
        return failed_check("config", error, path=str(path))
    facts: dict[str, Fact] = {"path": str(path), "exists": True, "profile": profile}
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return Check(
            "config",
            "fail",
            errors[0].text(path) + more,
            hint="fix it with `azresp config set` or in an editor (`azresp config path`)",
            detail="\n".join(p.text(path) for p in errors[1:]) or None,
            facts=facts,
            exit_code=ExitCode.USAGE,
            # A bad chat default (effort = "max") does not stop the connection being checked.
            blocks_rest=False,
        )
    summary = f"{path} · profile {profile}" if profile else f"{path} · no profile selected"
    warnings = [p.text(path) for p in problems]
    if warnings:
        return Check(
            "config",
            "warn",
            warnings[0],
            detail="\n".join(warnings[1:]) or None,
            hint="remove the keys azresp does not know",
            facts=facts,
        )
    return Check("config", "ok", summary, facts=facts)


def _check_endpoint(run: DoctorRun) -> Check:
    try:
        run.settings = resolve_settings(run.flags, run.env)
    except AzrespError as error:
        return failed_check("endpoint", error)
    settings = run.settings
    return Check(
        "endpoint",
        "ok",
        f"{settings.endpoint} · deployment {settings.deployment}",
        facts={"endpoint": settings.endpoint, "deployment": settings.deployment},
    )


def _check_auth(run: DoctorRun) -> Check:
    from azresp_cli.core.auth import credential_choice, probe_token

    settings = settings_of(run)
    choice = credential_choice(settings)
    facts: dict[str, Fact] = {"kind": choice.kind, "source": choice.source}
    if choice.kind == "api_key":
        return Check("auth", "ok", f"{choice.description}; the request below tries it", facts=facts)
    try:
        probe = probe_token(settings.auth)
    except AzrespError as error:
        return failed_check("auth", error, **facts)
    run.token = probe.token
    facts = {**facts, "credential": probe.credential, "expires_on": probe.expires_on}
    lifetime = ""
    if probe.expires_on:
        minutes = max(0, round((probe.expires_on - time.time()) / 60))
        lifetime = f", valid for {minutes} min"
    return Check(
        "auth",
        "ok",
        f"Microsoft Entra ID token from {probe.credential} in {probe.seconds * 1000:.0f} ms"
        f"{lifetime}",
        seconds=probe.seconds,
        facts=facts,
    )


def _check_deployment(run: DoctorRun) -> Check:
    settings = settings_of(run)
    client = _client(run)
    started = time.monotonic()
    try:
        raw = client.responses.with_raw_response.create(
            model=settings.deployment, input=PING_INPUT, max_output_tokens=16, store=False
        )
        response = raw.parse()
    except Exception as exc:  # noqa: BLE001 - classify() is the one table for what this can be
        return failed_check("deployment", classify(exc), deployment=settings.deployment)
    seconds = time.monotonic() - started
    region = raw.headers.get(REGION_HEADER)
    request_id = request_id_of(raw.headers)
    parts = [f"{settings.deployment} answered in {seconds * 1000:.0f} ms"]
    parts.append(f"region {region}" if region else "region not reported")
    if request_id:
        parts.append(f"request id {request_id}")
    # Shown only when the service sent figures that make sense (core/ratelimits.py).
    limits = rate_limits(raw.headers) or RateLimits()
    if limits.summary():
        parts.append(f"rate limits: {limits.summary()}")
    return Check(
        "deployment",
        "ok",
        " · ".join(parts),
        seconds=seconds,
        facts={
            "deployment": settings.deployment,
            "model": response.model,
            "status": response.status,
            "region": region,
            "request_id": request_id,
            "remaining_requests": limits.remaining_requests,
            "remaining_tokens": limits.remaining_tokens,
            "limit_requests": limits.limit_requests,
            "limit_tokens": limits.limit_tokens,
        },
    )


def _check_code_interpreter(run: DoctorRun) -> Check:
    tool = {"type": "code_interpreter", "container": {"type": "auto"}}
    return _feature(run, "code interpreter", [tool], {})


def _check_image_generation(run: DoctorRun) -> Check:
    from azresp_cli.core.config_file import profile_values

    settings = settings_of(run)
    profile = settings.profile
    deployment = profile_values(run.env, profile).get("image_deployment") if profile else None
    if not deployment:
        return Check(
            "image generation",
            "skip",
            "no image_deployment configured",
            hint="azresp config set image_deployment NAME (your image model's deployment)",
        )
    tool = {"type": "image_generation"}
    return _feature(
        run, "image generation", [tool], {IMAGE_DEPLOYMENT_HEADER: str(deployment)}, str(deployment)
    )


def _feature(
    run: DoctorRun,
    name: str,
    tools: list[Any],  # the SDK types each tool; these are plain JSON
    headers: dict[str, str],
    deployment: str | None = None,
) -> Check:
    """Ask with the tool attached but not to be called: the service checks it, nothing runs."""
    settings = settings_of(run)
    try:
        _client(run).responses.create(
            model=settings.deployment,
            input=PING_INPUT,
            tools=tools,
            tool_choice="none",
            max_output_tokens=16,
            store=False,
            extra_headers=headers or None,
        )
    except Exception as exc:  # noqa: BLE001 - classify() decides what it was
        error = classify(exc)
        return Check(
            name,
            "warn",
            f"not available: {error.headline()}",
            hint="a preview feature: check the model and region support it",
            facts={"available": False, "deployment": deployment},
        )
    on = f" with deployment {deployment}" if deployment else ""
    return Check(name, "ok", f"available{on}", facts={"available": True, "deployment": deployment})


def _client(run: DoctorRun) -> OpenAI:
    if run.client is None:
        from azresp_cli.core.client import make_client

        settings = dataclasses.replace(
            settings_of(run), max_retries=0, timeout=min(settings_of(run).timeout, DOCTOR_TIMEOUT)
        )
        if run.token is not None:
            # The token the auth step fetched; the v1 endpoint takes it as the bearer, as it does
            # a key, so the credential chain is not walked a second time.
            settings = dataclasses.replace(
                settings, auth=AuthMethod.KEY, api_key=run.token, api_key_source="entra"
            )
        run.client = make_client(settings)
    return run.client


# (step, whether its failure stops the later steps)
_STEPS: list[tuple[Step, bool]] = [
    (_check_config, True),
    (_check_endpoint, True),
    (check_dns, True),
    (check_connect, True),
    (check_tls, True),
    (_check_auth, True),
    (_check_deployment, True),
    (_check_code_interpreter, False),
    (_check_image_generation, False),
]
