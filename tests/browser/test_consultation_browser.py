"""A consultation in a real browser (条例 Art. 32): the party's limit on the page, then closing it with a third
party's objection overridden, which issues the 告知书; the page and the form pass axe.

Dates on the 2026 notice: received 09-24, 征求意见书 sent 10-12, received by the party 10-14 → limit 11-04
(15 working days: 10-15, 16, 19..23, 26..30, 11-02, 03, 04), long passed by the time the test runs.
"""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from portal.calendar.store import ensure_seeded
from portal.core.clock import office_today
from portal.extensions import db
from portal.info_requests import services
from portal.models import HANDLER, User
from tests.browser.helpers import axe_violations, sign_in
from tests.factories.requests import handed_in
from tests.factories.staff import make_user


@pytest.fixture
def consulted(app):
    """A 经办人 "li" and an application whose third party received the 征求意见书 on 2026-10-14."""
    with app.app_context():
        ensure_seeded()
        li = db.session.get(User, make_user("li", HANDLER, display_name="李经办").id)
        info_request = handed_in(date(2026, 9, 24), li)
        services.start_consultation(info_request, date(2026, 10, 12), li, party_kind="第三方",
                                    recipient="某物业公司", matter="某小区2025年维修资金使用明细")
        services.record_delivery(info_request, date(2026, 10, 14), li, how="邮寄签收")
        return info_request.tracking_number


def test_closing_a_lapsed_consultation_with_an_overridden_objection_issues_the_notice(page, live_server, consulted):
    sign_in(page, live_server, "li")
    page.goto(f"{live_server}/admin/requests/{consulted}")
    table = page.locator("#consultations")
    expect(table).to_contain_text("2026-11-04")
    expect(table).to_contain_text("已届满")
    expect(table).to_contain_text("由本机关依照条例的规定决定是否公开（条例第三十二条）")
    assert axe_violations(page) == []

    close = page.locator("#action-close")
    close.get_by_role("group", name="对方意见").get_by_label("不同意公开").check()
    close.get_by_role("group", name="第三方不同意公开时本机关的决定").get_by_label("决定公开", exact=False).check()
    close.get_by_label("决定公开的政府信息内容").fill("2025年维修资金使用明细（不含个人信息）")
    close.get_by_label("理由", exact=True).fill("维修资金涉及全体业主共同利益")
    close.get_by_label("公开日期").fill((office_today() + timedelta(days=21)).isoformat())
    close.get_by_role("button", name="结束征求意见").click()
    expect(page.locator(".flashes")).to_contain_text("政府信息公开决定公开告知书（第三方）")
    page.get_by_role("link", name="政府信息公开决定公开告知书（第三方）").click()
    expect(page.locator("article.letter")).to_contain_text("决定公开的理由：维修资金涉及全体业主共同利益")
    assert axe_violations(page) == []
