"""The application queue: counts, 即将到期 by working days, filters and sort, htmx fragments, who may do what."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.calendar.store import ensure_seeded, load_calendar
from portal.extensions import db
from portal.info_requests import services
from portal.info_requests.staff.queue import QueueQuery, find, queue_counts
from portal.models import ADMIN, EDITOR, HANDLER, HEAD, REVIEWER, InfoRequest, User
from tests.factories.requests import APPLICANT, handed_in, posted
from tests.factories.staff import login, make_user


def receipt_due_on(due: date) -> date:
    """A receipt date whose 20th working day after is `due` (searched on the seeded calendar)."""
    calendar, day = load_calendar(), due
    while calendar.add_workdays(day, 20).date != due:
        day -= timedelta(days=1)
    return day


@pytest.fixture
def office(app):
    """A seeded calendar; staff: two 经办人 (one also 负责人), and one 负责人."""
    with app.app_context():
        ensure_seeded()
        return {"li": make_user("li", HANDLER, display_name="李经办").id,
                "wang": make_user("wang", HANDLER, HEAD, display_name="王主任").id,
                "zhao": make_user("zhao", HEAD, display_name="赵负责").id}


def counts(today: date) -> dict[str, int]:
    """The dashboard's tiles as label → count."""
    return {label: n for label, n, _ in queue_counts(today, load_calendar())}


def test_counts_by_state_and_by_deadline(app, office):
    with app.app_context():
        li, wang = db.session.get(User, office["li"]), db.session.get(User, office["wang"])
        posted(date(2026, 3, 2), li)                                   # 待确认
        handed_in(date(2026, 3, 2), li)                                # 办理中, due 2026-03-30
        handed_in(date(2026, 2, 27), li)                               # 办理中, due 2026-03-26 (2/28 worked)
        correcting = handed_in(date(2026, 3, 2), li)
        services.request_correction(correcting, date(2026, 3, 3), li, points="请写明年份", workdays=10)
        consulting = handed_in(date(2026, 3, 2), li)
        services.start_consultation(consulting, date(2026, 3, 3), li, party_kind="第三方", recipient="某公司",
                                   matter="明细")
        extended = handed_in(date(2026, 3, 2), li)
        services.approve_extension(extended, date(2026, 3, 10), wang, workdays=5, reason="档案")  # due 2026-04-07
        replied = handed_in(date(2026, 2, 2), li)
        services.reply(replied, date(2026, 2, 10), li, outcome="予以公开")
        assert counts(date(2026, 3, 24)) == {"待确认": 1, "办理中": 2, "已延期": 1, "待补正": 1, "征求意见中": 1,
                                             "待缴费": 0, "即将到期": 1, "已逾期": 0, "缴费期限已过": 0, "期限暂定": 0,
                                             "申请人在线撤回（近30日）": 0, "在线补正待确认": 0}
        # 3/25: 3/26 is 1 and 3/30 is 3 working days away (the weekend does not count).
        assert counts(date(2026, 3, 25))["即将到期"] == 2
        assert (counts(date(2026, 3, 31))["已逾期"], counts(date(2026, 3, 31))["即将到期"]) == (2, 0)
        assert counts(date(2026, 4, 2))["即将到期"] == 1  # the extended one, due 4/7 across 清明 (4/4–4/6 off)


def test_soon_counts_working_days_not_calendar_days(app, office):
    with app.app_context():
        li = db.session.get(User, office["li"])
        after_holiday = handed_in(receipt_due_on(date(2026, 10, 9)), li)
        assert after_holiday.due_date == date(2026, 10, 9)
        # Nine calendar days before the due date, but 国庆 (10/1–10/7) leaves only 10/8 and 10/9 to work.
        assert counts(date(2026, 9, 30))["即将到期"] == 1
        # Four calendar days before a plain due date with a weekend between: still 2 working days.
        assert counts(date(2026, 10, 5))["即将到期"] == 1
        # Outside the window: 9/25 (Fri) → 9/28, 9/29, 9/30, 10/8, 10/9 is 5 working days.
        assert counts(date(2026, 9, 25))["即将到期"] == 0


