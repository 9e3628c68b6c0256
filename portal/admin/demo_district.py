"""The district demo (`flask load-demo --offices 2`): a second office beside the sample one, so a district's
multi-office pages can be seen — a neighbouring 街道 with its own catalog, applications numbered with its prefix,
two annual reports and staff, and one district account that works for both offices.

Everything is made through the services staff use, acting for the office it belongs to (Office
.acting()); what exists already is left alone, so loading twice adds nothing.
"""
from datetime import date

from ..accounts.auth import find_user
from ..accounts.cli import CLI_ACTOR, DEMO_PASSWORD, create_demo_users
from ..accounts.services import create_user
from ..catalog.standard import load_demo_rows
from ..core import audit
from ..core.db import transaction
from ..info_requests import outcomes as rl
from ..info_requests import services
from ..info_requests.reply_letters import NOT_OURS_GROUND, Competent
from ..models import InfoRequest, Office
from ..models.staff import ADMIN, DISTRICT_ROLES, HANDLER, HEAD, ROLES
from ..offices.services import create_office, edit_office
from .demo_history import History, Reply, load_history, publish_reports
from .demo_people import citizen, organisation, request
from .demo_steps import DEMO_DIR, held, load_catalog, workdays_before
from .settings import update_office

# What makes the second office distinct (portal.offices.services.create_office) …
SECOND_OFFICE = {
    "name": "上海市普陀区金沙江路街道办事处", "short_name": "金沙江路街道", "code": "jinshajianglu",
    "number_prefix": "JS", "org_code": "000014365", "letter_prefix": "金信公", "position": 1,
    "description": "金沙江路街道辖区（金沙江路、中江路一带）的社区事务、社区长者食堂和助餐补贴、雨污混接改造、"
                   "“15分钟社区生活圈”项目、安全生产检查及街道部门预算、决算等信息。",
    "search_hint": "金沙江路 中江路 长者食堂 助餐 雨污混接 社区生活圈 部门预算",
}
# … its own settings, as its 管理员 would enter them (portal.admin.settings) …
SECOND_SETTINGS = {
    "disclosure_office": "金沙江路街道党政办公室",
    "address": "上海市普陀区金沙江路街道（示例地址，请在设置中修改）", "postcode": "200062",
    "phone": "021-62570000（示例电话）", "email": "gkb-jinshajianglu@example.gov.cn",
}
# … and what 选择受理机关 says of the sample office once there are two.
FIRST_CHOICE = {
    "description": "石泉路街道辖区（石泉路、兰溪路一带）的社区事务、既有多层住宅加装电梯补贴、“美丽家园”小区改造、"
                   "养老服务、城市管理及街道部门预算、决算等信息。",
    "search_hint": "石泉路 兰溪路 加装电梯 美丽家园 养老服务 部门预算",
}
HOME = "上海市普陀区金沙江路（演示地址）"
SECOND_USERS = (
    ("admin2", "金沙江路演示管理员", (ADMIN,)),
    ("handler2", "金沙江路演示经办人", (HANDLER,)),
    ("head2", "金沙江路演示负责人", (HEAD,)),
)
DISTRICT_USER = ("district", "演示区级账户")  # 区级管理员 and 政务公开办, with every role in both offices
FIRST_NUMBER = 100  # the second office's demo applicants are other people than the first office's

ANSWERS = (
    Reply(date(2024, 3, 18), "公民", "2023年金沙江路街道雨污混接改造工程的竣工验收资料", rl.DISCLOSED),
    Reply(date(2024, 7, 15), "社会公益组织", "2023年街道社区长者食堂运营补贴的拨付明细", rl.PARTLY_DISCLOSED,
          "保护第三方合法权益", "补贴拨付明细予以公开；就餐老人的姓名和身份证号码属于个人隐私，不予公开。"),
    Reply(date(2024, 12, 16), "公民", "街道行政办公会议研究社区长者食堂选址的会议记录", rl.REFUSED,
          "属于四类过程性信息", "选址尚在研究，会议记录属于过程性信息；确定的选址方案将主动公开。", workdays=16),
    Reply(date(2025, 3, 17), "公民", "2025年金沙江路街道“15分钟社区生活圈”行动项目清单", rl.DISCLOSED, rl.ALREADY_PUBLISHED,
          "项目清单已在本门户“法定主动公开内容”栏目公开。"),
    Reply(date(2025, 9, 15), "公民", "要求街道督促物业修复本楼漏水屋面并答复处理结果", rl.NOT_PROCESSED,
          "信访举报投诉类申请", "您反映的屋面漏水问题已转居委会和物业服务企业处理，并按信访程序答复。"),
)


def sample_office_holds_it(history: History, r: InfoRequest) -> None:
    """Art. 36(五) across the district: the information is the sample office's, named with how to reach it."""
    first = Office.first()
    services.reply(r, history.after(r.receipt_date, 8), history.handler, outcome=rl.UNABLE, ground=NOT_OURS_GROUND,
                   note="石泉二村属石泉路街道辖区，加装电梯意见征询由石泉路街道组织，本机关未制作、未保存该结果。",
                   competent=Competent(first.name, first.address, first.phone))


