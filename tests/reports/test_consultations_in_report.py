"""The annual report with consultations in the year (条例 Art. 32, 34): a consultation, however it ends, never
adds or loses an application — 一 + 二 = 三(七) + 四 still holds, and an open one is carried out.

2025 calendar (国务院 2024 notice): no holiday in March, in June after 端午 (5-31..6-2), or in November.
"""
from datetime import date as D

from portal.extensions import db
from portal.models import Office
from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.reports.compute import compute_section3
from tests.factories.reports import received
from tests.factories.requests import clerk


def consulted(on: D, sent: D, party_kind: str = "第三方", recipient: str = "某物业公司", delivered: D | None = None):
    """An application received on `on`, with a 征求意见书 sent on `sent` (received by the party on `delivered`)."""
    info_request = received("citizen", on)
    services.start_consultation(info_request, sent, clerk(), party_kind=party_kind, recipient=recipient,
                                matter="维修资金使用明细")
    if delivered:
        services.record_delivery(info_request, delivered, clerk(), how="邮寄签收")
    return info_request


def test_a_year_with_consultations_reconciles_and_open_ones_are_carried_out(calendar):
    agreed = consulted(D(2025, 3, 3), D(2025, 3, 4), delivered=D(2025, 3, 5))
    services.close_consultation(agreed, D(2025, 3, 10), clerk(), opinion="同意公开")
    services.reply(agreed, D(2025, 3, 20), clerk(), outcome=rl.DISCLOSED)
    overridden = consulted(D(2025, 6, 3), D(2025, 6, 4), delivered=D(2025, 6, 5))
    services.close_consultation(overridden, D(2025, 6, 10), clerk(), opinion="不同意公开", decision="决定公开",
                                disclosed="维修资金使用明细", grounds="涉及全体业主共同利益", disclose_on=D(2025, 6, 20))
    services.reply(overridden, D(2025, 6, 23), clerk(), outcome=rl.DISCLOSED)
    # Another office received it on Wed 11-05; its 15 working days ended Wed 11-26 (11-06..07, 10..14,
    # 17..21, 24..26); it never answered and the office never replied: carried into 2026.
    silent = consulted(D(2025, 11, 3), D(2025, 11, 4), "其他行政机关", "区民政局", delivered=D(2025, 11, 5))
    unconfirmed = consulted(D(2025, 12, 15), D(2025, 12, 16))  # no receipt day recorded, still open
    assert silent.state == unconfirmed.state == "征求意见中"
    assert silent.consultation_due == D(2025, 11, 26) and silent.due_date is not None

    table = compute_section3(db.session, 2025, office_id=Office.first().id)
    assert table.balanced and all(check.ok for check in table.checks) and table.problems == []
    total = table.checks[-1]
    assert (total.new, total.carried_in, total.results, total.carried_out) == (4, 0, 2, 2)
    assert table.ids("carried_out") == sorted([silent.id, unconfirmed.id])
    assert table.ids("disclosed", "citizen") == sorted([agreed.id, overridden.id])
