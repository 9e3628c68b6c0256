"""Forms of 申请转主动公开: the conversion button, and marking an application as the same information."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length


class ConvertForm(FlaskForm):
    """转为主动公开: only the CSRF token; the draft is made from the reply."""


class SameForm(FlaskForm):
    """标记为相同信息: the number of another application asking for the same information."""

    other = StringField("另一件申请的申请编号",
                        validators=[InputRequired("请填写申请编号"), Length(max=20, message="申请编号不超过 20 个字符")],
                        description="例如 2026-0012；两件申请所申请的是同一政府信息时标记")


class UnmarkForm(FlaskForm):
    """取消相同信息标记: only the CSRF token."""
