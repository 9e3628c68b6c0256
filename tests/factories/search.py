"""The tests' sync point with the search follower: production applies the change log in a background
thread, so a test that publishes and then searches waits for that thread, never a synchronous mode."""
from flask import g, has_app_context
from flask.testing import FlaskClient

from portal import search


class SearchSyncedClient(FlaskClient):
    """A test client whose requests start and end with the search follower idle (what was committed
    before, by a service call or by the request itself, is searchable)."""

    def open(self, *args, **kwargs):
        """Wait for the follower, make the request (its user read afresh from its own cookie), wait again.

        A test holding an app context (the `ctx` and `calendar` fixtures) shares flask.g with every request
        made inside it, and Flask-Login caches the signed-in user there: without dropping it, a second
        client would act as whoever signed in first, and a test of access control could pass for the
        wrong reason.
        """
        settle(self.application)
        if has_app_context():
            g.pop("_login_user", None)
        response = super().open(*args, **kwargs)
        settle(self.application)
        return response


def settle(app, timeout: float = 20) -> None:
    """Wait until the search follower (and any index repair) of `app` is idle; fail loudly if it hangs."""
    with app.app_context():
        assert search.wait_idle(timeout), "the search follower did not finish within the timeout"
