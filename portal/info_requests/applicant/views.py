"""Applicants' pages: what to expect, the form, the receipt, tracking. Views parse, call a service, render."""
from flask import abort, redirect, request, session, url_for
from sqlalchemy import select

from ... import search
from ...accounts.throttle import TooSoon
from ...core.masking import mask_id, mask_phone
from ...core import shown_once
from ...core.privacy import private
from ...core.rendering import render
from ...extensions import db, limiter
from ...models import APPLICANT_TYPES, InfoRequest, Letter, Office
from ...offices import office_in_url, office_url, several_offices, shared_url
from ..correction_online import correction_of
from ..passing import passes_of
from ..records import deadline_of
from ..redating import redatings
from ..releases import released_of
from ..services import submit_online
from ..standing import settled
from . import bp, guard, limits
from .forms import ApplicationForm, CorrectionForm, TrackForm
from .summary import summary_of

TRACKED = "tracked_requests"  # ids this browser session may see
SHOW_CODE = "show_code_once"


def _may_see(info_request: InfoRequest) -> bool:
    """Only the session that submitted it, or that gave its query code, sees an application."""
    return info_request.id in session.get(TRACKED, [])


def _seen_or_404(number: str) -> InfoRequest:
    """The application, if this browser may see it; else 404, so someone else's number looks unknown."""
    info_request = db.one_or_404(select(InfoRequest).filter_by(tracking_number=number))
    if not _may_see(info_request):
        abort(404)
    return info_request


def _allow(info_request: InfoRequest) -> None:
    """Remember in the (signed) session that this browser may see the application."""
    session[TRACKED] = (session.get(TRACKED, []) + [info_request.id])[-20:]


def choosing_office() -> bool:
    """A district's portal asks first which office holds the information (选择受理机关) when the URL names none."""
    return several_offices() and office_in_url() is None


def status_url(info_request: InfoRequest) -> str:
    """The tracking page of an application, under its own office's prefix in a district's portal."""
    if several_offices():
        return office_url(info_request.office, "apply.status", number=info_request.tracking_number)
    return url_for("apply.status", number=info_request.tracking_number)


@bp.get("/")
def start():
    """What can be asked, how and when the office answers; then the choice of applicant type.

    In a district's portal /apply without an office lists the offices to choose from, each leading to its own
    /o/<code>/apply; an office's page links back to that choice."""
    if choosing_office():
        offices = [(o, office_url(o, "apply.start")) for o in Office.listed()]
        return render("info_requests/applicant/choose.html", offices=offices)
    return render("info_requests/applicant/start.html",
                  choose_url=shared_url("apply.start") if several_offices() else None)


@bp.route("/form", methods=["GET", "POST"])
@limiter.limit(limits.LIMIT, methods=["POST"], exempt_when=lambda: request.form.get("action") == "switch",
               deduct_when=limits.counts_towards_limit, on_breach=limits.refused_page,
               error_message="提交过于频繁，请稍后再试。")
def form():
    """The application form; switching type keeps what was typed, an error keeps everything.

    Only accepted submissions count towards the per-address limit; a refused one keeps the form (limits.py).
    """
    if choosing_office():
        return redirect(url_for("apply.start"), 303)  # which office first: never the first office by default
    form = ApplicationForm()
    if request.method == "GET":
        if request.args.get("applicant_type") in APPLICANT_TYPES:
            form.applicant_type.data = request.args["applicant_type"]
        return render("info_requests/applicant/form.html", "identity", form=form)
    if request.form.get("action") == "switch":
        return render("info_requests/applicant/form.html", form=form)
    if form.website.data:
        return render("info_requests/applicant/form.html", form=form, refused="提交未成功：请不要填写标注“请勿填写”的栏目。"), 400
    if not form.validate():
        return render("info_requests/applicant/form.html", form=form), 422
    info_request, code = submit_online(form.request_fields(), form.applicant_fields(), form.proof_uploads)
    _allow(info_request)
    shown_once.keep(SHOW_CODE, info_request.id, code=code)
    return redirect(url_for("apply.receipt", number=info_request.tracking_number), 303)


@bp.post("/suggest")
@limiter.limit("120 per minute")
def suggest():
    """The office's published entries that may already answer the description (Art. 36(一)); POST keeps it out
    of logs."""
    text = (request.form.get("description") or "")[:200]
    hits = search.suggest(text, limit=5, office=Office.current().id) if len(text.strip()) >= 2 else []
    return render("info_requests/applicant/suggest.html", hits=hits)


@bp.get("/receipt/<number>")
@private
def receipt(number: str):
    """The printable 接收回执; the query code is shown this once."""
    info_request = _seen_or_404(number)
    code = shown_once.take(SHOW_CODE, info_request.id).get("code")
    letter = next((l for l in info_request.letters if l.kind == "接收回执"), None)
    return render("info_requests/applicant/receipt.html", info_request=info_request, code=code, letter=letter)


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], error_message="查询次数过多，请15分钟后再试。")
@private
def track():
    """Tracking number + query code; a wrong code and an unknown number get the same answer.

    Guessing one number's code is slowed per address by guard.track, never blocked for the applicant.
    """
    form = TrackForm()
    if request.method == "GET" and request.args.get("number"):
        form.number.data = request.args["number"][:20]
    error, waiting = None, False
    if request.method == "POST" and form.validate():
        try:
            info_request = guard.track(form.number.data, form.code.data, request.remote_addr or "")
        except TooSoon as wait:
            info_request, waiting = None, True
            error = f"该申请编号的查询尝试过多，{wait.text}。"
        if info_request is not None:
            _allow(info_request)
            return redirect(status_url(info_request), 303)
        error = error or "申请编号或查询码不正确，请核对后再试。"
    status_code = 429 if waiting else 200 if request.method == "GET" or (not error and not form.errors) else 422
    return render("info_requests/applicant/track.html", form=form, error=error), status_code


@bp.get("/track/<number>")
@private
def status(number: str):
    """Where an application stands: its state, the dates that matter and how they were derived, letters."""
    info_request = db.session.query(InfoRequest).filter_by(tracking_number=number).one_or_none()
    if info_request is None or not _may_see(info_request):
        return redirect(url_for("apply.track", number=number[:20]))
    if several_offices() and office_in_url() != info_request.office:
        return redirect(status_url(info_request))  # shown among its own office's pages (passed on, or typed)
    deadline = settled(deadline_of(info_request))
    applicant = info_request.applicant
    masked = {"name": applicant.name, "id": mask_id(applicant.id_number or applicant.uscc),
              "phone": mask_phone(applicant.phone)}
    moved = [line for r in redatings(info_request.id) for line in r.applicant_lines]
    return render("info_requests/applicant/status.html", info_request=info_request, deadline=deadline, masked=masked,
                  moved=moved, release=released_of(info_request), summary=summary_of(info_request, deadline),
                  correction=correction_of(info_request, deadline), form=CorrectionForm(formdata=None),
                  passes=passes_of(info_request), several=several_offices())


@bp.get("/track/<number>/letters/<int:letter_id>")
@private
def letter(number: str, letter_id: int):
    """One letter, laid out to print on A4."""
    info_request = _seen_or_404(number)
    item = db.one_or_404(select(Letter).filter_by(id=letter_id, info_request_id=info_request.id))
    if not item.for_applicant:
        abort(404)  # a letter to a consulted party is not the applicant's to see
    return render("info_requests/applicant/letter.html", info_request=info_request, letter=item)

