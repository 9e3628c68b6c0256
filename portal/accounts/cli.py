"""Operator commands for staff accounts: flask --app wsgi create-user …, and the demo accounts."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..models.staff import ADMIN, DISTRICT_ADMIN, EDITOR, HANDLER, HEAD, REVIEWER, ROLE_LABELS, ROLES
from .auth import find_user
from .services import create_user, district_admin_exists

CLI_ACTOR = "命令行"
# Documented in the README and printed by `make run`; for demonstration databases only.
DEMO_PASSWORD = "demo-password-2026"
DEMO_USERS = (
    ("admin", "演示管理员", (ADMIN,)),
    ("editor", "演示编辑", (EDITOR,)),
    ("reviewer", "演示审核", (REVIEWER,)),
    ("handler", "演示经办人", (HANDLER,)),
    ("head", "演示负责人", (HEAD,)),
    ("demo", "演示（全部角色）", ROLES),
)


@click.command("create-user")
@click.argument("username")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES),
              help="角色（可重复）：admin 管理员、editor 编辑、reviewer 审核、handler 经办人、head 负责人。")
@click.option("--name", "display_name", default="", help="姓名（默认同用户名）。")
@click.option("--email", default="", help="电子邮箱（选填）：有人多次猜测该账户的密码时发邮件提醒本人。")
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt="再次输入密码",
              help="不给出时会提示输入（推荐：不会留在命令历史中）。")
@with_appcontext
def create_user_command(username: str, roles: tuple[str, ...], display_name: str, email: str, password: str) -> None:
    """新建工作人员账户，例如：flask --app wsgi create-user zhangsan --role admin --role editor

    在还没有区级管理员的平台上，以 --role admin 新建的账户同时成为区级管理员（可新增机关、管理各机关的账户）。
    """
    # The operator's first 管理员 of a fresh portal must be able to add offices: nobody else could grant it.
    district = (DISTRICT_ADMIN,) if ADMIN in roles and not district_admin_exists() else ()
    try:
        user = create_user(username, display_name, roles, password, email=email, actor=CLI_ACTOR,
                           district_roles=district)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    labels = "、".join(ROLE_LABELS[r] for r in ROLES if r in user.role_set) or "无（只能登录，不能使用任何功能）"
    click.echo(f"已新建账户“{user.username}”，角色：{labels}{'，并为区级管理员' if district else ''}。")


def create_demo_users(users=DEMO_USERS) -> list[tuple[str, tuple[str, ...], str]]:
    """Create the demo accounts that are missing, members of the current office (by default the sample office's:
    one per role plus one with every role).

    Returns (username, roles, password) for each demo account created now; existing ones are left alone.
    """
    created = []
    for username, display_name, roles in users:
        if find_user(username) is None:
            create_user(username, display_name, roles, DEMO_PASSWORD, actor=CLI_ACTOR)
            created.append((username, roles, DEMO_PASSWORD))
    return created


USER_COMMANDS = [create_user_command]
