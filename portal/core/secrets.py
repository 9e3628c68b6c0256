"""Checks of secrets (passwords, query codes) that do not tell by their timing what exists."""
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash


def spend_check_time(value: str | None) -> bool:
    """Check `value` against a dummy hash, taking as long as a real check; always False.

    Used when the account or the application number asked about is unknown, so a wrong name and a
    wrong secret take the same time.
    """
    check_password_hash(_dummy_hash(), value or "")
    return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """The hash to check against (made on first use, not at import)."""
    return generate_password_hash("not-a-secret")
