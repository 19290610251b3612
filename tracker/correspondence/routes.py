"""A letter's correspondence: prepare, send or record, and download exactly what went.

Staff only. Views parse the form, call one service, commit once; a refused send re-shows the
form with everything the editor typed and the server's reason, and records nothing.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from tracker.access import Role, requires, user_has
from tracker.correspondence import drafting, services
from tracker.correspondence.forms import CorrespondenceForm
from tracker.correspondence.models import Correspondence, CorrespondenceKind, SentBy
from tracker.dates import today
from tracker.deferrals.attachments import content_disposition
from tracker.deferrals.forms import parse_version
from tracker.deferrals.models import DeferralRequest
from tracker.deferrals.queries import get_request
from tracker.deferrals.workflow import allowed_steps
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.mail import mail_configured

bp = Blueprint("correspondence", __name__)


def sentence(item: Correspondence) -> str:
    """How the timeline tells it: "Acknowledgement sent by e-mail to … on … by …"."""
    by = item.recorded_by.email if item.recorded_by else "the tracker"
    if item.kind is CorrespondenceKind.INCOMING_EMAIL:
        return (
            f"E-mail received from {item.sender} on {item.sent_on.isoformat()} (taken in by {by})"
        )
    verb = (
        "sent by e-mail"
        if item.sent_by is SentBy.EMAIL
        else f"recorded as sent by {item.sent_by.label}"
    )
    return f"{item.kind.label} {verb} to {item.to_addresses} on {item.sent_on.isoformat()} by {by}"


def letter_correspondence(letter: DeferralRequest) -> dict:
    """What the letter's page shows about its correspondence (used by deferrals/show.html)."""
    items = services.correspondence_for(letter)
    return {
        "items": [
            {
                "item": item,
                "sentence": sentence(item),
                "eml_url": url_for("correspondence.download", request_id=letter.id, item_id=item.id, extension="eml")
                if item.eml_sha256 else None,
                "pdf_url": url_for("correspondence.download", request_id=letter.id, item_id=item.id, extension="pdf")
                if item.pdf_sha256 else None,
            }
            for item in items
        ],
        "can_prepare": user_has(Role.EDITOR),
        "kinds": [
            (kind.label, url_for("correspondence.prepare", request_id=letter.id, kind=kind.value))
            for kind in drafting.allowed_kinds(letter)
        ],
        "resolution_due": services.resolution_letter_due(letter),
        "resolution_url": url_for("correspondence.prepare", request_id=letter.id, kind="resolution"),
    }  # fmt: skip


def _render(letter: DeferralRequest, form: CorrespondenceForm, status: int = 200, problem=None):
    kind = CorrespondenceKind(form.kind.data)
    return render_template(
        "correspondence/prepare.html",
        letter=letter,
        form=form,
        kind=kind,
        mail_configured=mail_configured(),
        takes_meeting_step=kind is CorrespondenceKind.MEETING_REQUEST
        and "request_meeting" in allowed_steps(letter),
        problem=problem,
    ), status


@bp.get(
    "/deferrals/<int:request_id>/correspondence/<any(acknowledgement, meeting_request, resolution):kind>"
)
@requires(Role.EDITOR)
def prepare(request_id: int, kind: str):
    letter = get_request(request_id)
    drafted = drafting.draft(letter, kind, signer=current_user._get_current_object())
    form = CorrespondenceForm(
        data={
            "kind": drafted.kind.value,
            "version": str(letter.version_id),
            "to": drafted.to,
            "cc": drafted.cc,
            "subject": drafted.subject,
            "body": drafted.body,
            "sent_on": today(),
            "sent_by": SentBy.POST.value,
        }
    )
    return _render(letter, form)


@bp.post("/deferrals/<int:request_id>/correspondence")
@requires(Role.EDITOR)
def send_correspondence(request_id: int):
    letter = get_request(request_id)
    form = CorrespondenceForm()
    try:
        drafting.check_kind(letter, form.kind.data)
    except DomainError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("deferrals.show_deferral", request_id=request_id), 303)
    if not form.validate_on_submit():
        return _render(letter, form, 400, "Check the form and try again.")
    fields = {
        "kind": form.kind.data,
        "to": form.to.data,
        "cc": form.cc.data,
        "subject": form.subject.data,
        "body": form.body.data,
    }
    try:
        if form.pdf.data:
            pdf = services.preview_pdf(letter, **fields, on=form.sent_on.data)
            reference = drafting.reference_for(letter)
            response = Response(pdf, content_type="application/pdf")
            response.headers["Content-Disposition"] = content_disposition(
                f"{reference}-{form.kind.data}.pdf"
            )
            response.headers["Cache-Control"] = "private, no-store"
            return response
        version = parse_version(form.version.data)
        if form.record.data:
            item = services.record_sent(
                letter, **fields, sent_on=form.sent_on.data, sent_by=form.sent_by.data,
                expected_version=version,
            )  # fmt: skip
        else:
            item = services.send_by_email(letter, **fields, expected_version=version)
    except DomainError as exc:
        db.session.rollback()
        target = getattr(form, exc.field or "", None)
        if target is not None and exc.field not in ("kind", "version"):
            target.errors = [*target.errors, exc.message]
        letter = get_request(request_id)
        status = exc.status_code
        return _render(letter, form, status, exc.message)
    db.session.commit()
    flash(sentence(item) + ".", "success")
    return redirect(
        url_for("deferrals.show_deferral", request_id=request_id) + "#correspondence", 303
    )


@bp.get("/deferrals/<int:request_id>/correspondence/<int:item_id>.<any(eml, pdf):extension>")
@requires(Role.VIEWER)
def download(request_id: int, item_id: int, extension: str):
    item = services.get_correspondence(request_id, item_id)
    data = item.eml if extension == "eml" else item.pdf
    if data is None:
        return render_template(
            "errors/error.html", status=404, title="Not found",
            description=f"This correspondence has no {extension.upper()} file.",
        ), 404  # fmt: skip
    media_type = "message/rfc822" if extension == "eml" else "application/pdf"
    return file_response(
        data, media_type, f"{item.reference}-{item.kind.value}-{item.id}.{extension}"
    )


def file_response(data: bytes, media_type: str, filename: str) -> Response:
    """A stored file as a download: exact bytes, never rendered or sniffed, never cached."""
    response = Response(data, content_type=media_type)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
