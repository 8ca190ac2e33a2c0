"""Settings shared by every service process, read from the environment.

One class, so that docker-compose, the Kubernetes ConfigMaps and `hotline up` all
name the same variables. Every variable is prefixed ``HOTLINE_`` except the broker
address, which keeps the name the Kafka tooling already uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ServiceName = Literal["intake", "routing", "sla", "feedback", "publication"]
SERVICE_NAMES: tuple[ServiceName, ...] = ("intake", "routing", "sla", "feedback", "publication")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore", populate_by_name=True)

    data_dir: Path = Path("./var")
    store: Literal["sqlite", "postgres"] = "sqlite"

    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "postgres"
    postgres_password: str = ""
    postgres_dbname: str = "postgres"
    postgres_schema_prefix: str = Field(
        default="",
        description="Prepended to each service's schema name (tests use it for isolation).",
    )
    postgres_pool_size: int = 5

    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "HOTLINE_KAFKA_BOOTSTRAP_SERVERS"),
    )
    kafka_idempotence: bool | None = Field(
        default=None,
        description="Producer idempotence. Default: on for a configured Kafka, "
        "off for the embedded broker, which does not support it.",
    )
    topic_prefix: str = "hotline"
    topic_partitions: int = 3
    topic_replication_factor: int = Field(
        default=1,
        description="Used when a service creates a missing topic; production creates "
        "topics beforehand with `hotline topics create --replication-factor 3`.",
    )
    embedded_broker_host: str = "127.0.0.1"
    embedded_broker_port: int = 9092

    http_host: str = "127.0.0.1"
    http_port: int | None = Field(
        default=None, description="This process's port; unset, each service takes its default."
    )
    http_port_base: int = Field(
        default=8001,
        description="Default ports: intake base, routing base+1, … publication base+4.",
    )

    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "info"

    relay_batch_size: int = 500
    relay_poll_seconds: float = 0.05
    consumer_batch_size: int = 500
    consumer_session_timeout_ms: int | None = Field(
        default=None,
        description="Consumer-group session timeout. Default: 10000 on Kafka; 3000 on the "
        "embedded broker, whose group joins wait in proportion to it.",
    )
    handler_attempts: int = 3

    def to_environ(self) -> dict[str, str]:
        """These settings as environment variables, for child processes."""
        return {
            f"HOTLINE_{name.upper()}": str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in self.model_dump(exclude_none=True).items()
        }

    def service_data_dir(self, service: str) -> Path:
        return self.data_dir / service

    def postgres_schema(self, service: str) -> str:
        return f"{self.postgres_schema_prefix}{service}"

    def bootstrap_servers(self) -> str:
        """The broker every client connects to: the configured one, else the embedded one."""
        if self.kafka_bootstrap_servers:
            return self.kafka_bootstrap_servers
        return f"{self.embedded_broker_host}:{self.embedded_broker_port}"

    def uses_embedded_broker(self) -> bool:
        return not self.kafka_bootstrap_servers

    def producer_idempotence(self) -> bool:
        if self.kafka_idempotence is not None:
            return self.kafka_idempotence
        return not self.uses_embedded_broker()

    def session_timeout_ms(self) -> int:
        if self.consumer_session_timeout_ms is not None:
            return self.consumer_session_timeout_ms
        return 3000 if self.uses_embedded_broker() else 10000

    def topic(self, service: str) -> str:
        return f"{self.topic_prefix}.{service}"

    def dead_letter_topic(self, service: str) -> str:
        return f"{self.topic_prefix}.{service}.dead-letter"

    def http_port_for(self, service: str) -> int:
        if self.http_port is not None:
            return self.http_port
        return self.http_port_base + SERVICE_NAMES.index(service)
