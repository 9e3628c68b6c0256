"""Personal data never crosses offices: every staff route, walked from the app's URL map (so routes added later
are covered), asked as a member of office A holding every role for office B's applications, letters, files,
entries, reports, cases and settings rows, answers 403 or 404 and never shows B's applicant or numbers.

Office B's data is made through the production services, acting for B (tests.factories.offices.in_office).
"""
from datetime import date

import pytest
from flask import url_for
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from portal.admin.settings import save_other_office
from portal.calendar.store import ensure_seeded
from portal.catalog import standard, workflow
from portal.catalog.attachments import check_file as check_attachment
from portal.core.clock import office_today
from portal.extensions import db
from portal.info_requests import correction_online, proofs, releases, services
from portal.models import (
    HANDLER, ROLES, CorrectionFile, DocumentRelation, Office, ProofFile, ReleasedFile, User)
from portal.reports import services as reports
from tests.factories.catalog import BASE
from tests.factories.files import pdf_bytes, png_bytes
from tests.factories.offices import in_office, make_office
from tests.factories.people import resident_id
from tests.factories.requests import FIELDS
from tests.factories.staff import login, make_user

SKIP_METHODS = {"HEAD", "OPTIONS"}
B_NAME = "欧阳乙方"  # office B's applicant: must never appear on a page asked for as office A
B_APPLICANT = {"name": B_NAME, "id_type": "居民身份证", "id_number": resident_id("31010719900202222"),
               "phone": "13900139000", "email": "ouyang@example.com", "address": "上海市普陀区万镇路1号"}
YEAR = 2025
# URL parameters that name one of office B's rows: asked for as A, the answer is 403 or 404.
B_PARAMETERS = {"number", "letter_id", "public_id", "doc_id", "attachment_id", "relation_id", "case_id",
                "item_id", "other_id", "user_id"}


def staff_rules(app):
    """Every staff route (under /admin) a signed-in account can reach, with its methods."""
    return [(rule, method) for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")
            for method in sorted(rule.methods - SKIP_METHODS)
            if not getattr(app.view_functions[rule.endpoint], "allow_anonymous", False)]


def office_b_data(app) -> dict:
    """Office B with an application carrying a proof and released files, one waiting with an online correction,
    an entry with an attachment linked to another, a report draft, a case, a 标准目录 row and a listed office."""
    with app.app_context():
        ensure_seeded()
        a = make_office("offa", "甲街道办事处", prefix="JA")
        b = make_office("offb", "乙街道办事处", prefix="YI")
        with in_office(a):
            walker = make_user("walker", *ROLES, display_name="甲全能")
        with in_office(b):
            clerk = db.session.get(User, make_user("clerk-b", *ROLES, display_name="乙经办").id)
            today = office_today()
            proof = [("证件", proofs.check_file("身份证.png", png_bytes()))]
            first, _ = services.submit_online(FIELDS, B_APPLICANT, proof)
            services.confirm(first, today, clerk)
            services.reply(first, today, clerk, outcome="予以公开", note="请查收。",
                           released=[releases.check_file("名单.pdf", pdf_bytes())])
            second, _ = services.register(FIELDS, B_APPLICANT, channel="当面", receipt_date=today, user=clerk)
            services.request_correction(second, today, clerk, points="请写明文件名称和年份。",
                                        workdays=Office.current().correction_min_workdays)
            correction_online.submit_correction(second, "申请2024年加装电梯补贴的发放名单，文件名称为补贴名单。",
                                                [proofs.check_file("补正.png", png_bytes())])
            doc = workflow.save_draft(BASE | {"title": "乙机关草稿", "publisher": "乙街道办事处"},
                                      [check_attachment("附件.pdf", pdf_bytes())], clerk)
            other_doc = workflow.save_draft(BASE | {"title": "乙机关另一草稿", "doc_number": "乙府〔2024〕1号",
                                                    "publisher": "乙街道办事处"}, [], clerk)
            relation = DocumentRelation(source_id=doc.id, target_id=other_doc.id, kind="相关")
            db.session.add(relation)
            db.session.commit()
            reports.create_draft(YEAR, actor=clerk)
            case = reports.record_case({"kind": "行政复议", "result": "维持", "year": YEAR,
                                        "info_request_id": first.id, "after_review": False, "note": B_NAME})
            item = standard.add_item({"matter": "乙机关事项", "content": "乙", "basis": "乙", "period": "乙",
                                      "subject": "乙", "channel": "乙", "audience": "乙", "manner": "乙"})
            other = save_other_office({"name": "乙区房管局", "address": "乙路1号", "phone": "021-1"})
        numbers = [first.tracking_number, second.tracking_number]
        assert all(n.startswith("YI-") for n in numbers)
        common = {"doc_id": doc.id, "attachment_id": doc.attachments[0].id, "relation_id": relation.id,
                  "year": YEAR, "case_id": case.id, "item_id": item.id, "other_id": other.id, "user_id": clerk.id,
                  "office_id": b.id, "key": "s4.review.维持"}
        proof_id = db.session.scalar(select(ProofFile.public_id).filter_by(info_request_id=first.id))
        released_id = db.session.scalar(select(ReleasedFile.public_id).filter_by(info_request_id=first.id))
        correction_id = db.session.scalar(select(CorrectionFile.public_id))
        variants = [common | {"number": first.tracking_number, "letter_id": first.letters[-1].id,
                              "public_id": proof_id},
                    common | {"number": first.tracking_number, "letter_id": first.letters[0].id,
                              "public_id": released_id},
                    common | {"number": second.tracking_number, "letter_id": second.letters[-1].id,
                              "public_id": correction_id}]
        return {"walker": walker.username, "numbers": numbers, "variants": variants}


