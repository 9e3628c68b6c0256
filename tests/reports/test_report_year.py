"""开始编制 proposes the year staff need next: the first year not yet published after the last published report;
last year when nothing is published (the report due by 31 January, 条例第四十九条); the year in progress, to
draft, when last year is published too (never a year to come)."""
from datetime import date

import pytest

from portal.models.staff import HANDLER
from portal.reports import services
from tests.factories.staff import login


@pytest.mark.parametrize("published, today, proposed", [
    ((), date(2027, 1, 10), 2026),                  # nothing published: last year, due by 2027-01-31
    ((2025,), date(2027, 1, 10), 2026),             # last published 2025: the next one, 2026
    ((2023,), date(2027, 1, 10), 2024),             # a backlog: 2024 comes before 2025 and 2026
    ((2021, 2023), date(2027, 1, 10), 2024),        # the gap 2022 behind 2023 is history: after the last one
    ((2026,), date(2027, 1, 10), 2027),             # last year already published: this year's, to draft
    ((2026, 2027), date(2027, 12, 31), 2027),       # at the latest the year in progress, never one to come
    ((2023,), date(2025, 1, 1), 2024),              # New Year's Day: 2024 has just ended
])
def test_the_proposed_year_is_the_first_year_not_yet_published(published, today, proposed):
    assert services.proposed_year(published, today) == proposed


def test_the_start_form_proposes_the_year_after_the_last_published_report(client, staff, calendar, monkeypatch):
    staff("jingban", HANDLER)
    login(client, "jingban")
    monkeypatch.setattr("portal.reports.staff.office_today", lambda: date(2027, 1, 10))
    assert 'value="2026"' in client.get("/admin/reports").get_data(as_text=True)  # none published yet
    services.publish(services.create_draft(2024), date(2025, 1, 20))
    services.create_draft(2025)                                # a draft, not published: still the one to do
    page = client.get("/admin/reports").get_data(as_text=True)
    assert 'name="year"' in page and 'value="2025"' in page and 'value="2026"' not in page
    services.publish(services.find_report(2025), date(2026, 1, 20))
    assert 'value="2026"' in client.get("/admin/reports").get_data(as_text=True)
