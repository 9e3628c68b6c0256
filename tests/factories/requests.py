"""Builders for tests of applications: staff accounts, and applications made through the production services
(so each has the letters, audit rows and mail production would give it)."""
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.info_requests import services
from portal.models import HANDLER, InfoRequest, User
from tests.factories.people import resident_id
from tests.factories.staff import make_user

FIELDS = {"applicant_type": "公民", "org_kind": None, "description": "2024年石泉路街道老旧小区加装电梯补贴的发放名单",
          "provide_forms": "电子邮件", "obtain_methods": "电子邮件"}
APPLICANT = {"name": "张三丰", "id_type": "居民身份证", "id_number": resident_id(), "phone": "13800138000",
             "email": "zhangsan@example.com", "address": "上海市普陀区石泉路100弄5号"}
CLERK = "clerk"  # the 经办人 builders act as when a test does not care who


def user(username: str, *roles: str, **fields) -> User:
    """A staff account with these roles (inside an app context)."""
    return db.session.get(User, make_user(username, *roles, **fields).id)


def clerk() -> User:
    """The 经办人 the builders act as (display name 经办人), made on first use in a test's database."""
    existing = db.session.scalar(select(User).filter_by(username=CLERK))
    return existing or user(CLERK, HANDLER, display_name="经办人")


def handed_in(day: date, by: User, **applicant) -> InfoRequest:
    """An application handed in at the counter on `day` and registered by `by`."""
    info_request, _ = services.register(FIELDS, APPLICANT | applicant, channel="当面", receipt_date=day, user=by)
    return info_request


def posted(day: date, by: User, channel: str = "平常信函") -> InfoRequest:
    """An application that arrived by plain letter or fax: registered, awaiting confirmation."""
    info_request, _ = services.register(FIELDS, APPLICANT, channel=channel, receipt_date=day, user=by)
    return info_request
