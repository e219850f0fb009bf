"""gunicorn entry point for bench/verify.sh: the app as production runs it.

The configuration comes from the environment exactly as in wsgi.py (verify.sh sets
AVALA_ENV=production, SECRET_KEY and DATABASE_URL). Every request of the load generator comes
from 127.0.0.1, so the public lookup limit (60 per minute) would answer 429 after 60 requests:

- by default rate limiting is off (RATELIMIT_ENABLED=False);
- with BENCH_RATELIMIT_STORAGE_URI set (e.g. redis://127.0.0.1:6379/14) it is on, kept in that
  storage as production keeps it, with an allowance no benchmark reaches, so every request pays
  what the limiter costs (for Redis, its round trips) and none is refused.

  gunicorn --pythonpath bench -w 2 wsgi_bench:app
"""

import os

import benchlib  # noqa: F401 - puts the repository root on sys.path

from app import create_app
from config import config_from_env

_storage = os.environ.get("BENCH_RATELIMIT_STORAGE_URI")
_limits = (
    {"RATELIMIT_STORAGE_URI": _storage, "PUBLIC_LOOKUP_RATE_LIMIT": "1000000000 per minute"}
    if _storage
    else {"RATELIMIT_ENABLED": False}
)
app = create_app(config_from_env(), _limits)
if _storage:
    from app.extensions import limiter

    assert limiter.enabled, "rate limiting should be on for this benchmark"
