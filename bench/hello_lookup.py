"""The floor for bench/verify.sh: hello world plus the one indexed PostgreSQL lookup.

The same Flask route as bench/hello.py, except that it first fetches the certificate's folio
by public id with plain psycopg on one autocommit connection per worker (no ORM, no pool, no
transaction, a prepared statement), and answers the folio or 404. No real page can do less per
request and still read the database, so its throughput bounds what the verification page can
reach on the same machine.

  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/avala_verify \
    gunicorn --pythonpath bench -w 2 hello_lookup:app
"""

import os

import psycopg
from flask import Flask

app = Flask(__name__)
_DSN = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
_connection = None


def _lookup(public_id: str):
    global _connection
    if _connection is None:  # after gunicorn forks: one connection per worker
        _connection = psycopg.connect(_DSN, autocommit=True, prepare_threshold=0)
    return _connection.execute(
        "SELECT folio FROM certificates WHERE public_id = %s", (public_id,)).fetchone()


@app.get("/v/<public_id>")
def hello(public_id: str):
    row = _lookup(public_id)
    return (row[0], 200) if row else ("not found", 404)
