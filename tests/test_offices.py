"""Several offices in one portal: each one's pages under /o/<code>/, its own numbers, roles per office."""
from datetime import date

from portal.extensions import db
from portal.models import HANDLER, Office, User
from portal.offices.services import OfficeProblem
from tests.factories.offices import in_office, make_office
from tests.factories.requests import clerk, handed_in
from tests.factories.staff import make_user

import pytest


def test_a_single_office_portal_serves_its_first_office_without_a_prefix(app, client):
    with app.app_context():
        first = Office.current()
        assert first.id == Office.first().id and not Office.several()
        assert first.tracking_number(2026, 7) == "2026-0007"
    assert client.get("/guide").status_code == 200


def test_pages_under_o_code_are_the_named_offices_and_an_unknown_code_is_404(app, client):
    with app.app_context():
        make_office("wanzhen", "万镇街道办事处")
    page = client.get("/o/wanzhen/guide")
    assert page.status_code == 200 and "万镇街道办事处" in page.get_data(as_text=True)
    assert client.get("/o/nosuch/guide").status_code == 404


def test_links_on_an_office_page_keep_its_prefix(app, client):
    with app.app_context():
        make_office("wanzhen", "万镇街道办事处")
    html = client.get("/o/wanzhen/guide").get_data(as_text=True)
    assert 'href="/o/wanzhen/catalog' in html


def test_each_office_numbers_its_applications_from_one_and_the_numbers_never_collide(app):
    with app.app_context():
        wanzhen = make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        first = handed_in(date(2026, 3, 2), clerk())
        with in_office(wanzhen):
            user = clerk()
            user.set_roles_in(wanzhen.id, {HANDLER})
            other = handed_in(date(2026, 3, 2), user)
        # Each office's first application of 2026: 2026-0001 for the first office, WZ-2026-0001 for 万镇.
        assert (first.tracking_number, other.tracking_number) == ("2026-0001", "WZ-2026-0001")
        assert (first.office_id, other.office_id) == (Office.first().id, wanzhen.id)
        assert other.letters[0].number.startswith(wanzhen.letter_prefix)


def test_roles_are_held_per_office(app):
    with app.app_context():
        wanzhen = make_office("wanzhen", "万镇街道办事处")
        account = make_user("li", HANDLER)
        user = db.session.get(User, account.id)
        assert user.has_role(HANDLER)
        with in_office(wanzhen):
            assert not user.has_role(HANDLER) and user.role_set == frozenset()


def test_an_office_whose_codes_another_office_uses_is_refused_with_the_field_named(app):
    with app.app_context():
        make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        with pytest.raises(OfficeProblem) as refused:
            make_office("wanzhen", "另一个街道", prefix="WZ")
        assert set(refused.value.problems) >= {"code", "number_prefix"}
        assert "已被另一机关使用" in refused.value.problems["code"]
