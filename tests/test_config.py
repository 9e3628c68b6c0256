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
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("PORTAL_URL", "https://gkb.example.gov.cn")
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["SECRET_KEY"] == "x" * 40


@pytest.mark.parametrize("storage", [None, "memory://"])
def test_production_refuses_to_count_limits_per_worker_in_memory(monkeypatch, tmp_path, storage):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PORTAL_URL", "https://gkb.example.gov.cn")
    monkeypatch.delenv("RATELIMIT_ALLOW_MEMORY", raising=False)
    if storage:
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", storage)
    else:
        monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(ConfigError) as refused:
        load_config(str(tmp_path))
    assert "RATELIMIT_STORAGE_URI=redis://" in str(refused.value) and "RATELIMIT_ALLOW_MEMORY=1" in str(refused.value)


def test_production_counts_in_memory_only_when_the_operator_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PORTAL_URL", "https://gkb.example.gov.cn")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv("RATELIMIT_ALLOW_MEMORY", "1")  # a single-worker install
    assert load_config(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.delenv("RATELIMIT_ALLOW_MEMORY")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    assert load_config(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_development_may_count_in_memory(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert load_config(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "memory://"


def test_without_secret_key_a_random_key_is_made_once_and_kept_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    first = load_config(str(tmp_path))["SECRET_KEY"]
    assert len(first) == 64 and first == load_config(str(tmp_path))["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert first != load_config(str(tmp_path / "other"))["SECRET_KEY"]


def test_behind_a_proxy_the_visitor_address_comes_from_x_forwarded_for(monkeypatch, tmp_path):
    monkeypatch.setenv("PROXY_COUNT", "1")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                      "BACKGROUND_THREADS": False})  # a request here must not leave worker threads behind
    seen = {}

    @app.get("/_addr")
    def addr():
        from flask import request
        seen["addr"] = request.remote_addr
        return ""

    app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen["addr"] == "203.0.113.7"
