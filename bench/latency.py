"""First token with 50 ms of round-trip delay between client and emulator.

A loopback proxy (`DelayProxy`) holds every chunk, each way, for half the round trip before
passing it on, in order: a connection's handshake, each request and each reply pay the
delay, as they would to a distant service. Cold: `azresp chat PROMPT` and the bare SDK script
as processes through the proxy (the overlap of start-up with the network shows here). Warm:
turns in one process whose connection is kept alive, so only the first turn pays for opening
it. Both also run over TLS (`delayed_tls`): a throwaway certificate, the handshake's bytes
delayed like the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ipaddress
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from urllib.parse import urlsplit, urlunsplit

from bench.harness import (
    Context,
    Emulator,
    Options,
    Section,
    Stats,
    Table,
    Target,
    azresp_command,
    azresp_environment,
    interleaved_tuples,
    ms,
    ratio,
    scratch_dirs,
)
from bench.oneshot import BARE_SDK, PROMPT, timed_process

ROUND_TRIP = 0.050
LATENCY_TARGET = 1.0  # the issue: first answer byte at most the bare SDK's


class DelayProxy:
    """127.0.0.1:port → target, each chunk delayed by `one_way` seconds, in order."""

    def __init__(
        self, host: str, port: int, one_way: float, tls: ssl.SSLContext | None = None
    ) -> None:
        self.target = (host, port)
        self.one_way = one_way
        self.tls = tls  # a server context: TLS ends here, plain bytes go on to the target
        self.port = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delay-proxy", daemon=True)

    def __enter__(self) -> DelayProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(stop(), self._loop)
        self._thread.join(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
        self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        with contextlib.suppress(asyncio.CancelledError, OSError):  # the proxy stopping
            await asyncio.sleep(self.one_way * 2)  # the TCP handshake's round trip
            up_reader, up_writer = await asyncio.open_connection(*self.target)
            await asyncio.gather(
                self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
            )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            with contextlib.suppress(asyncio.CancelledError, OSError):
                while True:
                    due, data = await queue.get()
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                    if not data:
                        break
                    writer.write(data)
                    await writer.drain()
            with contextlib.suppress(OSError):
                writer.close()

        sender = asyncio.ensure_future(deliver())
        with contextlib.suppress(asyncio.CancelledError, OSError):
            while data := await reader.read(65536):
                queue.put_nowait((time.monotonic() + self.one_way, data))
        queue.put_nowait((time.monotonic() + self.one_way, b""))
        with contextlib.suppress(asyncio.CancelledError):
            await sender


@contextlib.contextmanager
def delayed(emulator: Emulator, round_trip: float = ROUND_TRIP) -> Iterator[str]:
    """The emulator's base URL through a `DelayProxy`."""
    parts = urlsplit(emulator.base_url)
    with DelayProxy(parts.hostname or "127.0.0.1", parts.port or 80, round_trip / 2) as proxy:
        yield urlunsplit(parts._replace(netloc=f"127.0.0.1:{proxy.port}"))


@contextlib.contextmanager
def delayed_tls(emulator: Emulator, round_trip: float = ROUND_TRIP) -> Iterator[tuple[str, str]]:
    """The emulator behind TLS on loopback, the TLS bytes through a `DelayProxy`: so the
    handshake's round trips are delayed as a distant service's would be. Yields the https
    base URL and the throwaway certificate clients must trust (SSL_CERT_FILE)."""
    parts = urlsplit(emulator.base_url)
    with tempfile.TemporaryDirectory() as folder:
        certificate, key = throwaway_certificate(folder)
        server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server.load_cert_chain(certificate, key)
        target = (parts.hostname or "127.0.0.1", parts.port or 80)
        with (
            DelayProxy(*target, 0.0, tls=server) as ending,
            DelayProxy("127.0.0.1", ending.port, round_trip / 2) as proxy,
        ):
            netloc = f"127.0.0.1:{proxy.port}"
            yield urlunsplit(parts._replace(scheme="https", netloc=netloc)), certificate


def throwaway_certificate(folder: str) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, valid for a day, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "azresp bench")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = f"{folder}/cert.pem", f"{folder}/key.pem"
    with open(certificate_path, "wb") as file:
        file.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as file:
        file.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return certificate_path, key_path


def _cold_cases(
    env: Mapping[str, str], medium: str
) -> dict[str, Callable[[], tuple[float, float]]]:
    """The bare SDK script and `azresp chat` as cold processes on a pipe, named for ``medium``."""
    return {
        f"bare SDK, {medium}": lambda: timed_process(
            [sys.executable, str(BARE_SDK), PROMPT], env, tty=False
        ),
        f"azresp, {medium}": lambda: timed_process(
            [*azresp_command(), "chat", PROMPT], env, tty=False
        ),
    }


