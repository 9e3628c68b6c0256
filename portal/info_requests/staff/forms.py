"""Forms of the application queue: registering a paper application and each statutory action.

Every action form has its own prefix, so several sit on one page without clashing ids.
"""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...core.fields import BAD_DATE_MESSAGE, DATE_MESSAGE, WholeNumberField
from .. import outcomes as rl
from ..applicant.forms import ApplicationForm
from .. import events as ev
from ..consultations import DISCLOSE_UNFOUNDED
from ..events import MAX_EXTENSION_DAYS, Channel
from ..letters import OTHER_OFFICE, THIRD_PARTY
from ...models.office import Office, OtherOffice
from ..reply_letters import NOT_OURS, NOT_OURS_GROUND, Competent, needs_ground
from .release_forms import ReleasedFilesForm, released_field


def options(pairs, optgroup: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (optionally in one <optgroup>)."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


PAPER_CHANNELS = options((c.value, label) for c, label in (
    (Channel.IN_PERSON, "当面提交（以提交之日为收到申请之日）"),
    (Channel.SIGNED_MAIL, "邮寄，需签收（以签收之日为收到申请之日）"),
    (Channel.PLAIN_LETTER, "平常信函（登记后与申请人确认，确认之日为收到申请之日）"),
    (Channel.FAX, "传真（登记后与申请人确认，确认之日为收到申请之日）"),
))


def day_field(label: str, description: str = "") -> DateField:
    """A required date (the legal date the action happened; the engine refuses future dates)."""
    return DateField(label, validators=[InputRequired(DATE_MESSAGE)], description=description,
                     invalid_value_message=BAD_DATE_MESSAGE)


class RegisterForm(ApplicationForm):
    """An application that arrived on paper: how, on which day, and what Art. 29 asks for."""

    channel = RadioField("提交方式", choices=PAPER_CHANNELS, default=Channel.IN_PERSON.value,
                         validators=[DataRequired("请选择提交方式")])
    received_on = day_field("收到日期", "当面提交填提交之日；邮寄填签收之日（不是邮戳日期）；平常信函、传真填收到之日")
    phone = StringField("联系电话", validators=[Optional(), Length(max=30)])
    # A receipt day more than 5 working days back is registered only once staff confirmed that very day.
    confirm_late = BooleanField("我已核对，收到日期无误，按此日期登记")
    late_for = HiddenField()

    def late_confirmed(self) -> bool:
        """Whether staff ticked the confirmation for the receipt day now in the form (not an earlier one)."""
        day = self.received_on.data
        return bool(self.confirm_late.data) and day is not None and self.late_for.data == day.isoformat()

    def ask_late_confirmation(self) -> None:
        """Show the confirmation, unticked, for the receipt day now in the form."""
        self.confirm_late.data = False
        self.late_for.data = self.received_on.data.isoformat()

    def validate(self, extra_validators=None) -> bool:
        """The applicant form's checks, but a paper application may give any one way to reach the applicant."""
        ok = super().validate(extra_validators)
        if not (self.phone.data or self.email.data or self.address.data):
            self.phone.errors = list(self.phone.errors) + ["请至少填写一种联系方式（电话、电子邮箱或通信地址）"]
            return False
        return ok


class ConfirmForm(FlaskForm):
    """The day office and applicant confirmed the application (its receipt date)."""

    on = day_field("确认日期", "与申请人确认之日即收到申请之日，答复期限自次日起算")
    reason = StringField("未能在申请到达当日确认的原因", validators=[Optional(), Length(max=200)],
                         description="确认日期晚于申请到达之日的必填（第三十一条），例如：当日多次致电申请人未接通；将记入办理记录")


class CorrectionForm(FlaskForm):
    """补正告知: what to correct and a reasonable period (Art. 30)."""

    on = day_field("告知日期", "应在收到申请后7个工作日内一次性告知")
    points = TextAreaField("需要补正的事项", validators=[DataRequired("请写明需要补正的事项"), Length(max=2000)],
                           description="逐条写明，每行一项，例如：请写明所需文件的年份")
    period = RadioField("补正期限", choices=options([("workdays", "告知之日起若干个工作日"), ("until", "指定截止日期")]),
                        default="workdays", validators=[DataRequired("请选择补正期限的方式")])
    workdays = WholeNumberField("工作日数", default=10, validators=[Optional()], low=1, high=60,
                            description="不得少于机关设置中的最短补正期限")
    until = DateField("截止日期", validators=[Optional()], invalid_value_message=DATE_MESSAGE)

    def validate(self, extra_validators=None) -> bool:
        """The chosen way of giving the period must be filled in."""
        ok = super().validate(extra_validators)
        if self.period.data == "workdays" and not self.workdays.data and not self.workdays.errors:
            self.workdays.errors = ["请填写工作日数"]
            return False
        if self.period.data == "until" and not self.until.data and not self.until.errors:
            self.until.errors = ["请填写截止日期"]
            return False
        return ok


class CorrectedForm(FlaskForm):
    """The day the corrected application was received."""

    on = day_field("收到补正日期", "答复期限自该日起重新计算（当日不计）")


class ConsultForm(FlaskForm):
    """A 征求意见书 to a third party (Art. 32) or another office (Art. 34)."""

    on = day_field("发出日期", "发出当日仍计入答复期限，自次日起暂停计算")
    party_kind = RadioField("征求对象", choices=options([(THIRD_PARTY, "第三方（第三十二条）"),
                                                       (OTHER_OFFICE, "其他行政机关（第三十四条）")]),
                            default=THIRD_PARTY, validators=[DataRequired("请选择征求对象")])
    recipient = StringField("对象名称", validators=[DataRequired("请填写征求意见对象的名称"),
                                                  Length(max=80, message="名称不能超过80个字")],
                            description="写在征求意见书上；申请人查询时只看到“第三方”，看到其他行政机关的名称")
    matter = TextAreaField("征求意见的信息", validators=[DataRequired("请写明征求意见的信息"), Length(max=2000)],
                           description="只描述需要征求意见的信息本身（如文件名称、文号、内容范围），"
                                       "不要写申请人的姓名、证件号码、联系方式等身份信息")


class DeliveryForm(FlaskForm):
    """The day the consulted party received the 征求意见书: its 15 working days run from the next day."""

    on = day_field("对方收到日期", "当面送达填签收之日；邮寄填对方签收之日（以回执为准）；电子邮件填确认到达之日")
    party = SelectField("征求意见对象", validate_choice=True, choices=[],
                        validators=[DataRequired("请选择征求意见对象")])
    how = RadioField("送达方式", choices=options((w, w) for w in ev.DELIVERY_WAYS), default="邮寄签收",
                     validators=[DataRequired("请选择送达方式")])


class CloseConsultForm(FlaskForm):
    """The opinion arrived, the party's limit passed, or the consultation was withdrawn; with the opinion and,
    for a third party's objection, the office's decision (Art. 32). The rules are consultations.py's."""

    on = day_field("结束日期", "收到意见之日（含）前暂停计算，次一工作日起继续计算；暂停最迟至对方意见期限届满之日")
    party = SelectField("征求意见对象", validate_choice=True, choices=[],
                        validators=[DataRequired("请选择结束的征求意见")])
    reason = RadioField("结束原因", choices=options((r, r) for r in ev.CLOSE_REASONS),
                        default=ev.RECEIVED_OPINION, validators=[DataRequired("请选择结束原因")])
    opinion = RadioField("对方意见", choices=options((o, o) for o in ev.OPINIONS), validate_choice=False,
                         description="收到意见的必选；逾期未提出意见的：其他行政机关视为同意公开（第三十四条），"
                                     "第三方由本机关依照条例决定是否公开（第三十二条）")
    decision = RadioField("第三方不同意公开时本机关的决定", validate_choice=False, choices=options([
        (ev.WITHHOLD, "第三方不同意公开且有合理理由，不予公开"),
        (DISCLOSE_UNFOUNDED, "第三方的理由不成立（如所涉信息不属于其商业秘密、个人隐私），依照条例公开（不生成告知书）"),
        (ev.DISCLOSE_ANYWAY, "不公开可能对公共利益造成重大影响，决定公开（生成告知书，书面告知第三方）")]))
    disclosed = TextAreaField("决定公开的政府信息内容", validators=[Optional(), Length(max=2000)],
                              description="因公共利益决定公开的，写入告知书")
    grounds = TextAreaField("理由", validators=[Optional(), Length(max=2000)],
                            description="理由不成立而公开的，写明为何不成立（记入办理记录）；"
                                        "因公共利益决定公开的，写明决定公开的理由（写入告知书）")
    disclose_on = DateField("公开日期", validators=[Optional()], invalid_value_message=DATE_MESSAGE,
                            description="因公共利益决定公开的，自该日起向申请人提供，应给第三方留出依法寻求救济的时间")

    def values(self) -> dict:
        """The service's keyword arguments."""
        return {"party": self.party.data, "reason": self.reason.data, "opinion": self.opinion.data or "",
                "decision": self.decision.data or "", "disclose_on": self.disclose_on.data,
                "disclosed": self.disclosed.data or "", "grounds": self.grounds.data or ""}


class ExtendForm(FlaskForm):
    """The 负责人's approval of the one extension (Art. 33)."""

    on = day_field("批准日期", "原答复期限届满后批准的，将标记为逾期延期")
    workdays = WholeNumberField("延长工作日数", default=MAX_EXTENSION_DAYS,
                                validators=[InputRequired("请填写延长的工作日数")], low=1, high=MAX_EXTENSION_DAYS,
                                message=f"延长的期限应为1至{MAX_EXTENSION_DAYS}个工作日的整数")
    reason = TextAreaField("延期理由", validators=[DataRequired("请写明延期理由"), Length(max=500)],
                           description="写入延期答复告知书，例如：所需信息需调取历年档案")


class DelayForm(FlaskForm):
    """Art. 35: a reasonable later reply date for unreasonably many or frequent applications."""

    on = day_field("决定日期")
    until = day_field("延迟答复期限")
    reason = TextAreaField("理由", validators=[DataRequired("请写明理由"), Length(max=500)],
                           description="写入延迟答复告知书")


REPLY_CHOICES = options([
    (rl.DISCLOSED, "予以公开"), (rl.ALREADY_PUBLISHED, "已经主动公开（告知获取方式和途径）"),
    (rl.PARTLY_DISCLOSED, "部分公开"), (rl.REFUSED, "不予公开"), (rl.UNABLE, "无法提供"),
    (NOT_OURS, "非本机关负责公开（第三十六条第（五）项，告知负责公开的机关）"),
    (rl.NOT_PROCESSED, "不予处理"), (rl.OTHER, "其他处理"),
])
GROUND_LABELS = {rl.REFUSED: "不予公开（部分公开的，选择不予公开部分的理由）"}
GROUND_CHOICES = options([("", "（予以公开、已经主动公开、非本机关负责公开无需选择）")], "无需选择理由") + [
    choice for outcome in (rl.REFUSED, rl.UNABLE, rl.NOT_PROCESSED, rl.OTHER)
    for choice in options(((g, g) for g in needs_ground(outcome)), GROUND_LABELS.get(outcome, outcome))
]


PORTAL_OFFICE = "office-"  # a competent office of this portal, in the reply form's choices


class ReplyForm(ReleasedFilesForm, FlaskForm):
    """The answer (Art. 36–39): an outcome, the ground it needs, and what the letter should add."""

    on = day_field("答复日期")
    outcome = RadioField("答复结果", choices=REPLY_CHOICES, validators=[DataRequired("请选择答复结果")])
    ground = SelectField("理由", choices=GROUND_CHOICES, default="", validate_choice=True,
                         description="不予公开、无法提供、不予处理、其他处理须选理由；部分公开选不予公开部分的理由")
    note = TextAreaField("答复说明", validators=[Optional(), Length(max=2000)],
                         description="写入答复书：提供信息的方式、已主动公开信息的获取途径、不属于本机关负责公开的理由等")
    competent = SelectField("负责公开的机关（非本机关负责公开时）", choices=[], default="", validate_choice=True,
                            description="从本门户的其他机关或机关设置中维护的常用机关中选择；"
                                        "不在列表中的，选“手工填写”并填写下面三项")
    competent_name = StringField("机关名称（手工填写）", validators=[Optional(), Length(max=100)],
                                 description="无法确定负责公开的机关的，留空，答复书将如实告知")
    competent_address = StringField("地址（手工填写）", validators=[Optional(), Length(max=200)])
    competent_phone = StringField("电话（手工填写）", validators=[Optional(), Length(max=100)])
    released = released_field()

    def __init__(self, *args, **kwargs):
        """The competent-office choices, read when the form is made: the portal's other offices (a district's
        portal; values "office-<id>") and the offices listed in the settings (values their ids)."""
        super().__init__(*args, **kwargs)
        self.offices = {str(o.id): o for o in OtherOffice.listed()}
        here = Office.current().id
        self.portal_offices = {f"{PORTAL_OFFICE}{o.id}": o for o in Office.listed() if o.id != here}
        portal = options(((k, o.name) for k, o in self.portal_offices.items()), "本门户的其他机关")
        listed = [(k, o.name) for k, o in self.offices.items()]
        self.competent.choices = (options([("", "（手工填写）")]) + portal
                                  + options(listed, "常用机关（机关设置）" if portal else None))

    def chosen_office(self) -> Competent | None:
        """The Art. 36(五) office: the portal's office or the listed one chosen, else what was typed; None for
        other outcomes."""
        if self.outcome.data != NOT_OURS:
            return None
        chosen = self.competent.data or ""
        if (office := self.portal_offices.get(chosen)) is not None:
            return Competent(office.name, office.address, office.phone, on_portal=True)
        if (listed := self.offices.get(chosen)) is not None:
            return Competent(listed.name, listed.address, listed.phone)
        return Competent(self.competent_name.data or "", self.competent_address.data or "",
                         self.competent_phone.data or "")

    def values(self) -> dict:
        """outcome, ground and note as the service takes them (已经主动公开 is 予以公开 with that ground;
        非本机关负责公开 is 无法提供 · 本机关不掌握相关政府信息 with the office responsible)."""
        note = self.note.data or ""
        if self.outcome.data == rl.ALREADY_PUBLISHED:
            return {"outcome": rl.DISCLOSED, "ground": rl.ALREADY_PUBLISHED, "note": note}
        if self.outcome.data == NOT_OURS:
            return {"outcome": rl.UNABLE, "ground": NOT_OURS_GROUND, "note": note, "competent": self.chosen_office()}
        return {"outcome": self.outcome.data, "ground": self.ground.data or "", "note": note}


class WithdrawForm(FlaskForm):
    """The applicant withdrew the application."""

    on = day_field("撤回日期")
    reason = StringField("说明", validators=[Optional(), Length(max=200)], description="例如：申请人电话告知撤回")


class AbandonForm(FlaskForm):
    """补正 period over without a correction: 视为放弃."""

    on = day_field("登记日期", "须在补正期限届满之后")


class AssignForm(FlaskForm):
    """Who handles the application."""

    handler = SelectField("经办人", choices=[], coerce=str, validate_choice=True)


class ResetCodeForm(FlaskForm):
    """重新生成查询码: only the CSRF token; the new code is made by the service."""
