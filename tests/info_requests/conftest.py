"""Fixtures of the 依申请公开 tests."""
from datetime import date

import pytest

# Every module of the package that reads the office's today for an application's dates.
CLOCKS = ("portal.info_requests.records", "portal.info_requests.services", "portal.info_requests.correction_online",
          "portal.info_requests.staff.views", "portal.info_requests.staff.queue",
          "portal.info_requests.staff.correction_page", "portal.info_requests.staff.fee_page",
          "portal.info_requests.staff.release_page", "portal.info_requests.passing")


@pytest.fixture
def today(monkeypatch):
    """Set the office's today for the services, the engine and the staff pages: today(date(2026, 12, 17))."""
    def set_today(day: date) -> None:
        """Every module that reads today for an application reads this day."""
        for module in CLOCKS:
            monkeypatch.setattr(f"{module}.office_today", lambda: day)
    return set_today
