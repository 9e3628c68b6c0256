"""Every page that renders a letter, and every entry page, carries the 打印 button (hidden until portal.js
reveals it) and, for pages read without JavaScript, the Ctrl+P hint; both sit outside what is printed."""
import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import HANDLER, InfoRequest
from tests.factories.catalog import publish
from tests.factories.people import CITIZEN_FORM
from tests.factories.staff import login

BUTTON = re.compile(r'<p class="print-action no-print"><button type="button" class="secondary" data-print hidden>'
                    r'(打印[^<]*)</button><span class="print-hint js-hidden">可使用浏览器的打印功能（Ctrl\+P）打印本页。</span></p>')


def buttons(response) -> list[str]:
    """The labels of the page's print buttons, each followed by its hint."""
    assert response.status_code == 200
    return BUTTON.findall(response.get_data(as_text=True))


def test_an_entry_page_has_one_print_button(client, ctx):
    doc = publish(title="测试通知")
    assert buttons(client.get(f"/documents/{doc.id}")) == ["打印"]


def test_the_receipt_the_applicants_letter_and_the_staff_letter_have_print_buttons(app, client, calendar, staff):
    receipt = client.get(client.post("/apply/form", data=CITIZEN_FORM).headers["Location"])
    assert buttons(receipt) == ["打印回执"]
    code = re.search(r"查询码：<strong class=\"big\">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>", receipt.get_data(as_text=True))[1]
    info_request = db.session.scalar(select(InfoRequest))
    number, letter = info_request.tracking_number, info_request.letters[0]
    reader = app.test_client()
    reader.post("/apply/track", data={"number": number, "code": code})
    assert buttons(reader.get(f"/apply/track/{number}/letters/{letter.id}")) == [f"打印{letter.title}"]
    staff("handler", HANDLER)
    login(client, "handler")
    staff_letter = client.get(f"/admin/requests/{number}/letters/{letter.id}")
    assert buttons(staff_letter) == [f"打印{letter.title}"]
    assert 'src="/static/js/portal.js"' in staff_letter.get_data(as_text=True)  # the page that reveals it
