"""Helpers for tests of the staff area: accounts with roles, signing in and out.

    from tests.factories.staff import login

    def test_something(client, staff):
        staff("handler1", HANDLER)
        login(client, "handler1")
"""
from functools import lru_cache
from typing import NamedTuple

from portal.accounts.auth import hash_password
from portal.extensions import db
from portal.models.staff import User

PASSWORD = "test-password-123"


class Account(NamedTuple):
    """What a test needs to know about an account it made."""

    id: int
    username: str
    password: str


@lru_cache(maxsize=8)
def _hash(password: str) -> str:
    """Hash each test password once per session (scrypt is slow on purpose)."""
    return hash_password(password)


def make_user(username: str, *roles: str, password: str = PASSWORD, **fields) -> Account:
    """Create an account directly (inside an app context), bypassing the audited service."""
    user = User(username=username, display_name=fields.pop("display_name", username),
                password_hash=_hash(password), **fields)
    user.role_set = set(roles)
    db.session.add(user)
    db.session.commit()
    return Account(user.id, username, password)


def login(client, username: str, password: str = PASSWORD, next_url: str | None = None):
    """Sign in through the real sign-in form (CSRF is off in tests); returns the response."""
    url = "/admin/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


def logout(client):
    """Sign out with the POST the staff bar sends."""
    return client.post("/admin/logout")
