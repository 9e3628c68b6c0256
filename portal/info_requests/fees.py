"""信息处理费 (条例 Art. 42; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》): the amount, from pure rules.

Providing information is free; a fee may be charged only where one applicant's applications clearly
exceed a reasonable number or frequency (Art. 42). The 办法:
- 第三条: 按件 or 按量, each as an excess-progressive (超额累进) charge; for one application the office
  chooses one of the two and never charges both.
- 第四条 按件 (any outcome): per applicant and natural month, the 1st–10th item free; the 11th–30th
  100元 each; from the 31st on, every further band of 10 costs 100元 more per item (31st–40th 200元,
  41st–50th 300元, …). One application asking several things may be split by 一事一申请 into items.
- 第五条 按量 (paper, e-mail, copies of electronic data; per application): ≤ 30 pages free; pages
  31–100 10元 each; 101–200 20元 each; from 201 on 40元 each.
  The stored copies of the 办法 read here break off inside 第五条, so how electronic data is converted into
  pages could not be checked: staff enter the pages provided (for data, its printed equivalent).
- 第六条: within the reply period the office sends a 收费通知 stating basis, rate, amount and how to pay
  (依据、标准、数额、缴纳方式); the applicant pays "在收到收费通知次日起20个工作日内", else the application
  counts as abandoned (视为放弃申请) and the office no longer processes it.
- 第七条: the time from the notice to the payment is not counted in the Art. 33 reply period (the reply
  clock is paused, as for a consultation). The dates are the engine's: portal.info_requests.fee_periods.
"""
from __future__ import annotations

from dataclasses import dataclass

PER_ITEM = "按件"
PER_PAGE = "按量"
BASES = (PER_ITEM, PER_PAGE)
FREE_ITEMS = 10        # 第四条（一）
FLAT_ITEMS_UNTIL = 30  # 第四条（二）: 100元 up to the 30th item
BAND = 10              # 第四条（三）: then +100元 per band of 10
PAGE_TIERS = ((30, 0), (100, 10), (200, 20), (None, 40))  # 第五条: (up to and including page, 元 per page)


@dataclass(frozen=True)
class FeeLine:
    """One tier of a fee: how many items or pages at what rate, and the subtotal in 元."""

    label: str
    count: int
    rate: int

    @property
    def amount(self) -> int:
        """The subtotal of this tier in 元."""
        return self.count * self.rate


@dataclass(frozen=True)
class Fee:
    """The fee of one application: its basis, the tiers it falls in and the total in 元."""

    basis: str
    lines: tuple[FeeLine, ...]

    @property
    def amount(self) -> int:
        """The total in 元 (0: nothing is due)."""
        return sum(line.amount for line in self.lines)

    def explanation(self) -> str:
        """The computation in Chinese, for the 收费通知书 and the staff page."""
        parts = [f"{line.label} {line.count} {'件' if self.basis == PER_ITEM else '页'} × {line.rate} 元"
                 for line in self.lines if line.rate]
        if not parts:
            return f"{self.basis}计收：在免费范围内，不收费。"
        return f"{self.basis}计收：" + "；".join(parts) + f"，合计 {self.amount} 元。"


def item_rate(rank: int) -> int:
    """The charge in 元 for the rank-th item of one applicant in one natural month (第四条)."""
    if rank <= FREE_ITEMS:
        return 0
    if rank <= FLAT_ITEMS_UNTIL:
        return 100
    return 100 + 100 * -(-(rank - FLAT_ITEMS_UNTIL) // BAND)


def per_item_fee(earlier_items: int, items: int) -> Fee:
    """按件: the fee for `items` items when the applicant already had `earlier_items` this month."""
    if earlier_items < 0 or items < 1:
        raise ValueError("件数无效")
    lines: dict[int, int] = {}
    for rank in range(earlier_items + 1, earlier_items + items + 1):
        rate = item_rate(rank)
        lines[rate] = lines.get(rate, 0) + 1
    return Fee(PER_ITEM, tuple(FeeLine(_item_label(rate), count, rate) for rate, count in sorted(lines.items())))


def _item_label(rate: int) -> str:
    """Which ranks of the month a rate covers, in words."""
    if rate == 0:
        return f"本月前 {FREE_ITEMS} 件（免费）"
    if rate == 100:
        return f"本月第 {FREE_ITEMS + 1}—{FLAT_ITEMS_UNTIL} 件部分"
    band = (rate - 100) // 100
    low = FLAT_ITEMS_UNTIL + (band - 1) * BAND + 1
    return f"本月第 {low}—{low + BAND - 1} 件部分"


def per_page_fee(pages: int) -> Fee:
    """按量: the fee for one application providing `pages` pages (第五条)."""
    if pages < 0:
        raise ValueError("页数无效")
    lines, low = [], 0
    for high, rate in PAGE_TIERS:
        top = pages if high is None else min(pages, high)
        if top > low:
            label = f"第 {low + 1}—{top} 页" if top > low + 1 else f"第 {top} 页"
            lines.append(FeeLine(label, top - low, rate))
        if high is None or pages <= high:
            break
        low = high
    return Fee(PER_PAGE, tuple(lines))
