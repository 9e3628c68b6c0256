"""Configuration: embedded defaults, environment overrides, and what production refuses."""
import pytest

from portal import create_app
from portal.config import ConfigError, load_config


def test_defaults_put_the_database_and_index_under_instance(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "SEARCH_INDEX_DIR", "UPLOAD_DIR", "PORTAL_ENV", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    assert config["SEARCH_INDEX_DIR"] == str(tmp_path / "search-index")
    assert config["UPLOAD_DIR"] == str(tmp_path / "uploads")
    assert config["SESSION_COOKIE_SECURE"] is False


def test_environment_overrides_and_a_plain_postgresql_url_uses_psycopg3(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db.internal/portal")
    monkeypatch.setenv("SEARCH_INDEX_DIR", "/srv/portal/index")
    config = load_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://portal@db.internal/portal"
    assert config["SEARCH_INDEX_DIR"] == "/srv/portal/index"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_with_a_secret_key_marks_cookies_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["SECRET_KEY"] == "x" * 40
