"""Prometheus metrics: requests and their latency per route, certificates issued, batch items
failed, the task queue's depth.

Under gunicorn every worker is its own process: with PROMETHEUS_MULTIPROC_DIR set (an empty
folder per host, emptied at start), prometheus_client keeps each process's values in files there
and /metrics adds them up, so a scrape sees the whole server, not the one worker that answered
(deploy/gunicorn.conf.py marks exited workers dead). Without it, the values are this process's.

Certificates and failed batch items are counted when their transaction commits (SQLAlchemy
session events), so a rolled-back issuance is never counted, whichever code path issued it.
"""

import os
import time

from flask import Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.certificates.models import BatchItem, BatchItemStatus, Certificate

REQUESTS = Counter(
    "avala_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "avala_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
CERTIFICATES_ISSUED = Counter("avala_certificates_issued_total", "Certificates issued (committed)")
BATCH_ITEMS_FAILED = Counter(
    "avala_batch_items_failed_total", "Batch items whose issuance failed (committed)"
)

_PENDING = "avala_metrics_pending"


class QueueDepth:
    """The number of tasks waiting in the Huey queue, read at each scrape."""

    def collect(self):
        from app.tasks import huey

        gauge = GaugeMetricFamily("avala_queue_depth", "Tasks waiting in the task queue")
        try:
            gauge.add_metric([], huey.pending_count())
        except Exception:  # the queue's storage is down: say nothing rather than fail the scrape
            return
        yield gauge


def render() -> tuple[bytes, str]:
    """The text exposition of every metric (of every worker process in multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    queue_registry = CollectorRegistry()
    queue_registry.register(QueueDepth())
    return generate_latest(registry) + generate_latest(queue_registry), CONTENT_TYPE_LATEST


def register(app: Flask) -> None:
    @app.before_request
    def _start_clock():
        g.request_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.pop("request_started", None)
        if started is None or request.endpoint == "operations.metrics":
            return response
        # The route's rule, never the raw path: one series per route, not per certificate.
        route = request.url_rule.rule if request.url_rule else "unmatched"
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        return response


def _failed_now(item: BatchItem) -> bool:
    history = inspect(item).attrs.status.history
    return item.status == BatchItemStatus.FAILED and bool(history.added)


@event.listens_for(Session, "before_flush")
def _note_outcomes(session: Session, _context, _instances) -> None:
    pending = session.info.setdefault(_PENDING, {"certificates": [], "failed": 0})
    pending["certificates"] += [obj for obj in session.new if isinstance(obj, Certificate)]
    pending["failed"] += sum(
        isinstance(obj, BatchItem) and _failed_now(obj) for obj in (*session.new, *session.dirty)
    )


@event.listens_for(Session, "after_commit")
def _count_committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        # A certificate flushed in a savepoint that was rolled back is transient again.
        issued = sum(not inspect(obj).transient for obj in pending["certificates"])
        CERTIFICATES_ISSUED.inc(issued)
        BATCH_ITEMS_FAILED.inc(pending["failed"])


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without a commit
        session.info.pop(_PENDING, None)