SPECIAL = (
    (date(2024, 5, 13), "公民", "石泉二村12号加装电梯的意见征询结果", sample_office_holds_it),
    (date(2024, 9, 9), "公民", "关于那个食堂的文件", History.corrected),
    (date(2025, 6, 9), "公民", "本小区2024年公共停车泊位收益的收支情况", History.withdrawn),
)
YEARS = (2024, 2025)
IMPROVEMENTS = {
    2024: "个别申请描述不清，补正告知书发出较晚。2025年起收到申请后3个工作日内完成审查，需要补正的当即告知。",
    2025: "政策解读形式较单一。2026年起涉及为老服务的文件同步发布图解，并在居民区公告栏张贴。",
}
PENALTIES = {2024: "29", 2025: "34"}


def load_applications(today: date) -> int:
    """A few applications open today in different states (and one answered), through the staff services."""
    handler, head = find_user("handler2"), find_user("head2")
    services.submit_online(request("金沙江路街道2026年社区长者食堂新增助餐点的选址方案"),
                           citizen("演示申请人戊", "31010719720606005", "13900000005", HOME) | {"email": ""})
    services.register(request("2025年金沙江路街道“美丽家园”改造项目的设计方案"),
                      citizen("演示申请人己", "31010719781111006", "13900000006", HOME),
                      channel="当面", receipt_date=workdays_before(today, 6), user=handler)
    correcting, _ = services.register(request("那个改造的图纸"),
                                      citizen("演示申请人庚", "31010719850202007", "13900000007", HOME),
                                      channel="邮寄", receipt_date=workdays_before(today, 4), user=handler)
    services.request_correction(correcting, workdays_before(today, 2), handler,
                                points="请写明小区名称、改造项目名称和所需图纸的种类。", workdays=10)
    extended, _ = services.register(request("2023年至2025年金沙江路沿线店招店牌整治的行政处罚决定书", "法律服务机构"),
                                    organisation("上海演示金沙律师事务所", "31310000MD0000008"),
                                    channel="邮寄", receipt_date=workdays_before(today, 19), user=handler)
    services.approve_extension(extended, workdays_before(today, 1), head, workdays=15,
                               reason="涉及三个年度的执法案卷，需要调取并逐份审查其中的个人信息。")
    replied, _ = services.register(request("金沙江路街道2025年部门决算"),
                                   citizen("演示申请人辛", "31010719921010009", "13900000009", HOME),
                                   channel="当面", receipt_date=workdays_before(today, 25), user=handler)
    services.reply(replied, workdays_before(today, 16), handler, outcome=rl.DISCLOSED)
    return 5


def second_office() -> tuple[Office, str]:
    """The second demo office, added with its own settings when missing; what was done, in Chinese."""
    office = Office.by_code(SECOND_OFFICE["code"])
    if office is not None:
        return office, f"演示机关“{office.name}”已存在，不再新增。"
    first = Office.first()
    if not first.description:
        edit_office(first, FIRST_CHOICE, actor=CLI_ACTOR)
    office = create_office(SECOND_OFFICE, actor=CLI_ACTOR)
    with office.acting():
        update_office(SECOND_SETTINGS)
    return office, (f"已新增演示机关“{office.name}”（网址 /o/{office.code}/，申请编号前缀 {office.number_prefix}，"
                    f"文书编号前缀 {office.letter_prefix}）。")


def create_district_user(offices: list[Office]) -> bool:
    """The district demo account (区级管理员, 政务公开办, every role in each office) when missing; True if made."""
    username, display_name = DISTRICT_USER
    if find_user(username) is not None:
        return False
    with offices[0].acting():
        user = create_user(username, display_name, ROLES, DEMO_PASSWORD, actor=CLI_ACTOR)
        with transaction():
            for office in offices[1:]:
                user.set_roles_in(office.id, ROLES)
            user.district_role_set = DISTRICT_ROLES
            audit.record("user_update", "user", user.id, f"演示账户“{username}”：区级管理员、政务公开办，"
                         f"并为{'、'.join(o.short_name for o in offices)}的全部角色", actor=CLI_ACTOR)
    return True


def load_second_office(today: date) -> list[str]:
    """Load whatever the second office's demo is missing; what was done, in Chinese, each line naming it."""
    office, said = second_office()
    lines = []
    with office.acting():
        lines.append(load_catalog(DEMO_DIR / f"catalog-{office.code}.jsonl"))
        create_demo_users(SECOND_USERS)
        if not held(InfoRequest):
            history = History(find_user("handler2"), find_user("head2"), numbered_from=FIRST_NUMBER, address=HOME)
            past = load_history(history, SPECIAL, ANSWERS)
            years = publish_reports(find_user("admin2"), YEARS, improvements=IMPROVEMENTS, penalties=PENALTIES,
                                    cases=())
            now = load_applications(today)
            lines.append(f"已载入演示申请：{past + now} 件，其中 {YEARS[0]}—{YEARS[-1]} 年的 {past} 件已办结，"
                         f"另有近期的 {now} 件（待确认、办理中、待补正、已延期的各一件仍在办理，一件已答复）。")
            if years:
                lines.append(f"已按这些申请编制并发布 {'、'.join(map(str, years))} 年度政府信息公开工作年度报告。")
        lines.append(load_demo_rows())
    create_district_user([Office.first(), office])
    return [said, *(f"{office.short_name}：{line}" for line in lines)]
