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
    SIGNING_KEY_PATH = Path(os.environ.get("SIGNING_KEY_PATH", INSTANCE_DIR / "signing_key.pem"))
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
    # X-RateLimit-* on every response would cost each public lookup two more storage round
    # trips (with Redis, ~12% of the verification page's throughput); a refused request still
    # says when to retry (Retry-After, app/errors.py).
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = "10 per minute"
    PUBLIC_LOOKUP_RATE_LIMIT = "60 per minute"
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