@pytest.fixture
def b_data(app):
    """Office B's rows (see office_b_data) and a member of A holding every role."""
    return office_b_data(app)


def url_of(app, rule, values: dict, prefix: str) -> str:
    """The rule's URL under an office's prefix, every parameter filled from `values` (within the converter's
    bounds)."""
    filled = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        value = values.get(name, 1 if isinstance(converter, IntegerConverter) else "x")
        if isinstance(converter, IntegerConverter):
            value = max(value, converter.min) if converter.min is not None else value
            value = min(value, converter.max) if converter.max is not None else value
        filled[name] = value
    with app.test_request_context():
        return prefix + url_for(rule.endpoint, **filled)


def shows_b(response, data: dict, asked: str = "") -> list[str]:
    """What of office B's personal data or numbers the answer shows (besides the address asked for, which
    pages repeat in their own links)."""
    body = response.get_data(as_text=True)
    if asked:
        path = asked.split("/admin", 1)[1] if "/admin" in asked else asked
        body = body.replace(f"/admin{path}", "")
    return [secret for secret in (B_NAME, *data["numbers"]) if secret in body]


def test_every_staff_route_refuses_office_b_rows_to_a_member_of_office_a(app, b_data):
    client = app.test_client()
    assert login(client, b_data["walker"], next_url="/o/offa/admin/").status_code == 302
    checked = 0
    for rule, method in staff_rules(app):
        names_b_row = bool(B_PARAMETERS & set(rule.arguments))
        for values in b_data["variants"]:
            for prefix in ("/o/offa", "/o/offb"):
                url = url_of(app, rule, values, prefix)
                response = client.open(url, method=method, data={})
                status = response.status_code
                assert status < 500, f"{method} {url} gave {status}"
                assert not shows_b(response, b_data, url), f"{method} {url} showed {shows_b(response, b_data, url)}"
                if prefix == "/o/offb":  # not a member of B: refused before any lookup
                    assert status == 403, f"{method} {url} gave {status} to a member of office A only"
                elif names_b_row:
                    assert status in (403, 404), f"{method} {url} gave {status} to a member of office A"
                checked += 1
    assert checked > 200


def test_a_member_of_office_a_is_refused_every_office_b_staff_page_even_those_needing_only_sign_in(app, b_data):
    client = app.test_client()
    login(client, b_data["walker"])
    for url in ("/o/offb/admin/", "/o/offb/admin/password", "/o/offb/admin/requests/", "/o/offb/admin/audit",
                "/o/offb/admin/entries", "/o/offb/admin/reports", "/o/offb/admin/settings"):
        assert client.get(url).status_code == 403, url
    assert client.get("/o/offa/admin/").status_code == 200


