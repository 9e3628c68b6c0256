"""The suite's fixtures: an app on a clean database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set),
its client and CLI runner, the seeded calendar, staff accounts and a real SMTP server on loopback.

Data for tests is made by tests/factories, through the services production uses."""
import os
import threading
import time

import pytest

from portal import create_app
from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.core.background import stop_all
from tests.factories.app import app_on_empty_database, make_app
from tests.factories.search import SearchSyncedClient
from tests.factories.smtp import start_smtp_server
from portal.models.staff import ADMIN
from tests.factories.staff import Account, login, make_user


def _database_url(tmp_path_factory) -> str:
    """PostgreSQL when TEST_DATABASE_URL names one, else a throwaway SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Create the schema once per test session; tests then start from empty tables."""
    url = _database_url(tmp_path_factory)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url, tmp_path):
    """An app on the shared test database, emptied, with its own index and upload folders."""
    yield from app_on_empty_database(database_url, tmp_path)


@pytest.fixture
def app_with(database_url, tmp_path):
    """A factory for more apps on the same database with other settings (a second worker, rate limits on).

    Each is stopped after the test like `app`: a thread left running would poll the next tests' tables
    (a leaked mail sender without SMTP_HOST once marked another test's waiting mail as sent).
    """
    made = []

    def make(folder: str = "", **overrides):
        made.append(make_app(database_url, tmp_path / folder if folder else tmp_path, **overrides))
        return made[-1]

    yield make
    for other in made:
        stop_all(other)
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def no_background_thread_outlives_its_test():
    """Every app a test made has stopped its worker threads when the test ends (see `app_with`)."""
    yield
    deadline = time.monotonic() + 5  # a thread told to stop may be finishing a run
    while (alive := [t.name for t in threading.enumerate() if t.name.startswith("portal-")]) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive, f"后台线程在测试结束后仍在运行：{alive}"


@pytest.fixture
def client(app):
    """A test client for HTTP-level tests; each request waits for the search follower before and after."""
    app.test_client_class = SearchSyncedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for operator commands."""
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context for calling services directly."""
    with app.app_context():
        yield app


@pytest.fixture
def calendar(ctx):
    """The working-day calendar seeded from chinesecalendar (2004–2026), as `flask db upgrade` leaves it."""
    ensure_seeded()
    return ctx


@pytest.fixture
def staff(app):
    """A factory: staff("editor1", EDITOR, REVIEWER) creates an account and returns an Account."""

    def make(username: str, *roles: str, **fields) -> Account:
        with app.app_context():
            return make_user(username, *roles, **fields)

    return make


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback for one test; `.port` and `.messages`."""
    server = start_smtp_server()
    yield server
    server.stop()


@pytest.fixture
def admin_client(app, staff):
    """A client signed in as a 管理员."""
    staff("boss", ADMIN, display_name="王主任")
    client = app.test_client()
    login(client, "boss")
    return client