def run(options: Options, context: Context) -> Section:
    runs = options.repeat(10, smoke=1)
    section = Section()
    with delayed(context.emulator) as url, scratch_dirs() as dirs:
        env = azresp_environment(Emulator(url, context.emulator.pid), dirs)
        cold = interleaved_tuples(runs, _cold_cases(env, "pipe"))
        warm = _warm(options, url)
    with delayed_tls(context.emulator) as (url, certificate), scratch_dirs() as dirs:
        env = azresp_environment(
            Emulator(url, context.emulator.pid), dirs, SSL_CERT_FILE=certificate
        )
        tls = interleaved_tuples(runs, _cold_cases(env, "pipe, TLS"))
        warm_tls = _warm(options, url, certificate)
    cold = {**cold, **tls}
    warm = {**warm, **warm_tls}
    rtt = f"{ROUND_TRIP * 1000:.0f} ms RTT"
    table = Table(
        f"First token through a delaying proxy ({rtt}; {runs} cold runs each)",
        ["client", "first token min", "first token median", "total median", "first-token ratio"],
    )
    baselines = {"TLS": "bare SDK, pipe, TLS", "pipe": "bare SDK, pipe"}
    for name, (first, total) in {**cold, **warm}.items():
        if name in cold:
            base = cold[baselines["TLS" if name.endswith("TLS") else "pipe"]][0]
        else:
            base = warm["bare SDK, warm turn" + (", TLS" if name.endswith("TLS") else "")][0]
        versus = ratio(first, base) if name.startswith("azresp") else ""
        table.add(name, ms(first.minimum), ms(first.median), ms(total.median), versus)
    section.tables.append(table)
    for label, group, azresp, bare in (
        ("cold one-shot", cold, "azresp, pipe", "bare SDK, pipe"),
        ("cold one-shot over TLS", cold, "azresp, pipe, TLS", "bare SDK, pipe, TLS"),
        ("warm REPL turn", warm, "azresp, warm turn", "bare SDK, warm turn"),
        ("warm REPL turn over TLS", warm, "azresp, warm turn, TLS", "bare SDK, warm turn, TLS"),
    ):
        section.targets.append(
            Target(
                f"first token vs bare SDK ({label}, {rtt})",
                group[azresp][0].ratio_to(group[bare][0]),
                LATENCY_TARGET,
                "at most",
            )
        )
    return section


def _warm(
    options: Options, url: str, certificate: str | None = None
) -> dict[str, tuple[Stats, ...]]:
    """Warm turns, each client's connection kept alive; over TLS if a certificate (to trust)
    is given: both clients build their TLS context (with SSL_CERT_FILE) when made."""
    import os

    from openai import OpenAI

    from azresp_cli.core.client import make_client
    from azresp_cli.core.config import AuthMethod, Settings
    from azresp_cli.core.events import TextDelta
    from azresp_cli.core.request import TurnRequest
    from azresp_cli.core.turn import run_turn

    settings = Settings(endpoint=url, deployment="emulator", auth=AuthMethod.KEY, api_key="k")
    saved = os.environ.get("SSL_CERT_FILE")
    if certificate is not None:
        os.environ["SSL_CERT_FILE"] = certificate
    try:
        azresp_client = make_client(settings)
        bare_client = OpenAI(base_url=url, api_key="k")
    finally:
        if saved is None:
            os.environ.pop("SSL_CERT_FILE", None)
        else:
            os.environ["SSL_CERT_FILE"] = saved
    suffix = ", TLS" if certificate is not None else ""

    def azresp_turn() -> tuple[float, float]:
        started, first = time.perf_counter(), None
        for event in run_turn(azresp_client, settings, TurnRequest(PROMPT)):
            if first is None and isinstance(event, TextDelta):
                first = time.perf_counter() - started
        assert first is not None
        return first, time.perf_counter() - started

    def bare_turn() -> tuple[float, float]:
        started, first = time.perf_counter(), None
        for event in bare_client.responses.create(model="emulator", input=PROMPT, stream=True):
            if first is None and event.type == "response.output_text.delta":
                first = time.perf_counter() - started
        assert first is not None
        return first, time.perf_counter() - started

    try:
        azresp_turn(), bare_turn()  # open both connections: warm turns reuse them
        return interleaved_tuples(
            options.repeat(15, smoke=2),
            {f"bare SDK, warm turn{suffix}": bare_turn, f"azresp, warm turn{suffix}": azresp_turn},
        )
    finally:
        azresp_client.close()
        bare_client.close()
