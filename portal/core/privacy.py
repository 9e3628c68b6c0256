"""Pages that show personal data: kept out of browser caches and out of htmx's history snapshots.

A page marked private is sent with `Cache-Control: no-store`, and base.html puts
`hx-history="false"` on it so htmx does not copy it into sessionStorage when the user moves on:
on a shared computer in a service hall, Back must not bring back someone's query code or ID
number without a new (and, for staff, logged) request.
"""
from functools import wraps

from flask import Flask, g


def mark_private() -> None:
    """Mark the current request's page as private (usable as a before_request hook)."""
    g.private_page = True


def private(view):
    """Decorator for a view whose page shows personal data."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        mark_private()
        return view(*args, **kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    """Send no-store on private pages."""

    @app.before_request
    def start_public():
        """Every request starts public (g may outlive a request when a test holds the app context)."""
        g.pop("private_page", None)

    @app.after_request
    def no_store(response):
        if g.get("private_page"):
            response.headers["Cache-Control"] = "no-store, max-age=0"
            response.headers["Pragma"] = "no-cache"
        return response
