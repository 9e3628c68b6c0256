"""Configuration: embedded defaults (SQLite and a Whoosh index under instance/), environment overrides."""
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit


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
        # hide_parameters: SQL errors and their tracebacks in the log never carry the values (names, addresses).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SEARCH_INDEX_DIR": env.get("SEARCH_INDEX_DIR") or str(instance / "search-index"),
        "UPLOAD_DIR": env.get("UPLOAD_DIR") or str(instance / "uploads"),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_MB", "50")) * 1024 * 1024,
        # Attachments (portal.catalog.attachments): DOCX/XLSX whose zip directory exceeds these are refused;
        # text is read by a child process with this much address space and time, or the file is kept
        # without its text; files no row names are swept after UPLOAD_ORPHAN_HOURS.
        "ARCHIVE_MAX_MEMBERS": int(env.get("ARCHIVE_MAX_MEMBERS", "10000")),
        "ARCHIVE_MAX_MEMBER_MB": int(env.get("ARCHIVE_MAX_MEMBER_MB", "100")),
        "ARCHIVE_MAX_UNZIPPED_MB": int(env.get("ARCHIVE_MAX_UNZIPPED_MB", "200")),
        "ARCHIVE_MAX_RATIO": int(env.get("ARCHIVE_MAX_RATIO", "100")),
        "ATTACHMENT_TEXT_MEMORY_MB": int(env.get("ATTACHMENT_TEXT_MEMORY_MB", "512")),
        "ATTACHMENT_TEXT_SECONDS": float(env.get("ATTACHMENT_TEXT_SECONDS", "10")),
        "UPLOAD_ORPHAN_HOURS": float(env.get("UPLOAD_ORPHAN_HOURS", "24")),
        # Files released with a reply (portal.info_requests.releases): at most this many per reply, each at most
        # this large (below MAX_UPLOAD_MB, so a file too large is refused beside the form, not by a 413 page);
        # the link mailed to an applicant who asked for e-mail works for RELEASE_LINK_DAYS.
        "RELEASE_MAX_FILES": int(env.get("RELEASE_MAX_FILES", "10")),
        "RELEASE_MAX_FILE_MB": int(env.get("RELEASE_MAX_FILE_MB", "20")),
        "RELEASE_LINK_DAYS": int(env.get("RELEASE_LINK_DAYS", "90")),
        # Proof of identity on an online application (portal.info_requests.proofs): per kind at most this many
        # files, each at most this large (2 × 3 × 5 MB: the whole form stays below MAX_UPLOAD_MB, so a refusal comes beside the field).
        "PROOF_MAX_FILES": int(env.get("PROOF_MAX_FILES", "3")),
        "PROOF_MAX_FILE_MB": int(env.get("PROOF_MAX_FILE_MB", "5")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # Staff sessions end after this long without a request, and this long after signing in however active.
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_MAX_HOURS": int(env.get("SESSION_MAX_HOURS", "12")),
        # Mail: sent by a background thread per process (and `flask send-mail`). With no SMTP_HOST, outside
        # production, each message is written whole to MAIL_DIR/<id>.eml (0600) instead of being sent.
        "SMTP_HOST": env.get("SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("SMTP_PORT", "25")),
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env.get("SMTP_STARTTLS", "0") == "1",
        "SMTP_TIMEOUT": float(env.get("SMTP_TIMEOUT", "10")),  # seconds, for the connect and each command
        "MAIL_DIR": env.get("MAIL_DIR") or str(instance / "mail"),
        "MAIL_FROM": env.get("MAIL_FROM", "gkb@example.gov.cn"),
        "PAGE_SIZE": 20,
        # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0 = none). Needed so
        # the per-address limits see each visitor's address, not the proxy's.
        "PROXY_COUNT": int(env.get("PROXY_COUNT", "0")),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # The site's public address: absolute links (sitemap, feed, open data, mail) are built on it, never
        # on the Host a visitor sends. Production needs it, and there serves only its host plus any listed
        # in PORTAL_TRUSTED_HOSTS (comma-separated, e.g. an address the load balancer checks).
        "PORTAL_URL": env.get("PORTAL_URL", "" if production else "http://localhost:5000"),
        # A district's portal of several offices: the name its shared pages (the office list, every office's
        # catalog and search) carry instead of one office's; each office's own pages carry that office's name.
        "PORTAL_NAME": env.get("PORTAL_NAME", "政府信息公开平台"),
        "PORTAL_TRUSTED_HOSTS": [h.strip() for h in env.get("PORTAL_TRUSTED_HOSTS", "").split(",") if h.strip()],
    }
    if test_config:
        config.update(test_config)
    if (production and config["RATELIMIT_STORAGE_URI"].startswith("memory://")
            and not (env.get("RATELIMIT_ALLOW_MEMORY") == "1" or config.get("RATELIMIT_ALLOW_MEMORY"))):
        raise ConfigError(
            "生产环境中限流计数不能只保存在各工作进程的内存里（RATELIMIT_STORAGE_URI 未设置或为 memory://），"
            "否则每个进程各算各的，限额形同虚设。请设置 RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 "
            "（需运行 Redis）；如确实只运行一个工作进程，可设置 RATELIMIT_ALLOW_MEMORY=1。")
    config.update(canonical_address(config["PORTAL_URL"], config["PORTAL_TRUSTED_HOSTS"], production))
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        # psycopg 3 is the driver this project ships; the bare scheme would ask for psycopg2.
        config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    return config


def canonical_address(portal_url: str, extra_hosts: list[str], production: bool) -> dict:
    """Flask's SERVER_NAME, scheme and root from PORTAL_URL; in production, the hosts it may be asked for."""
    url = urlsplit(portal_url.strip())
    if url.scheme not in ("http", "https") or not url.hostname or "@" in url.netloc or url.query or url.fragment:
        raise ConfigError("请把 PORTAL_URL 设置为本站对外的网址，如 https://gkb.example.gov.cn"
                          "（站内链接、站点地图、订阅和开放数据中的网址都以它为准）。")
    return {
        "SERVER_NAME": url.netloc.lower(),
        "PREFERRED_URL_SCHEME": url.scheme,
        "APPLICATION_ROOT": url.path.rstrip("/") or "/",
        "TRUSTED_HOSTS": [url.hostname, *extra_hosts] if production else None,
    }


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
