"""An application's staff page and its actions. Views parse, call one service, then redirect or re-render.

A refused action (the engine's ValueError, in Chinese) is shown beside its form with the input kept.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ...accounts.auth import require_roles
from ...calendar.store import load_calendar
from ...core import shown_once
from ...core.clock import office_today
from ...core.rendering import render
from ...extensions import db
from ...models import HANDLER, HEAD, InfoRequest, Letter
from ...offices.scoping import request_or_404
from .. import passing, proofs, services
from ..late_entry import late_entry
from ..records import deadline_of
from . import bp, forms
from ..releases import size_text
from .fee_page import fee_panel
from .linked_page import linked_panel
from .page import ACTIONS, allowed_actions, applicant_rows, consultation_note, may_take, open_parties, timeline
from .queue import handlers
from .rows import soon_limit
from .correction_page import correction_panel
from .release_page import release_panel

SHOW_CODE = "registered_code_once"
FORMS = {"confirm": forms.ConfirmForm, "correction": forms.CorrectionForm, "corrected": forms.CorrectedForm,
         "consult": forms.ConsultForm, "deliver": forms.DeliveryForm, "close": forms.CloseConsultForm,
         "extend": forms.ExtendForm, "delay": forms.DelayForm, "reply": forms.ReplyForm, "withdraw": forms.WithdrawForm,
         "abandon": forms.AbandonForm}


def _find(number: str) -> InfoRequest:
    """The current office's application with this tracking number, or the 404 page (offices.scoping)."""
    return request_or_404(number)


def _form(name: str, deadline, submitted: bool = False):
    """An action's form: blank (dated today) for the page, or bound to the posted data."""
    cls = FORMS[name]
    if submitted:
        form = cls(prefix=name)
    else:
        # 征求意见的信息 starts empty: the request text may carry the applicant's identity.
        form = cls(prefix=name, formdata=None, on=office_today())
    if name in ("close", "deliver"):
        form.party.choices = forms.options((p, p) for p in open_parties(deadline, undelivered=name == "deliver"))
    return form


def _assign_form(info_request: InfoRequest, submitted: bool = False):
    """The 经办人 picker, with everyone who may handle applications."""
    form = (forms.AssignForm(prefix="assign") if submitted
            else forms.AssignForm(prefix="assign", formdata=None, handler=str(info_request.handler_id or "")))
    form.handler.choices = forms.options([("", "（未指定）")] + [(str(u.id), u.name) for u in handlers()])
    return form


def _page(info_request: InfoRequest, *, bound=None, refused=None, reveal=False, status=200, fee=None,
          handover=(None, None), correction=(None, None)):
    """Render the application's page; `bound` is a submitted form to show with its input and errors
    (`fee`: the fee forms, staff.fee_views; `handover`: the handover form and its refusal, staff.releases;
    `correction`: the online correction's confirm form and its refusal, staff.correction)."""
    today = office_today()
    deadline = deadline_of(info_request, today=today)
    names = allowed_actions(deadline)
    action_forms = {n: _form(n, deadline) for n in names}
    assign = _assign_form(info_request)
    if bound is not None:
        name, form = bound
        if name == "assign":
            assign = form
        else:
            action_forms[name] = form
    shown = shown_once.take(SHOW_CODE, info_request.id) if request.method == "GET" else {}
    context = dict(info_request=info_request, deadline=deadline, today=today, action_forms=action_forms,
                   actions=ACTIONS, may_take=lambda n: may_take(current_user, n), assign_form=assign,
                   refused=refused or {}, applicant=applicant_rows(info_request.applicant, reveal=reveal),
                   revealed=reveal, timeline=timeline(info_request), code=shown.get("code"),
                   code_reset=shown.get("reset", False), reset_form=forms.ResetCodeForm(formdata=None),
                   consultation_note=consultation_note, consult_soon=soon_limit(today, load_calendar()),
                   fee=fee_panel(info_request, deadline, fee), release=release_panel(info_request, *handover),
                   proofs=proofs.files_of(info_request), size_text=size_text, linked=linked_panel(info_request),
                   correction=correction_panel(info_request, deadline, *correction),
                   may_pass_on=passing.may_pass(current_user, info_request) and not passing.why_not_passed(info_request))
    body = render("info_requests/staff/detail.html", "applicant" if reveal else None, **context)
    return body, status, {"Cache-Control": "no-store"}


