"""Forms of the 信息处理费 on an application's staff page: the 收费通知 (with its preview), payment, non-payment."""
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ...core.fields import DATE_MESSAGE, WholeNumberField
from ..fees import PER_ITEM, PER_PAGE
from .forms import day_field, options


class FeeNoticeForm(FlaskForm):
    """按件 or 按量 (never both, 第三条), the count it is computed from, and the days sent and received."""

    on = day_field("发出日期", "发出收费通知的次日起至缴费之日暂停计算答复期限")
    received_on = DateField("申请人收到日期", validators=[Optional()], invalid_value_message=DATE_MESSAGE,
                            description="当面交付或电子邮件发送的，一般为发出当日（不填即按发出日期）；"
                                        "邮寄的填申请人签收之日。缴费期限自收到之日次日起20个工作日")
    basis = RadioField("计收方式", choices=options([
        (PER_ITEM, "按件计收（第四条：同一申请人一个自然月内累计申请超过10件的部分）"),
        (PER_PAGE, "按量计收（第五条：提供纸质件、电子邮件、复制电子数据超过30页的部分）")]),
        default=PER_ITEM, validators=[DataRequired("请选择计收方式")])
    items = WholeNumberField("本申请的件数", default=1, validators=[Optional()], low=1, high=500,
                             description="按件计收时填写：一份申请包含多项内容的，可按“一事一申请”拆分计算件数，默认1件")
    pages = WholeNumberField("提供的页数", validators=[Optional()], low=0, high=100_000,
                             description="按量计收时填写：以电子数据提供的，按其折合的页数填写")


class PaymentForm(FlaskForm):
    """The day the applicant paid, and the receipt's number if any."""

    on = day_field("缴费日期", "缴费次日起继续计算答复期限")
    receipt_number = StringField("票据号码", validators=[Optional(), Length(max=60)], description="可不填")


class UnpaidForm(FlaskForm):
    """Non-payment in time: 视为放弃 (第六条)."""

    on = day_field("登记日期", "须在缴费期限届满之后")
