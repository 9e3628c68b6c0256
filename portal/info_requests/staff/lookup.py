"""Finding an application for a staff page: only among the applications of the office the page is in.

Every staff page of an application looks it up here, so a member of office A who types office B's tracking
number under /o/A/admin/… gets the 404 page, exactly as for a number that does not exist.
"""
from sqlalchemy import select

from ...extensions import db
from ...models import InfoRequest, Office


def request_in_office(number: str) -> InfoRequest:
    """The current office's (Office.current()) application with this tracking number, or the 404 page."""
    return db.one_or_404(select(InfoRequest).where(InfoRequest.tracking_number == (number or "")[:20],
                                                   InfoRequest.office_id == Office.current().id))
