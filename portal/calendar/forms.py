"""Forms of the calendar's staff pages: one day of a loaded year, and a year's schedule file."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

DAY_KINDS = {"rest": "放假（休）", "work": "调休上班（班）", "default": "恢复常规（周一至周五上班，周末休息）"}


class CalendarDayForm(FlaskForm):
    """Add or change one day of a loaded year."""

    day = DateField("日期", validators=[InputRequired("请填写日期，格式为 YYYY-MM-DD")],
                    invalid_value_message="日期无效，格式应为 YYYY-MM-DD，例如 2027-10-08")
    kind = RadioField("类型", choices=DAY_KINDS, default="rest", validators=[DataRequired("请选择类型")],
                      invalid_choice_message="请选择列出的类型")
    note = StringField("说明", validators=[Optional(), Length(max=100)], description="例如 国庆节、春节调休上班")


class CalendarImportForm(FlaskForm):
    """A year's schedule file, as for flask calendar import."""

    file = FileField("安排文件", validators=[FileRequired("请选择要导入的文件")],
                     description="UTF-8 文本，每行“日期,休或班,说明”，日期段写作 2027-02-06~2027-02-12")
    replace = BooleanField("替换已载入的同一年安排")
