"""Six years of demo applications (2020–2025) and the annual reports the portal computes from them.

Every application is taken through the services staff use (register, 补正, 征求意见, 延期, 收费, reply …), so
the reports' figures come out of the records exactly as in production. Together they give every reply outcome
and ground of the report format (条例 Art. 36–39 and the 视为放弃 lines), an application carried over a year end
in 2020, 2023 and 2024, and one report per year, each drafted, filled in and published as staff do it.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..calendar.store import load_calendar
from ..extensions import db
from ..info_requests import fee_steps, services
from ..info_requests import outcomes as rl
from ..info_requests.consultations import AGREED, OBJECTED, WITHHOLD
from ..info_requests.letters import OTHER_OFFICE, THIRD_PARTY
from ..info_requests.reply_letters import NOT_OURS_GROUND, Competent
from ..models import InfoRequest, Office, User
from ..models.reports import LITIGATION, REVIEW
from ..reports import services as reports
from ..reports.lines import format_for_year
from .demo_people import HOME, citizen, organisation, request

YEARS = range(2020, 2026)


@dataclass(frozen=True)
class Reply:
    """A past application answered in one reply: when it came, who asked for what, how and when it was answered."""

    received: date
    who: str  # 公民, or the 组织 kind of the report's columns
    description: str
    outcome: str
    ground: str = ""
    note: str = ""
    workdays: int = 12  # reply this many working days after receipt


ANSWERS = (
    Reply(date(2020, 3, 16), "公民", "2019年石泉路街道老旧小区综合修缮项目的招标文件和中标通知书", rl.DISCLOSED),
    Reply(date(2020, 9, 14), "公民", "2020年疫情防控期间本小区实行封闭式管理的决定及其讨论记录", rl.PARTLY_DISCLOSED,
          "属于四类过程性信息", "封闭式管理的通知予以公开；街道工作会议的讨论记录属于过程性信息，不予公开。"),
    Reply(date(2020, 12, 14), "公民", "要求街道查处本小区门口违章搭建并告知处理结果", rl.NOT_PROCESSED,
          "信访举报投诉类申请", "您反映的违法搭建问题已转街道城管执法中队依法处理，并按信访程序答复。", workdays=15),
    Reply(date(2021, 4, 19), "公民", "石泉路街道2021年部门预算中“三公”经费的预算数", rl.DISCLOSED,
          rl.ALREADY_PUBLISHED, "该信息已在本门户“法定主动公开内容”栏目主动公开，标题为《石泉路街道2021年部门预算》。"),
    Reply(date(2021, 6, 7), "科研机构", "2015年至2020年辖区人口老龄化情况的分析报告", rl.UNABLE,
          "没有现成信息需要另行制作", "本机关未制作该分析报告，相关统计需要对原始数据另行加工。"),
    Reply(date(2021, 9, 13), "公民", "街道党工委会议关于机关干部岗位调整的会议纪要", rl.REFUSED,
          "属于三类内部事务信息", "所申请信息属于人事管理方面的内部事务信息。"),
    Reply(date(2021, 11, 8), "公民", "要求对本人已获取的加装电梯补贴审批文件重新盖章确认", rl.NOT_PROCESSED,
          "要求行政机关确认或重新出具已获取信息"),
    Reply(date(2022, 8, 15), "公民", "区公安分局对本人作出治安处罚的全部案卷材料", rl.REFUSED,
          "属于行政执法案卷", "所申请材料属于行政执法案卷，可依照有关法律法规申请查阅。"),
    Reply(date(2022, 10, 10), "公民", "辖区人民防空工程的分布图和结构图纸", rl.REFUSED, "属于国家秘密"),
    Reply(date(2023, 3, 20), "公民", "《上海市生活垃圾管理条例》单行本一册", rl.NOT_PROCESSED, "要求提供公开出版物",
          "该条例单行本为公开出版物，可通过书店或上海市人大网站获取。"),
    Reply(date(2023, 5, 15), "公民", "2022年石泉二村加装电梯意见征询结果（再次申请）", rl.NOT_PROCESSED, "重复申请",
          "本机关已于2023年3月就同一内容作出答复。"),
    Reply(date(2023, 9, 11), "公民", "辖区某未成年人违法案件的处理情况", rl.REFUSED, "其他法律行政法规禁止公开",
          "《中华人民共和国未成年人保护法》规定不得披露未成年人的个人信息。"),
    Reply(date(2023, 12, 18), "公民", "本人及家庭成员的户籍登记信息", rl.REFUSED, "属于行政查询事项",
          "户籍信息可持本人身份证件到派出所户籍窗口查询。", workdays=15),
    Reply(date(2024, 4, 15), "公民", "街道处置辖区群体性事件的内部应急预案", rl.REFUSED, "危及“三安全一稳定”"),
    Reply(date(2024, 8, 12), "法律服务机构", "2010年至2024年街道全部会议纪要、收发文登记簿（第14次同类申请）",
          rl.NOT_PROCESSED, "无正当理由大量反复申请", "申请人半年内就同类内容提出申请14件，超出合理范围。"),
    Reply(date(2024, 10, 14), "公民", "2024年加装电梯补贴的发放名单（门洞及金额）", rl.DISCLOSED),
    Reply(date(2024, 12, 16), "公民", "2024年兰溪二村“美丽家园”改造项目的竣工验收报告", rl.DISCLOSED, workdays=16),
    Reply(date(2025, 3, 10), "公民", "2025年度“美丽家园”小区综合治理项目意见征询结果", rl.DISCLOSED),
    Reply(date(2025, 5, 12), "社会公益组织", "2024年社区养老服务补贴资金的使用明细", rl.PARTLY_DISCLOSED,
          "保护第三方合法权益", "资金使用明细予以公开；受助老人的姓名、住址属于个人隐私，不予公开。"),
    Reply(date(2025, 7, 14), "公民", "本地块控制性详细规划的审批文件", rl.UNABLE, "本机关不掌握相关政府信息",
          "本机关未制作、获取该规划审批文件。"),
    Reply(date(2025, 9, 15), "科研机构", "2025年上半年社区事务受理服务中心各类事项办件量统计", rl.DISCLOSED),
    Reply(date(2025, 11, 10), "公民", "街道关于某信访事项办理意见的讨论稿", rl.REFUSED, "属于四类过程性信息"),
)


class History:
    """Numbers the demo applicants and takes each past application through the staff services."""

    def __init__(self, handler: User, head: User, *, numbered_from: int = 0, address: str = HOME):
        """Who acts: the 经办人, and the 负责人 for an extension; the applicants are numbered after
        `numbered_from` (another office's demo applicants are other people) and live at `address`."""
        self.handler, self.head, self.count, self.address = handler, head, numbered_from, address
        self.calendar = load_calendar()

    def after(self, day: date, n: int) -> date:
        """The n-th working day after day."""
        return self.calendar.add_workdays(day, n).date

    def received(self, on: date, who: str, description: str):
        """An application handed in at the counter (or signed for by post) on the working day on or after `on`."""
        self.count += 1
        n = self.count
        born = date(1950, 3, 1) + timedelta(days=397 * n)
        person = (citizen(f"演示申请人{n:02d}", f"310107{born:%Y%m%d}{n:03d}", f"139{n:08d}", self.address)
                  if who == "公民" else organisation(f"上海演示{who}{n:02d}", f"91310107MA{n:07d}"))
        channel = "当面" if n % 3 else "邮寄"
        info_request, _ = services.register(request(description, None if who == "公民" else who), person,
                                            channel=channel, receipt_date=self.calendar.workday_from(on).date, user=self.handler)
        return info_request

    def answer(self, r: InfoRequest, spec: Reply) -> None:
        """One application answered in one reply."""
        services.reply(r, self.after(r.receipt_date, spec.workdays), self.handler,
                       outcome=spec.outcome, ground=spec.ground, note=spec.note)

    def not_ours(self, r: InfoRequest) -> None:
        """Art. 36(五): another office is responsible — named with how to reach it."""
        services.reply(r, self.after(r.receipt_date, 9), self.handler, outcome=rl.UNABLE, ground=NOT_OURS_GROUND,
                       note="征收范围由区房屋征收部门确定，本机关未制作、未保存该红线图。",
                       competent=Competent("上海市普陀区住房保障和房屋管理局", "上海市普陀区大渡河路（演示地址）",
                                           "021-52560000"))

    def third_party_objects(self, r: InfoRequest) -> None:
        """Art. 32: a third party objects with good reason; the office withholds."""
        h, sent = self.handler, self.after(r.receipt_date, 3)
        services.start_consultation(r, sent, h, party_kind=THIRD_PARTY, recipient="上海演示餐饮有限公司",
                                    matter="申请人要求公开贵单位申报时提交的经营数据")
        services.record_delivery(r, self.after(sent, 2), h, how="邮寄签收")
        services.close_consultation(r, self.after(sent, 9), h, opinion=OBJECTED, decision=WITHHOLD)
        services.reply(r, self.after(sent, 14), h, outcome=rl.REFUSED, ground="保护第三方合法权益",
                       note="所申请信息涉及第三方商业秘密，第三方不同意公开且理由合理。")

    def corrected(self, r: InfoRequest) -> None:
        """Art. 30: a 补正, the corrected application arrives, the clock starts again, then a disclosure."""
        h = self.handler
        services.request_correction(r, self.after(r.receipt_date, 2), h, workdays=10,
                                    points="请写明小区名称、文件的大致时间或文号。")
        corrected = self.after(r.receipt_date, 7)
        services.record_correction(r, corrected, h)
        services.reply(r, self.after(corrected, 10), h, outcome=rl.DISCLOSED)

    def not_corrected(self, r: InfoRequest) -> None:
        """Art. 30: no correction in time — 视为放弃."""
        told = self.after(r.receipt_date, 2)
        services.request_correction(r, told, self.handler, workdays=10, points="请写明补贴的名称和年份。")
        services.mark_abandoned(r, self.after(told, 12), self.handler)

    def extended(self, r: InfoRequest) -> None:
        """Art. 33: an extension approved by the 负责人 before the due date."""
        services.approve_extension(r, self.after(r.receipt_date, 17), self.head, workdays=15,
                                   reason="涉及三个年度的评估档案，需要调取和整理。")
        services.reply(r, self.after(r.receipt_date, 30), self.handler, outcome=rl.DISCLOSED)

    def withdrawn(self, r: InfoRequest) -> None:
        """Withdrawn by the applicant (其他处理 · 其他)."""
        services.withdraw(r, self.after(r.receipt_date, 4), self.handler, reason="申请人已从物业处取得，来电撤回。")

    def fee_paid(self, r: InfoRequest) -> None:
        """信息处理费 按量 (收费管理办法): notified, paid, then disclosed."""
        h, notified = self.handler, self.after(r.receipt_date, 6)
        fee_steps.notify_fee(r, notified, h, basis="按量", pages=45)
        paid = self.after(notified, 4)
        fee_steps.record_payment(r, paid, h, receipt_number="演示票据0001")
        services.reply(r, self.after(paid, 5), h, outcome=rl.DISCLOSED)

    def other_office_agrees(self, r: InfoRequest) -> None:
        """Art. 34: another office is consulted and agrees."""
        h, sent = self.handler, self.after(r.receipt_date, 2)
        office = "普陀区住房保障和房屋管理局"
        services.start_consultation(r, sent, h, party_kind=OTHER_OFFICE, recipient=office,
                                    matter="申请人要求公开维修资金使用的审批文件，该文件由贵局参与审批")
        services.record_delivery(r, self.after(sent, 1), h, how="电子邮件")
        services.close_consultation(r, self.after(sent, 6), h, opinion=AGREED)
        services.reply(r, self.after(sent, 11), h, outcome=rl.DISCLOSED)

    def fee_unpaid(self, r: InfoRequest) -> None:
        """A fee not paid within the 20 working days: 视为放弃 (其他处理 · 逾期未缴费)."""
        notified = self.after(r.receipt_date, 5)
        fee_steps.notify_fee(r, notified, self.handler, basis="按量", pages=60)
        fee_steps.end_unpaid(r, self.after(notified, 22), self.handler)

    def still_unclear(self, r: InfoRequest) -> None:
        """Still unclear after the 补正."""
        h = self.handler
        services.request_correction(r, self.after(r.receipt_date, 1), h, workdays=10,
                                    points="请写明发文机关、通知的名称或大致内容。")
        corrected = self.after(r.receipt_date, 8)
        services.record_correction(r, corrected, h)
        services.reply(r, self.after(corrected, 6), h, outcome=rl.UNABLE, ground="补正后申请内容仍不明确",
                       note="补正后仍未写明所需通知的名称、发文机关或内容，本机关无法确定所需信息。")


# The applications that take more than a reply: 补正, consultations, extension, fees, withdrawal.
SPECIAL = (
    (date(2020, 5, 11), "公民", "本人房屋所在地块的征收范围红线图", History.not_ours),
    (date(2020, 6, 8), "商业企业", "辖区某餐饮企业申报社区便民服务点时提交的经营数据", History.third_party_objects),
    (date(2021, 3, 15), "法律服务机构", "关于那个小区的拆违文件", History.corrected),
    (date(2022, 3, 7), "公民", "那个补贴的名单", History.not_corrected),
    (date(2022, 7, 11), "社会公益组织", "2019年至2021年辖区社区养老服务设施的运营评估报告", History.extended),
    (date(2022, 11, 21), "公民", "2022年本小区停车收费标准的批复", History.withdrawn),
    (date(2023, 2, 13), "商业企业", "2018年至2022年街道集体资产经营用房的全部租赁合同", History.fee_paid),
    (date(2023, 6, 12), "其他", "本小区专项维修资金使用的审批文件", History.other_office_agrees),
    (date(2024, 3, 11), "商业企业", "2010年以来街道全部行政办公会议纪要的复印件", History.fee_unpaid),
    (date(2024, 6, 17), "公民", "有关部门的那份通知", History.still_unclear),
)


def load_history(history: History, special=SPECIAL, answers=ANSWERS) -> int:
    """Every past demo application of the current office, registered in the order they arrived (so each year's
    numbers follow the receipt dates, as an office numbers them) and taken through its steps (`special`: the
    applications with their own steps, `answers`: those answered in one reply); returns how many were made."""
    first = history.count
    cases = [*special, *((spec.received, spec.who, spec.description,
                          lambda h, r, spec=spec: h.answer(r, spec)) for spec in answers)]
    for received, who, description, act in sorted(cases, key=lambda case: case[0]):
        act(history, history.received(received, who, description))
    return history.count - first


# Section 二's hand-entered cells (the 规范性文件 cells are computed from the catalog) and section 五, per year.
SECTION2 = {
    "2019": {"penalty.previous": "0", "penalty.change": "0", "penalty.decisions": "0",
             "services.previous": "6", "services.change": "1", "services.decisions": "1320",
             "procurement.items": "4", "procurement.amount": "186.5"},
    "2021": {"penalty.decisions": "38", "enforcement.decisions": "2", "licensing.decisions": "0", "fees.amount": "0"},
}
PENALTIES = {2021: "38", 2022: "45", 2023: "52", 2024: "47", 2025: "41"}
IMPROVEMENTS = {
    2020: "疫情期间部分申请只能邮寄办理，答复用时偏长。2021年将开通网上申请渠道，并统一答复书格式。",
    2021: "补正告知书对需要补正的内容写得不够具体。2022年起补正告知书须逐项列明需补正的事项和期限。",
    2022: "个别申请临近法定期限才答复。已在门户设置到期提醒，经办人每周核对办理中的申请。",
    2023: "征求第三方意见的时间登记不完整。已规定征求意见书的送达日期当日登记。",
    2024: "个别申请人大量提出同类申请，耗费较多行政资源。已按《政府信息公开信息处理费管理办法》规范收费。",
    2025: "主动公开的政策解读数量偏少。2026年出台涉及居民切身利益的文件，一律同步发布解读。",
}
CASES = (  # section 四's cases, each about one of the applications above (named by its request)
    ({"kind": REVIEW, "year": 2021, "result": "维持", "decided_on": date(2021, 12, 20),
      "note": "申请人对不予公开（内部事务信息）的答复不服，普陀区人民政府复议维持。"},
     "街道党工委会议关于机关干部岗位调整的会议纪要"),
    ({"kind": LITIGATION, "year": 2024, "result": "尚未审结", "after_review": False,
      "note": "申请人对逾期未缴费视为放弃申请不服，直接提起行政诉讼。"},
     "2010年以来街道全部行政办公会议纪要的复印件"),
)


def publish_reports(actor: User, years=YEARS, *, improvements=IMPROVEMENTS, penalties=PENALTIES,
                    cases=CASES) -> list[int]:
    """Draft, fill in and publish each year's report of the current office as staff do (the figures computed),
    with its section 四 cases, section 五 texts and 行政处罚 counts; the years published."""
    for values, about in cases:
        about_id = db.session.scalar(select(InfoRequest.id).filter_by(office_id=Office.current().id,
                                                                      description=about))
        reports.record_case(values | {"info_request_id": about_id}, actor=actor)
    published, calendar = [], load_calendar()
    for year in years:
        report = reports.create_draft(year, actor=actor)
        if report.is_published:
            continue
        manual = dict(SECTION2[format_for_year(year)])
        if year in penalties:
            manual["penalty.decisions"] = penalties[year]
        reports.update_draft(report, {"section_five": improvements[year], "section_six": ""}, manual, actor=actor)
        reports.publish(report, calendar.workday_from(date(year + 1, 1, 20)).date, actor=actor)
        published.append(year)
    return published

