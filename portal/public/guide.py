"""The parts of the 政府信息公开指南 written from rules and settings: the 信息处理费 (条例第四十二条 and the
办法, whose tiers are portal.info_requests.fees's) and where to 投诉、举报 (条例第五十一条)."""
from ..info_requests.fee_periods import PAYMENT_WORKING_DAYS
from ..info_requests.fees import BAND, FLAT_ITEMS_UNTIL, FREE_ITEMS, PAGE_TIERS, PER_ITEM, PER_PAGE, item_rate
from ..models import Office


def page_tiers_text() -> str:
    """按量's tiers in words: ≤ 30 pages free, then 元 per page up to each bound (办法第五条)."""
    parts, low = [], 1
    for bound, rate in PAGE_TIERS:
        pages = f"第 {low}—{bound} 页" if bound else f"第 {low} 页起"
        if rate == 0:
            parts.append(f"{bound} 页以内（含）不收费")
        else:
            parts.append(f"{pages}每页 {rate} 元")
        low = (bound or 0) + 1
    return "；".join(parts)


def item_tiers_text() -> str:
    """按件's tiers in words (办法第四条), with the first two bands beyond the flat rate as examples."""
    first = FLAT_ITEMS_UNTIL + 1
    return (f"同一申请人一个自然月内累计申请 {FREE_ITEMS} 件以内（含）不收费；第 {FREE_ITEMS + 1}—{FLAT_ITEMS_UNTIL} 件"
            f"每件 {item_rate(FREE_ITEMS + 1)} 元；第 {first} 件起，每增加 {BAND} 件，每件收费标准提高 100 元"
            f"（第 {first}—{first + BAND - 1} 件每件 {item_rate(first)} 元，第 {first + BAND}—{first + 2 * BAND - 1} 件"
            f"每件 {item_rate(first + BAND)} 元，依此类推）")


def fee_rules(office: Office) -> list[str]:
    """The 信息处理费 paragraphs of the guide, in the order a resident needs them."""
    return [
        "本机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，"
        "本机关可以依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费（条例第四十二条）。",
        f"信息处理费{PER_ITEM}或者{PER_PAGE}计收，对同一申请只选择其中一种方式，不同时按两种方式计收。"
        f"{PER_ITEM}计收：{item_tiers_text()}。{PER_PAGE}计收：{page_tiers_text()}。",
        f"需要收费的，本机关在答复期限内向申请人发出收费通知，写明收费依据、标准、数额和缴纳方式。申请人应当在收到"
        f"收费通知次日起 {PAYMENT_WORKING_DAYS} 个工作日内缴费，逾期未缴纳的，视为放弃申请；发出通知到缴费之间的时间不计入"
        "答复期限。",
        f"缴纳方式：{office.fee_payment_text}",
    ]


def complaint_text(office: Office) -> str:
    """Where to 投诉、举报 (条例第五十一条), naming the office of the settings and how to reach it."""
    contact = f"（{office.complaint_contact}）" if office.complaint_contact else ""
    return (f"公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者"
            f"政府信息公开工作主管部门投诉、举报（条例第五十一条）。受理投诉、举报的机关：{office.complaint_authority}"
            f"{contact}。")
