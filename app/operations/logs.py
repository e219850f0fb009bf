"""A request id on every request and log line; JSON logs in production (LOG_JSON).

The id is the X-Request-ID the reverse proxy sent when TRUST_REQUEST_ID is set (and it looks
like an id), otherwise a new random one; it is echoed in the response's X-Request-ID, so a user's
report, the proxy's log and the app's log lines can be matched.
"""

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
access_log = logging.getLogger("avala.requests")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        return True


def _new_request_id(trusted: bool) -> str:
    offered = request.headers.get(HEADER, "")
    if trusted and _ACCEPTABLE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def configure_json_logging(level: int = logging.INFO) -> None:
    """One JSON object per line on stderr for the root logger (once per process)."""
    root = logging.getLogger()
    if any(getattr(handler, "avala_json", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.avala_json = True
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    root.handlers = [handler]
    root.setLevel(level)


def register(app: Flask) -> None:
    trusted = bool(app.config.get("TRUST_REQUEST_ID"))
    json_logs = bool(app.config.get("LOG_JSON"))
    if json_logs:
        configure_json_logging()

    @app.before_request
    def _assign_request_id():
        g.request_id = _new_request_id(trusted)
        g.request_clock = time.perf_counter()

    @app.after_request
    def _echo_request_id(response):
        rid = g.get("request_id")
        if rid:
            response.headers[HEADER] = rid
        if json_logs and rid:
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": request.url_rule.rule if request.url_rule else None,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - g.request_clock) * 1000, 1),
                    "remote_addr": request.remote_addr,
                },
            )
        return response
