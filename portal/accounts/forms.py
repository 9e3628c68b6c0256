"""Forms of the accounts area: sign-in, a new account, its name and roles, a password reset."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..core.fields import CheckboxGroup
from ..models.staff import ROLE_LABELS, ROLES
from .auth import MIN_PASSWORD_LENGTH

REQUIRED = "请填写此项"


class SignInForm(FlaskForm):
    """Username and password."""

    username = StringField("用户名", validators=[DataRequired(REQUIRED), Length(max=50)])
    password = PasswordField("密码", validators=[DataRequired(REQUIRED), Length(max=200)])


def email_field() -> StringField:
    """The account holder's own e-mail address, optional."""
    return StringField("电子邮箱", validators=[Optional(), Length(max=254), Email("请填写有效的电子邮箱地址")],
                       description="有人多次尝试猜测该账户的密码时，会发邮件提醒本人")


def role_field() -> CheckboxGroup:
    """Role checkboxes with Chinese labels."""
    return CheckboxGroup("角色", choices={r: ROLE_LABELS[r] for r in ROLES},
                              invalid_choice_message="请选择列出的角色")


class PasswordMixin:
    """A new password typed twice."""

    password = PasswordField("新密码", validators=[
        DataRequired(REQUIRED), Length(min=MIN_PASSWORD_LENGTH, max=200, message=f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符")])
    confirm = PasswordField("再次输入新密码", validators=[
        DataRequired(REQUIRED), EqualTo("password", message="两次输入的密码不一致")])


class NewUserForm(PasswordMixin, FlaskForm):
    """A new account."""

    username = StringField("用户名", validators=[DataRequired(REQUIRED), Length(max=50)],
                           description="登录时使用：字母、数字或 . _ -，例如 zhangsan")
    display_name = StringField("姓名", validators=[DataRequired(REQUIRED), Length(max=50)])
    email = email_field()
    roles = role_field()


class EditUserForm(FlaskForm):
    """An account's name, e-mail address and roles."""

    display_name = StringField("姓名", validators=[DataRequired(REQUIRED), Length(max=50)])
    email = email_field()
    roles = role_field()


class OwnPasswordForm(PasswordMixin, FlaskForm):
    """A staff member's own new password, after the one they have now."""

    current = PasswordField("当前密码", validators=[DataRequired(REQUIRED), Length(max=200)])


class PasswordForm(PasswordMixin, FlaskForm):
    """A password reset by the 管理员."""