def test_office_a_lists_and_searches_show_nothing_of_office_b(app, b_data):
    client = app.test_client()
    login(client, b_data["walker"])
    for url in ("/o/offa/admin/", "/o/offa/admin/requests/?state=all", "/o/offa/admin/audit?q=乙机关",
                "/o/offa/admin/audit?action=reply", "/o/offa/admin/audit?action=view_proof", "/o/offa/admin/entries?q=乙机关",
                "/o/offa/admin/reports", f"/o/offa/admin/reports/{YEAR}", "/o/offa/admin/accounts",
                "/o/offa/admin/settings", "/o/offa/admin/settings/standard-catalog"):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert not shows_b(response, b_data) and "乙机关草稿" not in body and "乙区房管局" not in body, url
        assert "乙机关事项" not in body and "clerk-b" not in body, url


def test_office_b_rows_cannot_be_named_in_office_a_forms(app, b_data):
    client = app.test_client()
    login(client, b_data["walker"])
    with app.app_context(), in_office(Office.by_code("offa")):
        clerk = db.session.scalar(select(User).filter_by(username="walker"))
        mine, _ = services.register(FIELDS, B_APPLICANT | {"name": "甲申请人"}, channel="当面",
                                    receipt_date=office_today(), user=clerk)
        ours = mine.tracking_number
    refused = client.post(f"/o/offa/admin/art44/{ours}/same", data={"other": b_data["numbers"][0]})
    assert refused.status_code == 422 and "没有编号为" in refused.get_data(as_text=True)
    case = client.post(f"/o/offa/admin/reports/{YEAR}/cases",
                       data={"kind": "行政复议", "result": "维持", "tracking_number": b_data["numbers"][0]})
    assert case.status_code in (404, 422)
    relate = client.post(f"/o/offa/admin/entries/1/relations", data={"relation-reference": "乙府〔2024〕1号"})
    assert relate.status_code in (404, 422) or "找不到" in relate.get_data(as_text=True)


def test_sign_in_under_an_office_prefix_comes_back_to_that_office(app, b_data):
    client = app.test_client()
    sent = client.get("/o/offa/admin/requests/")
    assert sent.status_code == 302 and "/o/offa/admin/login" in sent.headers["Location"]
    assert "next=/o/offa/admin/requests/" in sent.headers["Location"]
    signed = client.post("/o/offa/admin/login?next=/o/offa/admin/requests/",
                         data={"username": b_data["walker"], "password": "test-password-123"})
    assert signed.status_code == 302 and signed.headers["Location"].endswith("/o/offa/admin/requests/")


def test_the_root_dashboard_sends_a_member_of_another_office_to_their_own(app, b_data):
    client = app.test_client()
    login(client, b_data["walker"])
    with app.app_context():
        assert Office.first().code not in ("offa", "offb")  # /admin/ is the first office's, not A's
    answer = client.get("/admin/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/o/offa/admin/")
    assert client.get("/admin/requests/").status_code == 403  # the first office's pages stay closed


def test_the_staff_bar_names_the_office_and_links_the_members_other_offices(app, b_data):
    with app.app_context():
        walker = db.session.scalar(select(User).filter_by(username="walker"))
        walker.set_roles_in(Office.by_code("offb").id, {HANDLER})
        db.session.commit()
    client = app.test_client()
    login(client, "walker")
    page = client.get("/o/offa/admin/").get_data(as_text=True)
    assert "本机关：甲街道办事处" in page and 'href="/o/offb/admin/"' in page
    assert client.get("/o/offb/admin/requests/").status_code == 200
    assert client.get("/o/offb/admin/settings").status_code == 403  # a 经办人 there, not a 管理员
    single = app.test_client()
    with app.app_context():
        make_user("loner", HANDLER)  # a member of the first office only
    login(single, "loner")
    assert "切换到" not in single.get("/admin/").get_data(as_text=True)
