"""/deferrals/intake (upload e-mails) and /deferrals/drafts (confirm or discard them).

Staff only: viewers see the waiting drafts and download the original messages; editors take
messages in and decide on them.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from tracker.access import Role, requires, user_has
from tracker.correspondence import intake
from tracker.correspondence.forms import ConfirmDraftForm, DiscardDraftForm, IntakeForm
from tracker.correspondence.models import IntakeDraft
from tracker.correspondence.routes import bp, file_response
from tracker.deferrals.letters import InvalidRequest
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan.importing.resolver import Resolver


@bp.route("/deferrals/intake", methods=["GET", "POST"])
@requires(Role.EDITOR)
def intake_messages():
    form = IntakeForm()
    results: list[tuple[str, bool, str]] = []
    status = 200
    if form.validate_on_submit():
        files = [f for f in (form.messages.data or []) if f and (f.filename or "").strip()]
        if not files:
            form.messages.errors = ["Choose at least one .eml file."]
            status = 400
        resolver = Resolver.from_database() if files else None
        for upload in files:
            name = upload.filename
            try:
                draft = intake.take_in(upload.read(), name, resolver=resolver)
            except DomainError as exc:
                db.session.rollback()
                results.append((name, False, exc.message))
                continue
            db.session.commit()
            results.append((name, True, f"draft #{draft.id}: “{draft.subject}”"))
    refused = any(not ok for _, ok, _ in results)
    status = 400 if refused else status
    return render_template(
        "correspondence/intake.html", form=form, results=results, refused=refused
    ), status


@bp.get("/deferrals/drafts")
@requires(Role.VIEWER)
def list_drafts():
    return render_template(
        "correspondence/drafts.html",
        drafts=intake.waiting_drafts(),
        decided=[(draft, intake.decision(draft)) for draft in intake.recent_decisions()],
        can_edit=user_has(Role.EDITOR),
    )


def _confirm_form(draft: IntakeDraft) -> ConfirmDraftForm:
    jurisdiction = draft.guessed_jurisdiction
    return ConfirmDraftForm(
        data={
            "jurisdiction": f"{jurisdiction.label} ({jurisdiction.fips})" if jurisdiction else "",
            "letter_date": draft.received_on,
            "received_on": draft.received_on,
            "sender_name": draft.from_name or "",
            "sender_email": draft.from_address,
            "addressed_to": "office",
            "kind": draft.guessed_kind or "",
            "requested_date": draft.guessed_date,
            "summary": draft.subject,
        }
    )


def _render_draft(draft: IntakeDraft, confirm=None, discard=None, status: int = 200, problem=None):
    return render_template(
        "correspondence/draft.html",
        draft=draft,
        confirm_form=confirm or _confirm_form(draft),
        discard_form=discard or DiscardDraftForm(prefix="discard"),
        problem=problem,
        decision=intake.decision(draft),
    ), status


@bp.get("/deferrals/drafts/<int:draft_id>")
@requires(Role.EDITOR)
def show_draft(draft_id: int):
    return _render_draft(intake.get_draft(draft_id))


@bp.post("/deferrals/drafts/<int:draft_id>/confirm")
@requires(Role.EDITOR)
def confirm_draft(draft_id: int):
    draft = intake.get_draft(draft_id)
    form = ConfirmDraftForm()
    # The form's fields are log_request's, less the channel (e-mail) and the uploads.
    fields = {field.name: field.data for field in form if field.name != "csrf_token"}
    if not form.validate_on_submit():
        return _render_draft(draft, confirm=form, status=400, problem="Check the form.")
    try:
        letter = intake.confirm_draft(draft, **fields)
    except InvalidRequest as exc:
        db.session.rollback()
        for name, message in exc.errors.items():
            target = getattr(form, name, None)
            if target is not None:
                target.errors = [*target.errors, message]
        return _render_draft(intake.get_draft(draft_id), confirm=form, status=400,
                             problem=exc.message)  # fmt: skip
    except DomainError as exc:
        db.session.rollback()
        return _render_draft(intake.get_draft(draft_id), confirm=form, status=exc.status_code,
                             problem=exc.message)  # fmt: skip
    db.session.commit()
    flash(
        f"Draft #{draft_id} confirmed as deferral request #{letter.id} from "
        f"{letter.jurisdiction.label}, received {letter.received_on.isoformat()}.",
        "success",
    )
    return redirect(url_for("deferrals.show_deferral", request_id=letter.id), 303)


@bp.post("/deferrals/drafts/<int:draft_id>/discard")
@requires(Role.EDITOR)
def discard_draft(draft_id: int):
    draft = intake.get_draft(draft_id)
    form = DiscardDraftForm(prefix="discard")
    if not form.validate_on_submit():
        return _render_draft(draft, discard=form, status=400, problem="Say why it is discarded.")
    try:
        intake.discard_draft(draft, form.reason.data)
    except DomainError as exc:
        db.session.rollback()
        return _render_draft(intake.get_draft(draft_id), discard=form, status=exc.status_code,
                             problem=exc.message)  # fmt: skip
    db.session.commit()
    flash(f"Draft #{draft_id} discarded: {form.reason.data}", "success")
    return redirect(url_for(".list_drafts"), 303)


@bp.get("/deferrals/drafts/<int:draft_id>/message.eml")
@requires(Role.VIEWER)
def download_draft_message(draft_id: int):
    draft = intake.get_draft(draft_id)
    return file_response(draft.eml, "message/rfc822", f"draft-{draft.id}.eml")
