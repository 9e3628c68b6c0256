"""Configuration: embedded defaults (SQLite and a Whoosh index under instance/), environment overrides."""
import os
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the environment asks for something the portal must refuse to run with."""


def load_config(instance_path: str, test_config: dict | None = None) -> dict:
    """Return the settings for one app: defaults, then the environment, then test overrides."""
    instance = Path(instance_path)
    env = os.environ
    production = env.get("PORTAL_ENV", "development") == "production"
    secret = env.get("SECRET_KEY")
    if production and not secret and not (test_config or {}).get("SECRET_KEY"):
        raise ConfigError("生产环境必须设置 SECRET_KEY 环境变量（一段足够长的随机字符串）。")
    config = {
        "PORTAL_ENV": "production" if production else "development",
        "SECRET_KEY": secret or "dev-only-not-secret",
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL")
        or f"sqlite:///{instance / 'portal.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SEARCH_INDEX_DIR": env.get("SEARCH_INDEX_DIR") or str(instance / "search-index"),
        "UPLOAD_DIR": env.get("UPLOAD_DIR") or str(instance / "uploads"),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_MB", "50")) * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # Mail: with no SMTP_HOST the outbox writes messages to the log instead of sending them.
        "SMTP_HOST": env.get("SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("SMTP_PORT", "25")),
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env.get("SMTP_STARTTLS", "0") == "1",
        "MAIL_FROM": env.get("MAIL_FROM", "gkb@example.gov.cn"),
        "PAGE_SIZE": 20,
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
    }
    if test_config:
        config.update(test_config)
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        # psycopg 3 is the driver this project ships; the bare scheme would ask for psycopg2.
        config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    return config
