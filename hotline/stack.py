"""`hotline up`: the whole platform on one machine, each service in its own process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import FrameType

from hotline.runtime.auth import load_credentials
from hotline.runtime.embedded_broker import EmbeddedBroker
from hotline.runtime.host import PARENT_PID_VARIABLE
from hotline.runtime.kafka import all_topics, ensure_topics
from hotline.runtime.sealing import load_keyring
from hotline.settings import SERVICE_NAMES, Settings


def catalogue_units() -> list[str]:
    """Unit codes of the shipped dispatch catalogue, so each unit gets a key locally.

    `hotline up` is the composition root, so it may read routing's data file; in
    Kubernetes the keys come from the HOTLINE_API_KEYS secret instead.
    """
    from services.routing.catalogue import load_catalogue

    return [unit.code for unit in load_catalogue().units]


class ServiceExited(RuntimeError):
    pass


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceExited(f"{url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy within {timeout}s")


class Stack:
    """The broker (when none is configured) and five service processes."""

    def __init__(self, settings: Settings, environ: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.environ = dict(os.environ if environ is None else environ)
        self.broker: EmbeddedBroker | None = None
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def url(self, service: str) -> str:
        port = self.settings.http_port_for(service)
        return f"http://{self.settings.http_host}:{port}"

    def start(self) -> None:
        data_dir = self.settings.data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        if self.settings.uses_embedded_broker():
            self.broker = EmbeddedBroker(
                self.settings.embedded_broker_host,
                self.settings.embedded_broker_port,
                log_file=data_dir / "broker.log",
            )
            self.broker.start()
        asyncio.run(ensure_topics(self.settings, all_topics(self.settings)))
        self._prepare_secrets(data_dir)
        for service in SERVICE_NAMES:
            self.processes[service] = self._spawn(service, data_dir)
        for name, process in self.processes.items():
            wait_until_healthy(f"{self.url(name)}/readyz", process, timeout=90)

    def _prepare_secrets(self, data_dir: Path) -> None:
        """Create credentials and keys once, before five processes could race to."""
        _, path, created = load_credentials(data_dir, self.environ, unit_codes=catalogue_units())
        if created:
            print(
                f"Created API keys for every role, and for each unit of the dispatch "
                f"catalogue, in {path} (mode 0600).",
                flush=True,
            )
        _, path, created = load_keyring(data_dir, self.environ)
        if created:
            print(f"Created the personal-data key ring in {path} (mode 0600).", flush=True)

    def _spawn(self, service: str, data_dir: Path) -> subprocess.Popen[bytes]:
        env = (
            self.environ
            | self.settings.to_environ()
            | {
                "HOTLINE_DATA_DIR": str(data_dir),
                "HOTLINE_HTTP_PORT": str(self.settings.http_port_for(service)),
                "KAFKA_BOOTSTRAP_SERVERS": self.settings.bootstrap_servers(),
                "HOTLINE_KAFKA_IDEMPOTENCE": str(self.settings.producer_idempotence()).lower(),
                PARENT_PID_VARIABLE: str(os.getpid()),
            }
        )
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "hotline", "serve", service], env=env, start_new_session=True
        )

    def restart(self, service: str, timeout: float = 30.0) -> int:
        """SIGTERM one service, wait for its exit, start it again; returns its exit code."""
        process = self.processes[service]
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=timeout)
        data_dir = self.settings.data_dir.resolve()
        self.processes[service] = self._spawn(service, data_dir)
        wait_until_healthy(f"{self.url(service)}/readyz", self.processes[service], timeout=90)
        return code

    def stop(self, timeout: float = 30.0) -> dict[str, int | None]:
        """SIGTERM every service, wait for their graceful exits, then stop the broker."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes: dict[str, int | None] = {}
        deadline = time.monotonic() + timeout
        for service, process in self.processes.items():
            try:
                codes[service] = process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                codes[service] = process.wait()
        self.processes.clear()
        if self.broker is not None:
            self.broker.stop()
            self.broker = None
        return codes

    def exited(self) -> list[str]:
        return [name for name, process in self.processes.items() if process.poll() is not None]


def run_up(settings: Settings) -> int:
    stack = Stack(settings)
    stopping = False

    def request_stop(sig: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        stack.start()
    except BaseException:
        stack.stop()
        raise
    broker = stack.broker.bootstrap_servers if stack.broker else settings.bootstrap_servers()
    kind = "embedded Tansu (memory)" if stack.broker else "configured Kafka"
    print(f"broker       {broker}  [{kind}]")
    print(f"store        {settings.store}  data in {settings.data_dir.resolve()}")
    for service in SERVICE_NAMES:
        print(f"{service:<12} {stack.url(service)}")
    print("Press Ctrl-C to stop.", flush=True)
    while not stopping:
        crashed = stack.exited()
        if crashed:
            print(f"service(s) exited unexpectedly: {', '.join(crashed)}", file=sys.stderr)
            stack.stop()
            return 1
        time.sleep(0.5)
    codes = stack.stop()
    print("stopped: " + ", ".join(f"{name} exit {code}" for name, code in codes.items()))
    return 0 if all(code == 0 for code in codes.values()) else 1
