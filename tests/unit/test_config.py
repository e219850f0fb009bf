import stat

import pytest

from app import create_app
from config import ConfigurationError, DevelopmentConfig, ProductionConfig, TestingConfig

STRONG_KEY = "5f0c1e9a7b3d2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6"


class UnconfiguredProduction(ProductionConfig):
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None


def test_production_refuses_to_start_without_secret_key_and_database_url():
    with pytest.raises(ConfigurationError) as caught:
        create_app(UnconfiguredProduction)
    assert "SECRET_KEY" in str(caught.value) and "DATABASE_URL" in str(caught.value)


class ConfiguredProduction(ProductionConfig):
    SECRET_KEY = STRONG_KEY
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def test_production_starts_when_configured(tmp_path):
    app = create_app(ConfiguredProduction, {"INSTANCE_DIR": tmp_path})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.secret_key == STRONG_KEY
    assert not (tmp_path / "secret_key").exists()  # production never makes a key by itself


class ProductionWithShortKey(ConfiguredProduction):
    SECRET_KEY = "abc"


def test_production_refuses_a_short_secret_key_and_says_how_to_make_one():
    with pytest.raises(ConfigurationError) as caught:
        create_app(ProductionWithShortKey)
    message = str(caught.value)
    assert "SECRET_KEY" in message and "32" in message
    assert 'python -c "import secrets; print(secrets.token_hex(32))"' in message
    assert "abc" not in message  # a secret, even a bad one, is never echoed into logs


def test_production_refuses_the_published_development_key():
    class PublishedKey(ConfiguredProduction):
        SECRET_KEY = "dev-only-not-secret"

    with pytest.raises(ConfigurationError):
        create_app(PublishedKey)


@pytest.mark.parametrize("config", [DevelopmentConfig, TestingConfig], ids=lambda c: c.__name__)
def test_without_secret_key_a_random_one_is_kept_in_the_instance_folder(config, tmp_path):
    first = create_app(config, {"INSTANCE_DIR": tmp_path, "SECRET_KEY": None})
    second = create_app(config, {"INSTANCE_DIR": tmp_path, "SECRET_KEY": None})
    kept = tmp_path / "secret_key"
    assert first.secret_key == second.secret_key == kept.read_text().strip()
    assert len(first.secret_key) == 64 and first.secret_key != "dev-only-not-secret"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_each_instance_folder_gets_its_own_key(tmp_path):
    one = create_app(DevelopmentConfig, {"INSTANCE_DIR": tmp_path / "one", "SECRET_KEY": None})
    two = create_app(DevelopmentConfig, {"INSTANCE_DIR": tmp_path / "two", "SECRET_KEY": None})
    assert one.secret_key != two.secret_key
