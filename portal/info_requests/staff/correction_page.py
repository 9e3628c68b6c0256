"""What the application's staff page shows about a correction sent online: its text and files, and the form
that confirms it (its date; for a late one the good reason)."""
from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from ...core.clock import office_today
from ...models import InfoRequest
from .. import correction_online
from ..deadlines import DeadlineState
from ..releases import size_text
from .forms import day_field


class ConfirmCorrectionForm(FlaskForm):
    """The day the online correction was confirmed with the applicant; the reason when it came late."""

    on = day_field("确认日期", "与申请人确认之日即收到补正之日，答复期限自次日起重新计算；不能早于申请人提交之日")
    reason = StringField("接受逾期补正的正当理由", validators=[Optional(), Length(max=200)],
                         description="补正晚于补正期限提交的必填，例如：申请人住院，有医院证明；将记入办理记录")


@dataclass(frozen=True)
class CorrectionPanel:
    """What the page shows: the correction as sent, and the form while it waits."""

    correction: correction_online.Correction
    form: ConfirmCorrectionForm | None
    refused: str | None
    size = staticmethod(size_text)


def correction_panel(info_request: InfoRequest, deadline: DeadlineState, bound: ConfirmCorrectionForm | None = None,
                     refused: str | None = None) -> CorrectionPanel | None:
    """The panel when a correction was sent online (None otherwise); `bound` is a submitted form to show again."""
    correction = correction_online.correction_of(info_request, deadline)
    if correction is None or correction.sent is None:
        return None
    form = None
    if correction.waiting:
        form = bound or ConfirmCorrectionForm(prefix="confirm_correction", formdata=None, on=office_today())
    return CorrectionPanel(correction, form, refused)
