"""Probes for load balancers and orchestrators, and metrics for Prometheus.

/healthz and /readyz are public and stateless: no session, no cookie. /metrics answers only
the addresses in METRICS_ALLOWED_NETWORKS or a request with METRICS_TOKEN; anyone else gets 404.
"""

import hmac
import ipaddress

from flask import Response, abort, current_app, jsonify, request

from app.auth import public
from app.operations import metrics, services
from app.operations.blueprint import blueprint


def _uncached(response: Response) -> Response:
    # A probe's answer is about this moment only. ("no-store" is kept for pages with personal
    # data, which the access matrix tells apart from public pages by it.)
    response.headers["Cache-Control"] = "no-cache, max-age=0"
    return response


@blueprint.get("/healthz")
@public
def healthz():
    """The process is alive and answering; nothing else is asked (no database)."""
    return _uncached(jsonify({"status": "ok"}))


@blueprint.get("/readyz")
@public
def readyz():
    """Ready to serve: database, Redis (when configured), storage and signing key, each named."""
    checks = services.readiness()
    ready = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return _uncached(jsonify(body)), 200 if ready else 503


def _networks() -> list:
    text = current_app.config.get("METRICS_ALLOWED_NETWORKS") or ""
    return [
        ipaddress.ip_network(item.strip(), strict=False) for item in text.split(",") if item.strip()
    ]


def may_read_metrics() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in _networks())


@blueprint.get("/metrics", endpoint="metrics")
@public
def metrics_view():
    if not may_read_metrics():
        abort(404)
    body, content_type = metrics.render()
    return _uncached(Response(body, content_type=content_type))
