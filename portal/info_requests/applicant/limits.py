"""The per-address limit on the application form: what counts towards it, and the page a refusal shows.

Only a submission the form accepted (or a robot's, caught by the hidden field) counts: a form sent back with
errors to correct is not a new submission. A refused submission keeps everything typed, says when to try
again and names the office's other channels (条例 Art. 29: 当面、邮寄、传真 are as valid as the portal).
"""
from datetime import datetime

from flask import make_response

from ...core.clock import OFFICE_TZ, office_today
from ...core.rendering import render
from ...models import Office
from .forms import ApplicationForm

LIMIT = "10 per hour; 30 per day"
RETURNED_FOR_CORRECTION = 422


def counts_towards_limit(response) -> bool:
    """Every response but a form returned for correction counts (a success, a robot, a refused token)."""
    return response.status_code != RETURNED_FOR_CORRECTION


def retry_text(reset_at: int) -> str:
    """When the address may submit again, in office time: 今天 14:05, or the date when it is later."""
    when = datetime.fromtimestamp(reset_at, OFFICE_TZ)
    day = "今天" if when.date() == office_today() else f"{when.year}年{when.month}月{when.day}日"
    return f"{day} {when:%H:%M}"


def refused_page(limit):
    """The form again with everything typed, when to retry and the other channels (status 429)."""
    office = Office.current()
    message = (f"提交未成功：本网络地址提交申请过于频繁，已达到次数上限。您填写的内容都保留在下面，"
               f"请于 {retry_text(limit.reset_at)} 以后再点击“提交申请”。")
    channels = (f"也可以通过其他方式提出申请：电话 {office.phone} 咨询，或将申请当面递交、邮寄至 {office.address}"
                f"（{office.disclosure_office}）。")
    body = render("info_requests/applicant/form.html", form=ApplicationForm(), refused=message, channels=channels)
    return make_response(body, 429, {"Retry-After": str(max(limit.reset_at - int(datetime.now().timestamp()), 1))})
