"""Builders for annual-report tests: applications taken through the production services, catalog entries."""
from datetime import date, timedelta

from portal.info_requests import fee_steps, services
from portal.reports.lines import ORG_KIND_COLUMNS
from tests.factories.catalog import publish
from tests.factories.people import resident_id, uscc
from tests.factories.requests import clerk

KIND_OF_COLUMN = {column: kind for kind, column in ORG_KIND_COLUMNS.items()}


def applicant_for(column: str) -> tuple[dict, dict]:
    """Request fields and applicant data for a report column (citizen, business, research …)."""
    fields = {"description": "申请获取某项政府信息（测试）", "provide_forms": "纸质", "obtain_methods": "邮寄"}
    if column == "citizen":
        return (fields | {"applicant_type": "公民", "org_kind": None},
                {"name": "张三", "id_type": "居民身份证", "id_number": resident_id(), "phone": "13800138000"})
    return (fields | {"applicant_type": "法人或其他组织", "org_kind": KIND_OF_COLUMN[column]},
            {"name": "上海某某单位", "uscc": uscc(), "legal_representative": "李四", "contact_person": "王五",
             "phone": "021-62541234"})


def received(column: str, on: date, channel: str = "当面"):
    """An application handed in on `on` (its receipt date); a fax or plain letter is only registered then."""
    fields, person = applicant_for(column)
    info_request, _ = services.register(fields, person, channel=channel, receipt_date=on, user=clerk())
    return info_request


def confirmed(column: str, submitted: date, on: date):
    """A faxed application confirmed on `on` (that day is the receipt date; a later day than it arrived gives why)."""
    reason = "到达当日未能联系申请人" if on > submitted else ""
    return services.confirm(received(column, submitted, channel="传真"), on, clerk(), reason=reason)


def replied(column: str, on: date, reply_on: date, outcome: str, ground: str = "", note: str = ""):
    """An application received on `on` and answered on `reply_on` (ground and note as the reply form takes them)."""
    return services.reply(received(column, on), reply_on, clerk(), outcome=outcome, ground=ground, note=note)


def withdrawn(column: str, on: date, withdrawn_on: date):
    """An application received on `on` and withdrawn by the applicant on `withdrawn_on`."""
    return services.withdraw(received(column, on), withdrawn_on, clerk(), reason="申请人撤回")


def abandoned(column: str, on: date, abandoned_on: date):
    """An application received on `on`, sent a 补正告知 the next day, and 视为放弃 on `abandoned_on`."""
    info_request = received(column, on)
    services.request_correction(info_request, on + timedelta(days=1), clerk(), points="请写明所需信息的名称",
                                workdays=5)
    return services.mark_abandoned(info_request, abandoned_on, clerk())


def unpaid(column: str, on: date, ended_on: date):
    """An application received on `on`, sent a 收费通知书 for 200 pages the next day (received that day), and
    ended as 逾期未缴费 on `ended_on` (after the 20 working days to pay; the engine checks it)."""
    info_request = received(column, on)
    fee_steps.notify_fee(info_request, on + timedelta(days=1), clerk(), basis="按量", pages=200)
    return fee_steps.end_unpaid(info_request, ended_on, clerk())


def publish_entries(year: int, count: int, **fields) -> list:
    """`count` 主动公开 entries published in `year`, spread over the year."""
    docs = []
    for n in range(count):
        day = date(year, 1 + n % 12, 1 + n % 28)
        docs.append(publish(title=f"{year}年测试公开信息{n + 1}", written_date=day, published_date=day, **fields))
    return docs
