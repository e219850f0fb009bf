"""Gunicorn settings for Avala's app servers: gunicorn -c deploy/gunicorn.conf.py wsgi:app

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS. See
docs/deployment.md for the environment each process needs.
"""

import multiprocessing
import os

bind = os.environ.get("AVALA_BIND", "0.0.0.0:8000")
# Rendering a certificate is CPU-bound; most requests wait on the database. Two workers per core
# plus one, as gunicorn suggests, unless AVALA_WORKERS says otherwise.
workers = int(os.environ.get("AVALA_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("AVALA_THREADS", "1"))
timeout = 60  # a single certificate issues in about a second; batches run on the worker
graceful_timeout = 30
# The reverse proxy's address(es) whose X-Forwarded-* gunicorn itself may believe; Avala's own
# TRUSTED_PROXIES decides what the app believes.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the app logs each request as JSON with its request id (LOG_JSON)
errorlog = "-"


def on_starting(server):
    """Metrics of every worker go to files in PROMETHEUS_MULTIPROC_DIR: start it empty."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """A worker that exited no longer counts in the live gauges of /metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
