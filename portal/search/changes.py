"""Every change to what is searchable writes a row to the change log in the same transaction.

Session events, not calls in each service, so no write path can forget it: a flush that inserts,
updates or deletes a Document or an Attachment notes the entry's id; just before the outermost commit
the noted ids become SearchChange rows (written last, so their ids are taken as late as possible and
commit nearly in order); after the commit this process's follower is woken to apply them at once.
"""
from __future__ import annotations

from itertools import chain

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import attributes

from ..extensions import db
from ..models import Attachment, Document
from ..models.search import SearchChange
from .worker import FOLLOWER

PENDING = "search.pending"  # ids of entries changed in this transaction, not yet logged
LOGGED = "search.logged"    # this transaction wrote change rows: wake the follower after commit


def _changed_ids(session) -> set[int]:
    """Ids of the entries this flush touches (attachments count for their entry, before and after)."""
    ids = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Document):
            ids.add(obj.id)
        elif isinstance(obj, Attachment):
            ids.add(obj.document_id)
            ids.update(attributes.get_history(obj, "document_id").deleted or ())
    ids.discard(None)
    return ids


def _after_flush(session, flush_context) -> None:
    """Note the entries a flush wrote (new ones have their ids by now)."""
    ids = _changed_ids(session)
    if ids:
        session.info.setdefault(PENDING, set()).update(ids)


def _before_commit(session) -> None:
    """Write one change row per noted entry, in the transaction about to commit."""
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit logs
    session.flush()
    ids = session.info.pop(PENDING, None)
    if ids:
        session.add_all(SearchChange(document_id=doc_id) for doc_id in sorted(ids))
        session.info[LOGGED] = True


def _after_commit(session) -> None:
    """The changes are durable: this process applies them now, without the request waiting."""
    if session.info.pop(LOGGED, False) and has_app_context():
        FOLLOWER.wake()


def _after_transaction_end(session, transaction) -> None:
    """A transaction that ends without committing logs nothing."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop(LOGGED, None)


def listen() -> None:
    """Register the session events once (every app shares the one db.session)."""
    for name, fn in (("after_flush", _after_flush), ("before_commit", _before_commit),
                     ("after_commit", _after_commit), ("after_transaction_end", _after_transaction_end)):
        if not event.contains(db.session, name, fn):
            event.listen(db.session, name, fn)
