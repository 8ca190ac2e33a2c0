"""Prometheus metrics through OpenTelemetry: one meter provider per process, `/metrics` to scrape.

The runtime counts what every service has in common (events handled, duplicates,
failures, dead letters, events published, consumer lag, relay backlog, how old an
event is when it is handled). Services add their own instruments with `meter()`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from opentelemetry import metrics
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

_lock = threading.Lock()
_configured = False


def configure_metrics(service: str) -> None:
    """Install the Prometheus-backed meter provider once per process."""
    global _configured
    with _lock:
        if _configured:
            return
        provider = MeterProvider(
            resource=Resource.create({"service.name": f"hotline-{service}"}),
            metric_readers=[PrometheusMetricReader()],
        )
        metrics.set_meter_provider(provider)
        _configured = True


def meter(name: str = "hotline") -> metrics.Meter:
    return metrics.get_meter(name)


def scrape() -> tuple[bytes, str]:
    """The Prometheus text exposition of everything recorded in this process."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


Gauges = dict[tuple[tuple[str, str], ...], float]


@dataclass
class GaugeBoard:
    """Values an observable gauge reports at scrape time, set by whoever knows them."""

    values: Gauges = field(default_factory=dict)

    def set(self, value: float, **labels: str) -> None:
        self.values[tuple(sorted(labels.items()))] = value

    def observe(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(value, dict(labels)) for labels, value in list(self.values.items())]


@dataclass(frozen=True)
class RuntimeInstruments:
    processed: metrics.Counter
    duplicates: metrics.Counter
    failures: metrics.Counter
    dead_letters: metrics.Counter
    published: metrics.Counter
    event_age: metrics.Histogram
    consumer_lag: GaugeBoard
    relay_backlog: GaugeBoard


_instruments: RuntimeInstruments | None = None


def runtime_instruments() -> RuntimeInstruments:
    """The shared instruments (created on first use, after `configure_metrics`)."""
    global _instruments
    with _lock:
        if _instruments is None:
            _instruments = _create_instruments()
        return _instruments


def _create_instruments() -> RuntimeInstruments:
    m = meter("hotline.runtime")
    lag, backlog = GaugeBoard(), GaugeBoard()
    observe: Callable[[GaugeBoard], list[Callable[[CallbackOptions], Iterable[Observation]]]]
    observe = lambda board: [board.observe]  # noqa: E731
    m.create_observable_gauge(
        "hotline_consumer_lag", callbacks=observe(lag), description="Messages not yet handled"
    )
    m.create_observable_gauge(
        "hotline_relay_backlog",
        callbacks=observe(backlog),
        description="Stored events not yet published",
    )
    return RuntimeInstruments(
        processed=m.create_counter(
            "hotline_events_processed", description="Upstream events handled and recorded"
        ),
        duplicates=m.create_counter(
            "hotline_events_duplicate", description="Redelivered events recognised and skipped"
        ),
        failures=m.create_counter(
            "hotline_events_failed", description="Handler attempts that raised"
        ),
        dead_letters=m.create_counter(
            "hotline_dead_letters", description="Messages sent to the dead-letter topic"
        ),
        published=m.create_counter(
            "hotline_events_published", description="Events the relay published"
        ),
        event_age=m.create_histogram(
            "hotline_event_age_seconds",
            unit="s",
            description="Time from an event's occurrence to its handling downstream "
            "(for routing handling ComplaintReceived: the dispatch delay)",
        ),
        consumer_lag=lag,
        relay_backlog=backlog,
    )
