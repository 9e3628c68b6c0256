"""Demo content for `make run` (flask load-demo): the sample office's catalog, staff accounts, six years of
applications with the annual reports computed from them, and a few applications open today, each made through
the services staff use. `--offices 2` adds the district demo (portal.admin.demo_district): a second office and
a district account, so the pages of a portal with several offices can be seen.
"""
from datetime import date

import click
from flask.cli import with_appcontext

from ..accounts.auth import find_user
from ..accounts.cli import DEMO_PASSWORD, DEMO_USERS, create_demo_users
from ..calendar.store import ensure_seeded
from ..catalog.standard import load_demo_rows
from ..core.clock import office_today
from ..extensions import db
from ..info_requests import outcomes as rl
from ..info_requests import services
from ..models import InfoRequest, Office
from ..models.staff import DISTRICT_ROLE_LABELS, DISTRICT_ROLES, ROLE_LABELS, ROLES
from .demo_district import DISTRICT_USER, SECOND_OFFICE, SECOND_USERS, load_second_office
from .demo_history import YEARS, History, load_history, publish_reports
from .demo_people import citizen, organisation, request
from .demo_steps import DEMO_DIR, held, load_catalog, workdays_before


def load_applications(today: date) -> int:
    """A handful of applications open today, in different states, made through the real staff services."""
    handler, head = find_user("handler"), find_user("head")
    services.submit_online(request("石泉路街道2025年度“美丽家园”小区综合治理项目的施工合同"),
                           citizen("演示申请人甲", "31010719700101001", "13900000001") | {"email": ""})
    counting, _ = services.register(request("2024年老旧小区加装电梯补贴的审批名单"),
                                    citizen("演示申请人乙", "31010719650505002", "13900000002"),
                                    channel="当面", receipt_date=workdays_before(today, 12), user=handler)
    correcting, _ = services.register(request("关于那个拆迁的文件"),
                                      citizen("演示申请人丙", "31010719800808003", "13900000003"),
                                      channel="邮寄", receipt_date=workdays_before(today, 5), user=handler)
    services.request_correction(correcting, workdays_before(today, 3), handler,
                                points="请写明所需文件的名称、地块或项目名称及大致年份。", workdays=10)
    extended, _ = services.register(request("2023年石泉路街道房屋征收补偿方案及其批复", "法律服务机构"),
                                    organisation("上海演示律师事务所", "31310000MD0000001"),
                                    channel="邮寄", receipt_date=workdays_before(today, 18), user=handler)
    services.approve_extension(extended, workdays_before(today, 1), head, workdays=15,
                               reason="涉及多个年度的档案，需要调取和整理。")
    replied, _ = services.register(request("石泉路街道2025年部门决算"),
                                   citizen("演示申请人丁", "31010719900303004", "13900000004"),
                                   channel="当面", receipt_date=workdays_before(today, 30), user=handler)
    services.reply(replied, workdays_before(today, 22), handler, outcome=rl.DISCLOSED)
    return 5


def load_first_office(today: date) -> list[str]:
    """Load whatever the sample office's demo is missing; what was done, in Chinese."""
    said = [load_catalog(DEMO_DIR / "catalog.jsonl")]
    create_demo_users()
    if not held(InfoRequest):
        # Only with the demo applications: a report of real records is for staff to publish, never load-demo.
        handler, head = find_user("handler"), find_user("head")
        past = load_history(History(handler, head))
        years = publish_reports(find_user("admin"))
        now = load_applications(today)
        said.append(f"已载入演示申请：{past + now} 件，其中 {YEARS[0]}—{YEARS[-1]} 年的 {past} 件已办结"
                    f"（涵盖各类答复结果，含补正、征求意见、延期和收费），另有近期的 {now} 件"
                    "（待确认、办理中、待补正、已延期的各一件仍在办理，一件已答复）。")
        if years:
            said.append(f"已按这些申请编制并发布 {'、'.join(map(str, years))} 年度政府信息公开工作年度报告。")
    said.append(load_demo_rows())
    return said


def load_demo(today: date, offices: int = 1) -> list[str]:
    """Load whatever demo content is missing (the second office's too with offices=2); what was done, in Chinese."""
    Office.ensure()
    db.session.commit()
    ensure_seeded()
    first = Office.first()
    with first.acting():
        said = load_first_office(today)
    if offices > 1:  # then each line names the office it is about
        said = [f"{first.short_name}：{line}" for line in said] + load_second_office(today)
    return said


def where_they_work(username: str) -> str:
    """An account's district roles and offices with its roles in each, in Chinese (for the account list)."""
    user = find_user(username)
    if user is None:
        return ""
    places = []
    for member in user.memberships:
        roles = user.roles_in(member.office_id)
        labels = "全部角色" if roles == set(ROLES) else "、".join(ROLE_LABELS[r] for r in ROLES if r in roles)
        places.append(f"{member.office.short_name}（{labels}）")
    district = "、".join(DISTRICT_ROLE_LABELS[r] for r in DISTRICT_ROLES if r in user.district_role_set)
    return "；".join(filter(None, (district, "、".join(places))))


def account_lines(offices: int) -> list[str]:
    """The demo accounts for the console; with several offices each says where it works."""
    if offices == 1:
        return [f"  {username:<9} {display_name}" for username, display_name, _roles in DEMO_USERS]
    accounts = [(u, n) for u, n, _roles in (*DEMO_USERS, *SECOND_USERS)] + [DISTRICT_USER]
    return [f"  {username:<9} {display_name} — {where_they_work(username)}" for username, display_name in accounts]


@click.command("load-demo")
@click.option("--offices", type=click.IntRange(1, 2), default=1, show_default=True,
              help="演示机关数：2 另载入相邻的金沙江路街道（其目录、申请、年度报告和工作人员）"
                   "及一个区级账户，用来查看多机关门户的页面。")
@with_appcontext
def load_demo_command(offices: int) -> None:
    """载入演示内容：主动公开目录、演示账户和几件演示申请（已有的不再重复载入）。"""
    try:
        for line in load_demo(office_today(), offices):
            click.echo(line)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"演示工作人员账户（登录 /admin，密码均为 {DEMO_PASSWORD}，仅供演示，正式使用前请删除）：")
    for line in account_lines(offices):
        click.echo(line)
    if offices > 1:
        code = SECOND_OFFICE["code"]
        click.echo(f"{SECOND_OFFICE['short_name']}的页面在 /o/{code}/ 下，其工作人员页面为 /o/{code}/admin。")
