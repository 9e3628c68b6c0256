"""信息处理费 amounts by the tiers of 国办函〔2020〕109号 第四条 (按件) and 第五条 (按量), counted by hand."""
import pytest

from portal.info_requests.fees import PER_ITEM, PER_PAGE, item_rate, per_item_fee, per_page_fee


def test_the_first_ten_items_of_a_month_are_free():
    # ranks 1–10 → 0元; the 10th item of the month is still free
    assert per_item_fee(earlier_items=9, items=1).amount == 0
    assert per_item_fee(earlier_items=0, items=10).amount == 0


def test_items_eleven_to_thirty_cost_100_yuan_each():
    # the 11th item: 100元; items 11–30 (20 items): 2,000元
    assert per_item_fee(earlier_items=10, items=1).amount == 100
    assert per_item_fee(earlier_items=10, items=20).amount == 2000


def test_from_the_thirty_first_item_each_band_of_ten_costs_100_yuan_more():
    # rank 31–40 → 200元, 41–50 → 300元, 51 → 400元
    assert [item_rate(r) for r in (30, 31, 40, 41, 50, 51)] == [100, 200, 200, 300, 300, 400]


def test_an_application_split_into_items_is_charged_progressively_across_the_tiers():
    # 8 earlier items this month, this application split into 25 items → ranks 9–33:
    # ranks 9–10 free (2), 11–30 at 100 (20 → 2,000元), 31–33 at 200 (3 → 600元) = 2,600元
    fee = per_item_fee(earlier_items=8, items=25)
    assert fee.basis == PER_ITEM
    assert [(line.count, line.rate) for line in fee.lines] == [(2, 0), (20, 100), (3, 200)]
    assert fee.amount == 2600
    assert "合计 2600 元" in fee.explanation()


def test_thirty_pages_are_free_and_the_pages_beyond_are_charged_by_excess_tiers():
    # 30 pages → 0; 31 pages → 1 × 10 = 10元
    assert per_page_fee(30).amount == 0
    assert per_page_fee(31).amount == 10
    # 250 pages: 31–100 (70 × 10 = 700) + 101–200 (100 × 20 = 2,000) + 201–250 (50 × 40 = 2,000) = 4,700元
    fee = per_page_fee(250)
    assert fee.basis == PER_PAGE
    assert [(line.count, line.rate) for line in fee.lines] == [(30, 0), (70, 10), (100, 20), (50, 40)]
    assert fee.amount == 4700


def test_a_fee_within_the_free_range_says_so():
    assert per_page_fee(12).explanation() == "按量计收：在免费范围内，不收费。"


@pytest.mark.parametrize("call", [lambda: per_item_fee(-1, 1), lambda: per_item_fee(0, 0), lambda: per_page_fee(-5)])
def test_impossible_counts_are_refused(call):
    with pytest.raises(ValueError):
        call()