def numbers(rows) -> list[str]:
    """Tracking numbers, in order."""
    return [r.tracking_number for r in rows]


def test_filters_by_state_channel_handler_and_deadline(app, office):
    with app.app_context():
        li, wang = db.session.get(User, office["li"]), db.session.get(User, office["wang"])
        a = handed_in(date(2026, 3, 2), li)
        b = posted(date(2026, 3, 2), wang, channel="传真")
        c = handed_in(date(2026, 2, 27), wang)
        cal, today = load_calendar(), date(2026, 3, 25)

        def run(**filters):
            return numbers(find(QueueQuery(**filters), today, cal, li.id).items)

        assert run(state="待确认") == [b.tracking_number]
        assert run(channel="传真") == [b.tracking_number]
        assert run(handler="me") == [a.tracking_number]
        assert run(handler=str(wang.id)) == [b.tracking_number, c.tracking_number]  # 待确认 first
        assert run(due="soon") == [c.tracking_number, a.tracking_number]
        assert run(handler="none") == []


def test_sorted_by_due_date_either_way_with_awaiting_confirmation_first(app, office):
    with app.app_context():
        li = db.session.get(User, office["li"])
        later = handed_in(date(2026, 3, 5), li)
        earlier = handed_in(date(2026, 3, 2), li)
        undated = posted(date(2026, 3, 2), li)
        cal = load_calendar()
        asc = numbers(find(QueueQuery(sort="due"), date(2026, 3, 25), cal, li.id).items)
        desc = numbers(find(QueueQuery(sort="due", order="desc"), date(2026, 3, 25), cal, li.id).items)
        # 待确认 has no due date, but its confirmation is what waits first: it leads the urgency order (and
        # the flipped order mirrors it); other undated rows (待补正, a paused consultation) still come last.
        assert asc == [undated.tracking_number, earlier.tracking_number, later.tracking_number]
        assert desc == [later.tracking_number, earlier.tracking_number, undated.tracking_number]
        by_number = numbers(find(QueueQuery(sort="number"), date(2026, 3, 25), cal, li.id).items)
        assert by_number == sorted(by_number)


def signed_in(app, username: str):
    """A client signed in as this account."""
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_the_queue_page_links_counts_to_filters_and_shows_only_masked_names(app, office):
    with app.app_context():
        handed_in(date(2026, 3, 2), db.session.get(User, office["li"]))
    client = signed_in(app, "li")
    page = client.get("/admin/requests/").get_data(as_text=True)
    assert 'href="/admin/requests/?state=%E5%BE%85%E7%A1%AE%E8%AE%A4"' in page  # 待确认
    assert 'href="/admin/requests/?due=overdue"' in page and 'href="/admin/requests/?due=soon"' in page
    assert "张*丰" in page and APPLICANT["name"] not in page and APPLICANT["id_number"] not in page
    assert APPLICANT["phone"] not in page and APPLICANT["email"] not in page
    assert "李经办" in page and "2026-2026" not in page


