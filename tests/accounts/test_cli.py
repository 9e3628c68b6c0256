"""Accounts from the shell: create-user and the demo accounts."""
from sqlalchemy import select

from portal.accounts.cli import DEMO_PASSWORD, create_demo_users
from portal.extensions import db
from portal.models.staff import ADMIN, EDITOR, ROLES, AuditEntry, User
from tests.factories.staff import login


def test_create_user_with_roles_and_password(runner, app):
    result = runner.invoke(args=["create-user", "zhangsan", "--role", "admin", "--role", "editor",
                                 "--name", "张三", "--password", "a-long-password-1"])
    assert result.exit_code == 0, result.output
    assert "已新建账户“zhangsan”，角色：管理员、编辑" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username="zhangsan"))
        assert user.role_set == {ADMIN, EDITOR} and user.display_name == "张三"
        entry = db.session.scalar(select(AuditEntry).filter_by(action="user_create"))
        assert entry.actor_name == "命令行" and entry.actor_id is None


def test_create_user_prompts_for_the_password_twice(runner, app):
    result = runner.invoke(args=["create-user", "lisi", "--role", "handler"],
                           input="a-long-password-1\na-long-password-1\n")
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "lisi", "a-long-password-1").status_code == 302


def test_create_user_refuses_short_passwords_duplicates_and_unknown_roles(runner):
    assert "至少需要 10 个字符" in runner.invoke(args=["create-user", "a1", "--password", "short"]).output
    runner.invoke(args=["create-user", "wangwu", "--password", "a-long-password-1"])
    assert "已被使用" in runner.invoke(args=["create-user", "WangWu", "--password", "a-long-password-1"]).output
    assert runner.invoke(args=["create-user", "x1", "--role", "boss", "--password", "a-long-password-1"]).exit_code == 2


def test_demo_users_one_per_role_plus_all_roles_created_once(ctx):
    created = create_demo_users()
    assert [name for name, _, _ in created] == ["admin", "editor", "reviewer", "handler", "head", "demo"]
    assert all(password == DEMO_PASSWORD for _, _, password in created)
    assert db.session.scalar(select(User).filter_by(username="demo")).role_set == set(ROLES)
    assert create_demo_users() == []
