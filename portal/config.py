"""Configuration: embedded defaults (SQLite and a Whoosh index under instance/), environment overrides."""
import os
import secrets
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
        "SECRET_KEY": secret or (test_config or {}).get("SECRET_KEY") or instance_secret(instance),
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
        # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0 = none). Needed so
        # the per-address limits see each visitor's address, not the proxy's.
        "PROXY_COUNT": int(env.get("PROXY_COUNT", "0")),
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


def instance_secret(instance: Path) -> str:
    """A random key made once and kept in instance/secret_key, for an install without SECRET_KEY.

    Never a built-in default: the session cookie says which applications a browser may see,
    and a key known to the public would let anyone forge it.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        tmp = instance / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)  # atomic: of several workers starting together, one key wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
