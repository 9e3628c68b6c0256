"""Shared fixtures: an app on a clean database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)."""
import os
from pathlib import Path

import pytest

from portal import create_app
from portal.extensions import db


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


def _empty_tables() -> None:
    """Delete every row, children first, so each test starts clean."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def make_app(database_url: str, folder: Path, **overrides):
    """An app for tests: CSRF and rate limits off unless a test turns them on."""
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "UPLOAD_DIR": str(folder / "uploads"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test",
        } | overrides
    )


def app_on_empty_database(database_url: str, folder: Path, **overrides):
    """Yield an app whose tables were emptied; dispose of its connections afterwards."""
    app = make_app(database_url, folder, **overrides)
    with app.app_context():
        _empty_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    """An app on the shared test database, emptied, with its own index and upload folders."""
    yield from app_on_empty_database(database_url, tmp_path)


@pytest.fixture
def client(app):
    """A test client for HTTP-level tests."""
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


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def calendar(ctx):
    """The working-day calendar seeded from chinesecalendar (2004–2026), as `flask db upgrade` leaves it."""
    from portal.calendar.store import ensure_seeded

    ensure_seeded()
    return ctx
