"""Configuration classes. Every setting can come from the environment (see README)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("AVALA_INSTANCE_DIR", BASE_DIR / "instance"))


class ConfigurationError(RuntimeError):
    """The app was asked to start with settings it cannot run safely with."""


# Whoever knows the key can sign a session cookie for any user, so it must be long and random.
MIN_SECRET_KEY_BYTES = 32
MAKE_A_SECRET_KEY = 'python -c "import secrets; print(secrets.token_hex(32))"'


class Config:
    # Unset in development and tests: create_app then uses a random key kept in
    # INSTANCE_DIR/secret_key. Production requires one (ProductionConfig.validate).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'avala.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    INSTANCE_DIR = INSTANCE_DIR
    # Where every file the app keeps goes (issued PDFs under certificates/): a path or
    # file:///path (default: the instance folder), or s3://bucket/prefix for an S3-compatible
    # store shared by every machine. See app/storage.py and README, "Configuration".
    STORAGE_URL = os.environ.get("STORAGE_URL")
    # Before STORAGE_URL: the folder of the PDFs themselves; still honoured when STORAGE_URL is
    # unset and the folder is named "certificates" (its parent becomes the store).
    CERTIFICATE_STORAGE = os.environ.get("CERTIFICATE_STORAGE")
    # S3 only: the endpoint of an S3-compatible service other than AWS (MinIO, Ceph, ...);
    # credentials come from the standard AWS variables or files (AWS_ACCESS_KEY_ID, ...).
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")
    S3_REGION = os.environ.get("S3_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    S3_ADDRESSING_STYLE = os.environ.get("S3_ADDRESSING_STYLE", "auto")  # or "path", "virtual"
    # A stored file no committed row names is removed by `flask storage sweep` once it is older
    # than this: an issuance between its write and its commit is never that slow.
    STORAGE_SWEEP_GRACE_SECONDS = int(os.environ.get("STORAGE_SWEEP_GRACE_SECONDS", "3600"))
    CERTIFICATE_DESIGN = os.environ.get("CERTIFICATE_DESIGN", "clasico-v2")
    CERTIFICATE_DESIGNS_DIR = Path(
        os.environ.get("CERTIFICATE_DESIGNS_DIR", BASE_DIR / "certificates")
    )
    # The private half of the body's active signing key, from one configured place: the PEM in
    # SIGNING_KEY_PEM when set, else the file at SIGNING_KEY_PATH (a mounted secret). Every
    # machine is given the same key; the public halves live in the database (signing_keys).
    SIGNING_KEY_PATH = Path(os.environ.get("SIGNING_KEY_PATH", INSTANCE_DIR / "signing_key.pem"))
    SIGNING_KEY_PEM = os.environ.get("SIGNING_KEY_PEM") or None
    # The body that owns the key and issues certificates; its code prefixes every folio.
    CERTIFYING_BODY_NAME = os.environ.get(
        "CERTIFYING_BODY_NAME", "Colegio Nacional de Educación Profesional Técnica"
    )
    CERTIFYING_BODY_CODE = os.environ.get("CERTIFYING_BODY_CODE", "CONALEP")
    # The body's logo on the public verification page: a PNG, JPEG or SVG file under
    # app/static/ (e.g. "img/body-logo.png"), put there by the operator; unset shows the name only.
    CERTIFYING_BODY_LOGO = os.environ.get("CERTIFYING_BODY_LOGO") or None
    # Printed in the QR code: the public address of this deployment.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Review by sampling (app/assessments/sampling.py): every "Todavía no competente" and an
    # evaluator's first REVIEW_ALWAYS_FIRST_N judgements are reviewed; of their later Competente
    # judgements, REVIEW_SAMPLE_PERCENT % at random; the rest are certifiable at sign-off.
    REVIEW_ALWAYS_FIRST_N = int(os.environ.get("REVIEW_ALWAYS_FIRST_N", "10"))
    REVIEW_SAMPLE_PERCENT = int(os.environ.get("REVIEW_SAMPLE_PERCENT", "20"))
    BABEL_DEFAULT_LOCALE = "es_MX"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("AVALA_TIMEZONE", "America/Mexico_City")
    LANGUAGES = {"es_MX": "Español", "en": "English"}
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # How many reverse proxies (load balancer, nginx) stand in front of the app and append to
    # X-Forwarded-For / X-Forwarded-Proto. 0 (the default): those headers are ignored, and the
    # client is the address that connected. Set it to exactly the number of proxies, or clients
    # can choose their own address (and a new rate-limit allowance) with a forged header.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Who may read /metrics: addresses or networks (comma-separated, e.g. "10.0.0.0/8,127.0.0.1"),
    # and/or a bearer token (Authorization: Bearer <token>). Neither set: /metrics answers 404.
    METRICS_ALLOWED_NETWORKS = os.environ.get("METRICS_ALLOWED_NETWORKS", "")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    # Logs as one JSON object per line (with the request id); on in production.
    LOG_JSON = os.environ.get("LOG_JSON", "").lower() in {"1", "true", "yes"}
    # Trust the X-Request-ID a client or proxy sends (only behind a proxy that sets it);
    # otherwise every request gets a new id. Either way the id is echoed in the response.
    TRUST_REQUEST_ID = os.environ.get("TRUST_REQUEST_ID", "").lower() in {"1", "true", "yes"}
    # X-RateLimit-* on every response would cost each public lookup two more storage round
    # trips (with Redis, ~12% of the verification page's throughput); a refused request still
    # says when to retry (Retry-After, app/errors.py).
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    PUBLIC_LOOKUP_RATE_LIMIT = os.environ.get("PUBLIC_LOOKUP_RATE_LIMIT", "60 per minute")
    # The bulk verification (/verify/lote): each row of a file counts as one lookup against this
    # allowance per client; a file may hold at most BULK_VERIFY_MAX_ROWS rows and bytes.
    BULK_VERIFY_RATE_LIMIT = os.environ.get("BULK_VERIFY_RATE_LIMIT", "2000 per day")
    BULK_VERIFY_MAX_ROWS = int(os.environ.get("BULK_VERIFY_MAX_ROWS", "500"))
    BULK_VERIFY_MAX_BYTES = int(os.environ.get("BULK_VERIFY_MAX_BYTES", str(1024 * 1024)))
    # Rendered QR-code pages kept per worker (app/verification/page_cache.py): a status change
    # shows at once; a change of the body's published keys, within this many seconds.
    VERIFICATION_PAGE_CACHE_SECONDS = int(os.environ.get("VERIFICATION_PAGE_CACHE_SECONDS", "60"))
    VERIFICATION_PAGE_CACHE_SIZE = int(os.environ.get("VERIFICATION_PAGE_CACHE_SIZE", "2048"))
    # On PostgreSQL the page's one read per request has its own autocommit connections, this
    # many per worker (0: a new connection each time, as tests do: they dispose only the
    # session's engine, so a pool would leak).
    VERIFICATION_READ_POOL_SIZE = int(os.environ.get("VERIFICATION_READ_POOL_SIZE", "2"))
    # Each API token's allowance, over every route it may call (app/api/routes.py).
    API_TOKEN_RATE_LIMIT = os.environ.get("API_TOKEN_RATE_LIMIT", "120 per minute")
    # The JSON API's OpenAPI document (flask-smorest): /api/v1/openapi.json, page /api/v1/docs.
    API_TITLE = "Avala API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    # A batch item claimed by a run longer ago than this is taken to be abandoned (its worker
    # died) and may be claimed by the next run; one issuance takes about a second.
    BATCH_ITEM_LEASE_SECONDS = int(os.environ.get("BATCH_ITEM_LEASE_SECONDS", "600"))
    # A folio number taken this long ago whose certificate has not committed belongs to an
    # issuance whose process stopped: the convergence job voids it (certificates/numbering.py).
    FOLIO_RESERVATION_GRACE_SECONDS = int(os.environ.get("FOLIO_RESERVATION_GRACE_SECONDS", "600"))
    # Huey: SQLite storage under instance/ unless HUEY_REDIS_URL is set.
    HUEY_REDIS_URL = os.environ.get("HUEY_REDIS_URL")
    # A session unused for this long ends; staff hold more personal data than candidates.
    STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
    CANDIDATE_SESSION_IDLE_MINUTES = int(os.environ.get("CANDIDATE_SESSION_IDLE_MINUTES", "240"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Sent on every response when set (production): browsers then refuse plain HTTP here.
    STRICT_TRANSPORT_SECURITY = None
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # E-mail (Flask-Mailman), sent by the worker: SMTP unless MAIL_BACKEND says otherwise.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "") == "1"
    MAIL_TIMEOUT = 30
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Avala <no-reply@localhost>")
    MAIL_FILE_PATH = str(INSTANCE_DIR / "outbox")
    # The development page listing the outbox (/dev/outbox/); never on in production.
    MAIL_OUTBOX_PAGE = False
    # Invitation and password-reset links: single use, and expire after this long.
    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
    PASSWORD_RESET_HOURS = int(os.environ.get("PASSWORD_RESET_HOURS", "2"))
    # After this many failed logins with one e-mail address, it cannot log in for a while.
    LOGIN_LOCK_AFTER_FAILURES = int(os.environ.get("LOGIN_LOCK_AFTER_FAILURES", "10"))
    LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
    WTF_CSRF_TIME_LIMIT = None
    # Appeals (inconformidades): working days (Monday to Friday) after the sign-off in which the
    # candidate may appeal a judgement, and the size of each file attached to an appeal.
    APPEAL_WINDOW_WORKING_DAYS = int(os.environ.get("APPEAL_WINDOW_WORKING_DAYS", "10"))
    APPEAL_FILE_MAX_BYTES = int(os.environ.get("APPEAL_FILE_MAX_BYTES", str(5 * 1024 * 1024)))
    # Evidence files (app/evidence): the largest accepted (a short video), and how long after
    # the judgement a portfolio's files are kept before `flask evidence purge` removes them.
    EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(50 * 1024 * 1024)))
    EVIDENCE_RETENTION_DAYS = int(os.environ.get("EVIDENCE_RETENTION_DAYS", "1826"))

    @classmethod
    def validate(cls) -> None:
        """Refuse settings that would be unsafe; only production has any."""


class DevelopmentConfig(Config):
    DEBUG = True
    # Mail is written to instance/outbox/ and listed on /dev/outbox/, not sent.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")
    MAIL_OUTBOX_PAGE = True


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SERVER_NAME = None
    PUBLIC_BASE_URL = "http://localhost"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Hashing stays real but cheap, so hundreds of test logins do not take minutes.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # Kept in memory unless a test points it at its SMTP server on loopback (tests/conftest.py).
    MAIL_BACKEND = "locmem"
    # Every judgement is reviewed in tests unless a test lowers this: the suite's journeys
    # (sign off, then approve) stay as they were; sampling's own tests set 0 or 100.
    REVIEW_SAMPLE_PERCENT = 100
    VERIFICATION_READ_POOL_SIZE = 0


class ProductionConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SESSION_COOKIE_SECURE = True
    MAIL_OUTBOX_PAGE = False
    LOG_JSON = os.environ.get("LOG_JSON", "true").lower() in {"1", "true", "yes"}
    # Two years, subdomains included; an empty value turns it off (e.g. while a subdomain of
    # the same domain still serves plain HTTP).
    STRICT_TRANSPORT_SECURITY = os.environ.get(
        "STRICT_TRANSPORT_SECURITY", "max-age=63072000; includeSubDomains"
    )

    @classmethod
    def validate(cls) -> None:
        missing = [
            name for name in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI") if not getattr(cls, name)
        ]
        if missing:
            names = ", ".join("DATABASE_URL" if n.startswith("SQLALCHEMY") else n for n in missing)
            raise ConfigurationError(f"Production needs these environment variables: {names}")
        if len(cls.SECRET_KEY.encode()) < MIN_SECRET_KEY_BYTES:
            raise ConfigurationError(
                f"SECRET_KEY is too short: it needs at least {MIN_SECRET_KEY_BYTES} bytes of "
                f"random data. Make one with: {MAKE_A_SECRET_KEY}"
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("AVALA_ENV", "development")]
