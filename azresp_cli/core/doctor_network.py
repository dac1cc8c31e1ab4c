"""What every `azresp doctor` step shares (the run's state, a failed check), and the network
steps: DNS, TCP connect and TLS handshake to the endpoint (core/probes.py does the probing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from azresp_cli.core import probes
from azresp_cli.core.config import ConnectionFlags, Settings
from azresp_cli.core.doctor_report import Check, Fact
from azresp_cli.core.environment import Environment
from azresp_cli.core.errors import AzrespError

if TYPE_CHECKING:
    from openai import OpenAI


@dataclass
class DoctorRun:
    env: Environment
    flags: ConnectionFlags
    resolve: probes.Resolver
    settings: Settings | None = None
    addresses: list[str] = field(default_factory=list)
    token: str | None = None
    client: OpenAI | None = None


def failed_check(name: str, error: AzrespError, **facts: Fact) -> Check:
    return Check(
        name,
        "fail",
        error.headline(),
        hint=error.hint,
        detail=error.detail,
        facts=facts,
        exit_code=error.exit_code,
    )


def settings_of(run: DoctorRun) -> Settings:
    if run.settings is None:  # pragma: no cover - the endpoint step runs first and blocks
        raise RuntimeError("doctor: a step ran before the settings were resolved")
    return run.settings


def host_port(settings: Settings) -> tuple[str, int]:
    parts = urlsplit(settings.endpoint)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def check_dns(run: DoctorRun) -> Check:
    settings = settings_of(run)
    host, port = host_port(settings)
    try:
        run.addresses, seconds = probes.lookup(run.resolve, host, port)
    except AzrespError as error:
        return failed_check("dns", error, host=host)
    shown = ", ".join(run.addresses[:3]) + (" …" if len(run.addresses) > 3 else "")
    summary = (
        f"{host} is an address; nothing to look up"
        if run.addresses == [host]
        else f"{host} → {shown} ({seconds * 1000:.0f} ms)"
    )
    return Check(
        "dns", "ok", summary, seconds=seconds, facts={"host": host, "addresses": run.addresses}
    )


def check_connect(run: DoctorRun) -> Check:
    settings = settings_of(run)
    host, port = host_port(settings)
    proxy = probes.proxy_for(run.env.variables, urlsplit(settings.endpoint).scheme, host)
    if proxy:
        return Check(
            "connect", "skip", f"requests go through the proxy {proxy}", facts={"proxy": proxy}
        )
    try:
        address, seconds = probes.connect(
            run.addresses, port, host=host, timeout=probes.CONNECT_TIMEOUT
        )
    except AzrespError as error:
        return failed_check("connect", error, port=port)
    return Check(
        "connect",
        "ok",
        f"{address}:{port} accepted a connection ({seconds * 1000:.0f} ms)",
        seconds=seconds,
        facts={"address": address, "port": port},
    )


def check_tls(run: DoctorRun) -> Check:
    settings = settings_of(run)
    host, port = host_port(settings)
    if urlsplit(settings.endpoint).scheme == "http":
        return Check("tls", "skip", "skipped (http on loopback)")
    if probes.proxy_for(run.env.variables, "https", host):
        return Check("tls", "skip", "skipped (through a proxy, which makes its own TLS)")
    try:
        result = probes.tls_handshake(host, port, timeout=probes.CONNECT_TIMEOUT)
    except AzrespError as error:
        return failed_check("tls", error, host=host)
    return Check(
        "tls",
        "ok",
        f"{result.version} · certificate for {result.subject} valid until {result.not_after}",
        seconds=result.seconds,
        facts={"version": result.version, "subject": result.subject, "not_after": result.not_after},
    )
