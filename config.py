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
    CERTIFICATE_STORAGE = Path(os.environ.get("CERTIFICATE_STORAGE", INSTANCE_DIR / "certificates"))
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
    # Printed in the QR code: the public address of this deployment.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
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
    LOGIN_RATE_LIMIT = "10 per minute"
    PUBLIC_LOOKUP_RATE_LIMIT = "60 per minute"
    # A batch item claimed by a run longer ago than this is taken to be abandoned (its worker
    # died) and may be claimed by the next run; one issuance takes about a second.
    BATCH_ITEM_LEASE_SECONDS = int(os.environ.get("BATCH_ITEM_LEASE_SECONDS", "600"))
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
    WTF_CSRF_TIME_LIMIT = None

    @classmethod
    def validate(cls) -> None:
        """Refuse settings that would be unsafe; only production has any."""


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SERVER_NAME = None
    PUBLIC_BASE_URL = "http://localhost"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Hashing stays real but cheap, so hundreds of test logins do not take minutes.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SESSION_COOKIE_SECURE = True
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
