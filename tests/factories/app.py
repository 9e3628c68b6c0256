"""Apps for tests: on the shared test database, emptied, with their own index and upload folders."""
from pathlib import Path

from portal import create_app
from portal.core.background import stop_all
from portal.extensions import db


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
            "MAIL_DIR": str(folder / "mail"),  # development mail files, never the checkout's instance/
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test",
            "PORTAL_URL": "http://localhost",  # the test client's own host: absolute links name it
        } | overrides
    )


def app_on_empty_database(database_url: str, folder: Path, **overrides):
    """Yield an app whose tables were emptied; dispose of its connections afterwards."""
    app = make_app(database_url, folder, **overrides)
    with app.app_context():
        _empty_tables()
    yield app
    stop_all(app)  # its threads must not touch the tables the next test empties
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