def test_filters_work_as_plain_get_and_as_an_htmx_fragment(app, office):
    with app.app_context():
        li = db.session.get(User, office["li"])
        handed_in(date(2026, 3, 2), li)
        posted(date(2026, 3, 2), li)
    client = signed_in(app, "li")
    full = client.get("/admin/requests/?state=待确认&sort=receipt&order=desc")
    html = full.get_data(as_text=True)
    assert "<h1>依申请公开办理</h1>" in html and "共 1 件" in html
    assert '<option value="待确认" selected>' in html and 'name="sort" value="receipt" form="queue-filters"' in html
    fragment = client.get("/admin/requests/?state=待确认", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="queue-results"') and "<h1>" not in body and "共 1 件" in body
    assert "HX-Request" in fragment.headers["Vary"]
    boosted = client.get("/admin/requests/?state=待确认", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<h1>依申请公开办理</h1>" in boosted.get_data(as_text=True)


def test_unknown_filter_values_fall_back_to_the_defaults(app, office):
    response = signed_in(app, "li").get("/admin/requests/?state=nonsense&sort=drop&page=-3&handler=999")
    assert response.status_code == 200 and "共 0 件" in response.get_data(as_text=True)


def test_a_handler_cannot_approve_an_extension_only_a_head_can(app, office):
    with app.app_context():
        number = handed_in(date(2026, 3, 2), db.session.get(User, office["li"])).tracking_number
    data = {"extend-on": "2026-03-20", "extend-workdays": "10", "extend-reason": "需调取档案"}
    assert signed_in(app, "li").post(f"/admin/requests/{number}/extend", data=data).status_code == 403
    assert signed_in(app, "zhao").post(f"/admin/requests/{number}/extend", data=data).status_code == 303
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        assert info_request.state == "已延期" and info_request.events[-1].actor == "赵负责"


@pytest.mark.parametrize("role", [ADMIN, EDITOR, REVIEWER])
def test_other_roles_cannot_open_the_queue_or_an_application(app, office, role):
    with app.app_context():
        number = handed_in(date(2026, 3, 2), db.session.get(User, office["li"])).tracking_number
        make_user(f"only-{role}", role)
    client = signed_in(app, f"only-{role}")
    assert client.get("/admin/requests/").status_code == 403
    assert client.get(f"/admin/requests/{number}").status_code == 403
    assert client.post(f"/admin/requests/{number}/reveal").status_code == 403
    assert "依申请公开办理" not in client.get("/admin/").get_data(as_text=True)


def test_the_dashboard_shows_handlers_and_heads_the_counts(app, office):
    with app.app_context():
        posted(date(2026, 3, 2), db.session.get(User, office["li"]))
    for username in ("li", "zhao"):
        page = signed_in(app, username).get("/admin/").get_data(as_text=True)
        assert 'href="/admin/requests/"' in page and 'id="request-counts-title"' in page
        assert '<span class="count">1</span><span class="count-label">待确认</span>' in page


def test_assigning_a_handler_is_audited_and_filters_follow(app, office):
    with app.app_context():
        number = handed_in(date(2026, 3, 2), db.session.get(User, office["li"])).tracking_number
    client = signed_in(app, "zhao")
    response = client.post(f"/admin/requests/{number}/assign", data={"assign-handler": str(office["wang"])})
    assert response.status_code == 303
    page = client.get(f"/admin/requests/?handler={office['wang']}").get_data(as_text=True)
    assert number in page and "王主任" in page
    with app.app_context():
        from portal.models import AuditEntry
        entry = db.session.scalar(select(AuditEntry).filter_by(action="assign_request"))
        assert entry.actor_id == office["zhao"] and "王主任" in entry.summary


def test_a_long_queue_pages_with_the_same_pager_as_every_list(app, client, office):
    # 51 open applications, 50 per page: page 2 holds one, reached by the pager's numbered link.
    with app.app_context():
        li = db.session.get(User, office["li"])
        for _ in range(51):
            handed_in(date(2026, 3, 2), li)
    login(client, "li")
    first = client.get("/admin/requests/").get_data(as_text=True)
    assert "共 51 件，第 1 / 2 页" in first
    assert 'href="/admin/requests/?page=2"' in first and 'hx-swap="outerHTML"' in first
    second = client.get("/admin/requests/?page=2").get_data(as_text=True)
    assert "共 51 件，第 2 / 2 页" in second and second.count('href="/admin/requests/2026-') == 1


@pytest.mark.parametrize("page", ["²", "①", "٣", "0", "-1", "99999", ""])
def test_a_page_number_that_is_not_plain_digits_shows_the_first_page(app, client, office, page):
    # "²" and "①" pass str.isdigit() but int() refuses them: they must not reach it.
    login(client, "li")
    response = client.get("/admin/requests/", query_string={"page": page})
    assert response.status_code == 200 and "共 0 件" in response.get_data(as_text=True)
