"""Forms of the annual-report editor: starting a year, the draft (texts and hand-entered figures), cases."""
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from ..core.fields import WholeNumberField
from ..extensions import db
from ..models import InfoRequest
from ..models.reports import CASE_KINDS, CASE_RESULTS, LITIGATION
from ..offices.scoping import request_by_number
from .layout import manual_cells, value_kind

PATTERNS = {
    "count": (r"^\d{1,9}$", "请填写不小于0的整数"),
    "change": (r"^[+-]?\d{1,9}$", "请填写整数，减少时在前面加“-”"),
    "amount": (r"^\d{1,12}(\.\d{1,4})?$", "请填写金额，如 12.5（单位：万元）"),
}


class StartReportForm(FlaskForm):
    """Which year's report to start."""

    year = WholeNumberField("报告年度", validators=[InputRequired(message="请填写年度")], low=2008, high=2100,
                            message="年度应为2008至2100之间的整数")


class ReportTextForm(FlaskForm):
    """The written sections; the hand-entered figures are added per format by `draft_form`."""

    section_one = TextAreaField("一、总体情况", validators=[Length(max=20_000)],
                                description="已按本年数据预先填写，请根据实际情况修改补充。")
    section_five = TextAreaField("五、存在的主要问题及改进情况", validators=[Length(max=20_000)])
    section_six = TextAreaField("六、其他需要报告的事项", validators=[Length(max=20_000)],
                                description="如收取信息处理费情况、人大代表建议和政协委员提案办理结果公开情况等。")

    def manual_fields(self) -> list:
        """The hand-entered figure fields, in table order."""
        return [field for field in self if field.name.startswith("m_")]

    def manual_values(self) -> dict[str, str]:
        """{cell key: text} of the hand-entered figures (blank counts as 0)."""
        return {field.render_kw["data-key"]: (field.data or "0").strip() for field in self.manual_fields()}


def field_name(key: str) -> str:
    """A form field name for a cell key (dots are not allowed in names)."""
    return "m_" + key.replace(".", "_")


def draft_form(fmt: str, report=None) -> ReportTextForm:
    """The draft form for a format: texts plus one checked field per hand-entered cell.

    On GET it shows the saved draft; on POST it reads what was submitted.
    """

    class DraftForm(ReportTextForm):
        pass

    for key, label in manual_cells(fmt):
        pattern, message = PATTERNS[value_kind(key)]
        setattr(DraftForm, field_name(key), StringField(
            label, validators=[Optional(), Regexp(pattern, message=message)], render_kw={"data-key": key}))
    form = DraftForm(obj=report)
    if report is not None and not form.is_submitted():
        for key, value in report.manual.items():
            if hasattr(form, field_name(key)):
                getattr(form, field_name(key)).data = value
    return form


class CaseForm(FlaskForm):
    """A 行政复议 or 行政诉讼 case counted in section 四."""

    kind = RadioField("类别", choices=list(CASE_KINDS), default=CASE_KINDS[0],
                      validators=[DataRequired(message="请选择类别")])
    result = SelectField("结果", choices=list(CASE_RESULTS), default="尚未审结")
    after_review = BooleanField("经行政复议后起诉（仅行政诉讼）")
    tracking_number = StringField("相关申请编号", validators=[Optional(), Length(max=20)],
                                  description="如案件针对某件政府信息公开申请，填写其申请编号，如 2025-0003。")
    decided_on = DateField("结案日期", validators=[Optional()])
    note = TextAreaField("备注", validators=[Optional(), Length(max=2000)])

    def validate_tracking_number(self, field) -> None:
        """The application must exist (among the current office's)."""
        if field.data and self.info_request_id() is None:
            raise ValidationError("没有这个申请编号的申请")

    def info_request_id(self) -> int | None:
        """The id of the current office's application named, if any."""
        number = (self.tracking_number.data or "").strip()
        if not number:
            return None
        info_request = request_by_number(number)
        return info_request.id if info_request else None

    def values(self, year: int) -> dict:
        """The case's columns."""
        return {"kind": self.kind.data, "result": self.result.data, "year": year,
                "after_review": bool(self.after_review.data) and self.kind.data == LITIGATION,
                "info_request_id": self.info_request_id(), "decided_on": self.decided_on.data,
                "note": (self.note.data or "").strip()}
