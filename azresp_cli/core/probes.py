"""Network probes for `azresp doctor`: name lookup, TCP connect, TLS handshake, proxy choice.

Each returns what it found and how long it took, or raises a NetworkError whose message and
hint say what failed and what to look at. The resolver is a parameter so tests can fail a
lookup without a DNS query.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from azresp_cli.core.endpoint import LOOPBACK_HOSTS
from azresp_cli.core.errors import NetworkError

CONNECT_TIMEOUT = 10.0  # as the client's connect timeout (core/client.py)

Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class TlsResult:
    version: str  # "TLSv1.3"
    subject: str  # the certificate's common name, e.g. "*.openai.azure.com"
    not_after: str  # ISO date the certificate expires
    seconds: float


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, in the system resolver's order, without repeats."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def lookup(resolver: Resolver, host: str, port: int) -> tuple[list[str], float]:
    if _is_address(host):
        return [host], 0.0
    started = time.monotonic()
    try:
        addresses = resolver(host, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise NetworkError(
            f"cannot resolve {host}: {_reason(exc)}",
            hint="check the resource name in the endpoint; a private endpoint needs the DNS of "
            "its network (VPN)",
        ) from None
    if not addresses:
        raise NetworkError(f"{host} resolves to no address")
    return addresses, time.monotonic() - started


def connect(addresses: list[str], port: int, *, host: str, timeout: float) -> tuple[str, float]:
    """Open (and close) a TCP connection to the first address that accepts one."""
    problem: OSError | None = None
    for address in addresses:
        started = time.monotonic()
        try:
            with socket.create_connection((address, port), timeout=timeout):
                return address, time.monotonic() - started
        except OSError as exc:
            problem = exc
    raise _connect_error(host, port, problem, timeout)


def tls_handshake(host: str, port: int, *, timeout: float) -> TlsResult:
    """Verify the server's certificate the way the SDK's HTTP client does (certifi's roots)."""
    context = _trust_context()
    started = time.monotonic()
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            seconds = time.monotonic() - started
            certificate = tls.getpeercert() or {}
            version = tls.version() or "TLS"
    except ssl.SSLCertVerificationError as exc:
        raise NetworkError(
            f"the TLS certificate of {host} is not trusted: {exc.verify_message}",
            hint="a proxy or security product may re-sign TLS; point SSL_CERT_FILE at its CA "
            "bundle",
        ) from None
    except (ssl.SSLError, OSError) as exc:
        raise NetworkError(f"TLS handshake with {host}:{port} failed: {_reason(exc)}") from None
    return TlsResult(version, _common_name(certificate), _not_after(certificate), seconds)


def proxy_for(variables: Mapping[str, str], scheme: str, host: str) -> str | None:
    """The proxy URL the SDK's client would use for ``host`` (HTTPS_PROXY and NO_PROXY), if any."""
    if host in LOOPBACK_HOSTS:
        return None
    proxy = _variable(variables, f"{scheme}_proxy") or _variable(variables, "all_proxy")
    if not proxy:
        return None
    for entry in (_variable(variables, "no_proxy") or "").split(","):
        suffix = entry.strip().lstrip("*").lstrip(".")
        if suffix == "*" or (suffix and (host == suffix or host.endswith("." + suffix))):
            return None
    return proxy


def _variable(variables: Mapping[str, str], name: str) -> str | None:
    return variables.get(name.lower()) or variables.get(name.upper())


def _connect_error(host: str, port: int, exc: OSError | None, timeout: float) -> NetworkError:
    loopback = host in LOOPBACK_HOSTS or (
        _is_address(host) and ipaddress.ip_address(host).is_loopback
    )
    if isinstance(exc, ConnectionRefusedError):
        hint = (
            "nothing listens there: start the emulator (`azresp emulator --port N`) or fix the port"
            if loopback
            else "the host refused the port; check the endpoint's port and any firewall"
        )
        return NetworkError(f"{host}:{port} refused the connection", hint=hint)
    if isinstance(exc, TimeoutError | socket.timeout):
        return NetworkError(
            f"no answer from {host}:{port} within {timeout:g} s",
            hint="a firewall, a required proxy (set HTTPS_PROXY) or a private endpoint may be in "
            "the way",
        )
    return NetworkError(f"cannot connect to {host}:{port}: {_reason(exc)}")


def _trust_context() -> ssl.SSLContext:
    try:
        import certifi  # httpx's trust store, so doctor sees what requests will see
    except ImportError:  # pragma: no cover - httpx depends on it
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def _common_name(certificate: Mapping[str, object]) -> str:
    for group in certificate.get("subject", ()):  # type: ignore[attr-defined]
        for key, value in group:
            if key == "commonName":
                return str(value)
    return "the host"


def _not_after(certificate: Mapping[str, object]) -> str:
    raw = certificate.get("notAfter")
    if not isinstance(raw, str):
        return "unknown"
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(raw), tz=UTC)
    return expires.date().isoformat()


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _reason(exc: BaseException | None) -> str:
    if exc is None:
        return "no address to try"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
