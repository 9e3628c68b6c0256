"""Helpers for tests of the staff area: accounts with roles, signing in and out.

    from tests.factories.staff import login

    def test_something(client, staff):
        staff("handler1", HANDLER)
        login(client, "handler1")
"""
from typing import NamedTuple

from portal.accounts.services import create_user
from portal.models.staff import AuditEntry

PASSWORD = "test-password-123"
TEST_ACTOR = "测试"  # the audit log's actor for accounts a test makes


class Account(NamedTuple):
    """What a test needs to know about an account it made."""

    id: int
    username: str
    password: str


def make_user(username: str, *roles: str, password: str = PASSWORD, **fields) -> Account:
    """Create an account through the accounts service (inside an app context), as an administrator would."""
    user = create_user(username, fields.pop("display_name", username), roles, password, actor=TEST_ACTOR)
    return Account(user.id, username, password)


def not_test_setup():
    """SQL: audit entries other than those of the accounts a test made for itself."""
    return AuditEntry.actor_name != TEST_ACTOR


def login(client, username: str, password: str = PASSWORD, next_url: str | None = None):
    """Sign in through the real sign-in form (CSRF is off in tests); returns the response."""
    url = "/admin/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


def logout(client):
    """Sign out with the POST the staff bar sends."""
    return client.post("/admin/logout")


def signed_in(app, username: str, *roles: str):
    """A test client signed in, through the real form, as a new account with these roles."""
    with app.app_context():
        make_user(username, *roles)
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client
