"""Transactions and numbering: every service writes through these, so a failure never leaves a half-done change.

    with transaction():
        ...               # rows, event, audit row, outbox message
    # committed here; on any exception rolled back and re-raised

`next_serial` takes numbers (索引号, tracking and letter numbers) inside the caller's transaction.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Counter


@contextmanager
def transaction() -> Iterator[None]:
    """One state change: commit when the block ends, roll back and re-raise if anything in it fails."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def next_serial(name: str, year: int) -> int:
    """Take the next number of a per-year sequence inside the caller's transaction; never reused."""
    for _ in range(3):
        value = db.session.execute(
            update(Counter)
            .where(Counter.name == name, Counter.year == year)
            .values(value=Counter.value + 1)
            .returning(Counter.value)
        ).scalar()
        if value is not None:
            return value
        try:
            with db.session.begin_nested():
                db.session.add(Counter(name=name, year=year, value=1))
            return 1
        except IntegrityError:
            continue  # another transaction created the row first: increment it
    raise RuntimeError(f"could not take a number from counter {name}/{year}")


def commit() -> None:
    """Commit what the caller has staged, as one transaction (rolled back and re-raised if the commit fails)."""
    with transaction():
        pass
