"""The floor for bench/verify.sh: hello world plus the one indexed PostgreSQL lookup.

The same Flask route as bench/hello.py, except that it first fetches the certificate's folio
by public id with plain psycopg on one autocommit connection per worker (no ORM, no pool, no
transaction, a prepared statement), and answers the folio or 404. No real page can do less per
request and still read the database, so its throughput bounds what the verification page can
reach on the same machine.

With BENCH_RATELIMIT_STORAGE_URI set to a redis:// URL (bench/verify.sh sets it from
RATELIMIT_STORAGE), each request also counts itself in Redis first: one INCR of a per-client,
per-minute key, the least a rate limit shared by the workers can do, so the floor stays
comparable with the app under test when its rate limiting is on.

  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/avala_verify \
    gunicorn --pythonpath bench -w 2 hello_lookup:app
"""

import os
import time

import psycopg
import redis
from flask import Flask, request

app = Flask(__name__)
_DSN = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
_REDIS_URL = os.environ.get("BENCH_RATELIMIT_STORAGE_URI", "")
_connection = None
_redis = redis.Redis.from_url(_REDIS_URL) if _REDIS_URL.startswith("redis://") else None


def _count_request() -> None:
    if _redis is not None:
        _redis.incr(f"floor/{request.remote_addr}/{int(time.time()) // 60}")


def _lookup(public_id: str):
    global _connection
    if _connection is None:  # after gunicorn forks: one connection per worker
        _connection = psycopg.connect(_DSN, autocommit=True, prepare_threshold=0)
    return _connection.execute(
        "SELECT folio FROM certificates WHERE public_id = %s", (public_id,)
    ).fetchone()


@app.get("/v/<public_id>")
def hello(public_id: str):
    _count_request()
    row = _lookup(public_id)
    return (row[0], 200) if row else ("not found", 404)
