"""gunicorn entry point for bench/verify.sh: the app as production runs it.

The configuration comes from the environment exactly as in wsgi.py (verify.sh sets
AVALA_ENV=production, SECRET_KEY and DATABASE_URL); the one difference is that rate limiting
is off (RATELIMIT_ENABLED=False), because every request of the load generator comes from
127.0.0.1 and the public lookup limit would otherwise answer 429 after 60 requests.

  gunicorn --pythonpath bench -w 2 wsgi_bench:app
"""

import benchlib  # noqa: F401 - puts the repository root on sys.path

from app import create_app
from config import config_from_env

app = create_app(config_from_env(), {"RATELIMIT_ENABLED": False})
