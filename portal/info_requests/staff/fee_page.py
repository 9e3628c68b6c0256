"""What the 信息处理费 part of an application's staff page shows: the fee's state, the count, the forms allowed."""
from dataclasses import dataclass, field

from ...core.clock import office_today
from ..deadlines import DeadlineState
from ..events import EventKind
from ..fee_steps import MonthCount, month_count
from . import fee_forms

FORMS = {"fee": (EventKind.FEE_NOTIFIED, fee_forms.FeeNoticeForm),
         "fee_paid": (EventKind.FEE_PAID, fee_forms.PaymentForm),
         "fee_unpaid": (EventKind.FEE_UNPAID, fee_forms.UnpaidForm)}


@dataclass
class FeeBound:
    """A submitted fee form to show again: its input, a refusal, or the computed fee awaiting confirmation."""

    name: str
    form: object
    refused: str = ""
    preview: str = ""  # fees.Fee.explanation() of the fee about to be issued


@dataclass
class FeePanel:
    """The fee forms the engine allows today, the monthly count (for 按件), and any bound form's state."""

    forms: dict = field(default_factory=dict)
    count: MonthCount | None = None
    refused: dict = field(default_factory=dict)
    preview: str = ""


def blank(name: str):
    """An empty fee form dated today."""
    return FORMS[name][1](prefix=name, formdata=None, on=office_today())


def bound_form(name: str):
    """A fee form bound to the posted data."""
    return FORMS[name][1](prefix=name)


def fee_panel(info_request, deadline: DeadlineState, bound: FeeBound | None = None) -> FeePanel:
    """The panel for the page; a bound form replaces the blank one of its name."""
    panel = FeePanel({name: blank(name) for name, (kind, _) in FORMS.items() if kind in deadline.allowed})
    if "fee" in panel.forms and info_request.receipt_date is not None:
        panel.count = month_count(info_request)
    if bound is not None:
        panel.forms[bound.name] = bound.form
        if bound.refused:
            panel.refused[bound.name] = bound.refused
        panel.preview = bound.preview
    return panel
