import pytest

from app import create_app
from config import ConfigurationError, ProductionConfig


class UnconfiguredProduction(ProductionConfig):
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None


def test_production_refuses_to_start_without_secret_key_and_database_url():
    with pytest.raises(ConfigurationError) as caught:
        create_app(UnconfiguredProduction)
    assert "SECRET_KEY" in str(caught.value) and "DATABASE_URL" in str(caught.value)


class ConfiguredProduction(ProductionConfig):
    SECRET_KEY = "a-long-random-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def test_production_starts_when_configured(tmp_path):
    app = create_app(ConfiguredProduction, {"INSTANCE_DIR": tmp_path})
    assert app.config["SESSION_COOKIE_SECURE"] is True