@bp.route("/requests/register", methods=["GET", "POST"])
@require_roles(HANDLER, HEAD)
def register_request():
    """Register an application handed in, posted, faxed or sent as a plain letter (Art. 31); a receipt day
    more than 5 working days back is registered on a second submit that confirms it (the form kept)."""
    form, late = forms.RegisterForm(), None
    if request.method == "GET":
        form = forms.RegisterForm(formdata=None, received_on=office_today())
    elif form.validate():
        late = late_entry(form.channel.data, form.received_on.data, load_calendar(), office_today())
        if late is not None and not form.late_confirmed():
            form.ask_late_confirmation()
        else:
            try:
                info_request, code = services.register(form.request_fields(), form.applicant_fields(),
                                                      channel=form.channel.data, receipt_date=form.received_on.data,
                                                      user=current_user)
            except ValueError as exc:
                form.received_on.errors = list(form.received_on.errors) + [str(exc)]
            else:
                shown_once.keep(SHOW_CODE, info_request.id, code=code)
                flash(f"已登记申请 {info_request.tracking_number}。", "success")
                return redirect(url_for("admin.requests.request_page", number=info_request.tracking_number), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("info_requests/staff/register.html", form=form, late=late), status


@bp.get("/requests/<number>")
@require_roles(HANDLER, HEAD)
def request_page(number: str):
    """The application: masked applicant, request, dates and how they were derived, actions, timeline."""
    info_request = _find(number)
    services.log_access(info_request, current_user, "view_request")
    return _page(info_request)


@bp.post("/requests/<number>/reveal")
@require_roles(HANDLER, HEAD)
def reveal_applicant(number: str):
    """Show the applicant's full data to this handler, and log that they looked."""
    info_request = _find(number)
    services.log_access(info_request, current_user, "reveal_applicant")
    return _page(info_request, reveal=True)


def _act(number: str, name: str, run, done: str):
    """Validate the action's form and run it; on refusal re-render the page with the message by the form."""
    info_request = _find(number)
    form = _form(name, deadline_of(info_request), submitted=True)
    refused = None
    if form.validate_on_submit():
        issued = len(info_request.letters)
        try:
            run(info_request, form)
        except ValueError as exc:
            refused = str(exc)
        else:
            new = info_request.letters[issued:]
            flash(done + "".join(f"，已生成{x.title}（{x.number}）" for x in new) + "。", "success")
            return redirect(url_for("admin.requests.request_page", number=number), 303)
    return _page(_find(number), bound=(name, form), refused={name: refused} if refused else None, status=422)


@bp.post("/requests/<number>/confirm")
@require_roles(HANDLER, HEAD)
def confirm_request(number: str):
    """Confirm receipt with the applicant: that day is the receipt date."""
    return _act(number, "confirm", lambda r, f: services.confirm(
        r, f.on.data, current_user, reason=f.reason.data or ""), "已确认收到申请")


@bp.post("/requests/<number>/correction")
@require_roles(HANDLER, HEAD)
def request_correction(number: str):
    """补正告知 (Art. 30)."""
    def run(r, f):
        """The period is either a number of working days or a date."""
        period = {"workdays": f.workdays.data} if f.period.data == "workdays" else {"until": f.until.data}
        services.request_correction(r, f.on.data, current_user, points=f.points.data, **period)
    return _act(number, "correction", run, "已要求补正")


@bp.post("/requests/<number>/corrected")
@require_roles(HANDLER, HEAD)
def record_correction(number: str):
    """The corrected application arrived."""
    return _act(number, "corrected", lambda r, f: services.record_correction(r, f.on.data, current_user),
                "已登记收到补正，答复期限重新起算")


@bp.post("/requests/<number>/consult")
@require_roles(HANDLER, HEAD)
def start_consultation(number: str):
    """征求意见书 to a third party or another office."""
    return _act(number, "consult", lambda r, f: services.start_consultation(
        r, f.on.data, current_user, party_kind=f.party_kind.data, recipient=f.recipient.data, matter=f.matter.data),
        "已发出征求意见")


@bp.post("/requests/<number>/deliver")
@require_roles(HANDLER, HEAD)
def record_delivery(number: str):
    """The day the consulted party received the 征求意见书."""
    return _act(number, "deliver", lambda r, f: services.record_delivery(
        r, f.on.data, current_user, party=f.party.data, how=f.how.data), "已登记对方收到征求意见书的日期")


@bp.post("/requests/<number>/close")
@require_roles(HANDLER, HEAD)
def close_consultation(number: str):
    """End a consultation, with the opinion and any decision on a third party's objection."""
    return _act(number, "close", lambda r, f: services.close_consultation(r, f.on.data, current_user, **f.values()),
                "已结束征求意见，继续计算答复期限")


@bp.post("/requests/<number>/extend")
@require_roles(HEAD)
def approve_extension(number: str):
    """The 负责人 approves the one extension."""
    return _act(number, "extend", lambda r, f: services.approve_extension(
        r, f.on.data, current_user, workdays=f.workdays.data, reason=f.reason.data), "已批准延长答复期限")


@bp.post("/requests/<number>/delay")
@require_roles(HEAD)
def set_delay(number: str):
    """The 负责人 sets an Art. 35 later reply date."""
    return _act(number, "delay", lambda r, f: services.set_delay(
        r, f.on.data, current_user, until=f.until.data, reason=f.reason.data), "已确定延迟答复期限")


@bp.post("/requests/<number>/reply")
@require_roles(HANDLER, HEAD)
def reply_request(number: str):
    """The answer, with its 答复书."""
    return _act(number, "reply", lambda r, f: services.reply(r, f.on.data, current_user, **f.values(),
                                                             released=f.released_files), "已答复")


@bp.post("/requests/<number>/withdraw")
@require_roles(HANDLER, HEAD)
def withdraw_request(number: str):
    """The applicant withdrew."""
    return _act(number, "withdraw", lambda r, f: services.withdraw(r, f.on.data, current_user, reason=f.reason.data),
                "已登记撤回申请")


@bp.post("/requests/<number>/abandon")
@require_roles(HANDLER, HEAD)
def mark_abandoned(number: str):
    """No correction in time: 视为放弃."""
    return _act(number, "abandon", lambda r, f: services.mark_abandoned(r, f.on.data, current_user), "已登记视为放弃申请")


@bp.post("/requests/<number>/assign")
@require_roles(HANDLER, HEAD)
def assign_request(number: str):
    """Give the application to a 经办人."""
    info_request = _find(number)
    form = _assign_form(info_request, submitted=True)
    if not form.validate_on_submit():
        return _page(info_request, bound=("assign", form), status=422)
    handler = next((u for u in handlers() if str(u.id) == form.handler.data), None)
    services.assign(info_request, handler, current_user)
    flash(f"经办人已改为 {handler.name if handler else '（未指定）'}。", "success")
    return redirect(url_for("admin.requests.request_page", number=number), 303)


@bp.post("/requests/<number>/reset-code")
@require_roles(HANDLER, HEAD)
def reset_query_code(number: str):
    """The applicant lost the query code: make a new one, shown once on the page; the old one stops working."""
    info_request = _find(number)
    if not forms.ResetCodeForm().validate_on_submit():
        flash("页面已过期，请刷新后重新操作。", "error")
        return redirect(url_for("admin.requests.request_page", number=number), 303)
    code = services.reset_query_code(info_request, current_user)
    shown_once.keep(SHOW_CODE, info_request.id, code=code, reset=True)
    flash("已重新生成查询码，原查询码已失效。", "success")
    return redirect(url_for("admin.requests.request_page", number=number), 303)


@bp.get("/requests/<number>/letters/<int:letter_id>")
@require_roles(HANDLER, HEAD)
def request_letter(number: str, letter_id: int):
    """One letter laid out for A4, without the site's navigation."""
    info_request = _find(number)
    letter = db.one_or_404(select(Letter).filter_by(id=letter_id, info_request_id=info_request.id))
    services.log_access(info_request, current_user, "view_letter", letter.number)
    return render_template("info_requests/staff/letter.html", info_request=info_request, letter=letter)
