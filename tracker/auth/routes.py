"""Sign-in, sign-out and the administrators' account pages."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from tracker.access import Role, requires, safe_next_url
from tracker.auth import services
from tracker.auth.forms import AccountStateForm, ChangeRoleForm, CreateUserForm, LoginForm
from tracker.errors import DomainError
from tracker.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__)

GENERIC_SIGN_IN_FAILURE = "That e-mail address and password do not match an active account."


@login_manager.user_loader
def _load_user(session_id: str):
    return services.load_session_user(session_id)


@login_manager.unauthorized_handler
def _unauthorized():
    if request.path.startswith("/api/"):
        abort(401)
    flash("Sign in to see that page.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _sign_in_account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


def _only_failed_attempts(response) -> bool:
    """Successful sign-ins (a redirect) do not count against the limit."""
    return response.status_code != 303


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    "10 per 15 minutes",
    key_func=_sign_in_account_key,
    methods=["POST"],
    deduct_when=_only_failed_attempts,
    error_message="Too many failed sign-in attempts for this account. Wait 15 minutes and try again.",
)
@limiter.limit(
    "30 per 15 minutes",
    methods=["POST"],
    deduct_when=_only_failed_attempts,
    error_message="Too many failed sign-in attempts from your network. Wait 15 minutes and try again.",
)
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(GENERIC_SIGN_IN_FAILURE)
            return render_template("auth/login.html", form=form), 401
        db.session.commit()
        session.clear()
        session.permanent = True
        login_user(user)
        flash(f"Signed in as {user.email}.", "success")
        return redirect(safe_next_url(form.next.data) or url_for("overview.home"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "GET":
        # Signing out is a form post, so another site cannot sign people out with a link.
        return render_template("auth/logout.html")
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("overview.home"), code=303)


@bp.route("/admin/users", methods=["GET", "POST"])
@requires(Role.ADMIN)
def admin_users():
    form = CreateUserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data, form.name.data, form.password.data, form.role.data
            )
        except DomainError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
            status = 400
        else:
            db.session.commit()
            flash(f"Account created for {user.email} ({user.role.value}).", "success")
            return redirect(url_for("auth.admin_users"), code=303)
    elif request.method == "POST":
        status = 400
    return render_template(
        "auth/admin_users.html",
        form=form,
        users=services.list_users(),
        role_form=ChangeRoleForm(),
        state_form=AccountStateForm(),
        roles=list(Role),
        current_user_id=current_user.id,
    ), status


@bp.post("/admin/users/<int:user_id>/role")
@requires(Role.ADMIN)
def change_role(user_id: int):
    form = ChangeRoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        user = services.change_role(user_id, form.role.data, expected_version=form.version.data)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        db.session.commit()
        flash(f"{user.email} is now {user.role.value}.", "success")
    return redirect(url_for("auth.admin_users"), code=303)


@bp.post("/admin/users/<int:user_id>/active")
@requires(Role.ADMIN)
def set_active(user_id: int):
    form = AccountStateForm()
    if not form.validate_on_submit():
        abort(400)
    make_active = form.active.data == "1"
    try:
        user = services.set_active(user_id, make_active, expected_version=form.version.data)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        db.session.commit()
        verb = "reactivated" if make_active else "deactivated"
        flash(f"{user.email} {verb}.", "success")
    return redirect(url_for("auth.admin_users"), code=303)
