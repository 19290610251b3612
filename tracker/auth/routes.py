"""Sign-in, sign-out and the administrators' account pages."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from tracker.access import Role, requires, safe_next_url
from tracker.audit.services import record
from tracker.auth import services, sessions, throttle
from tracker.auth.forms import (
    AccountStateForm,
    ChangePasswordForm,
    ChangeRoleForm,
    CreateUserForm,
    LoginForm,
)
from tracker.errors import DomainError
from tracker.extensions import db, login_manager

bp = Blueprint("auth", __name__)

GENERIC_SIGN_IN_FAILURE = "That e-mail address and password do not match an active account."


@login_manager.user_loader
def _load_user(session_key: str):
    return sessions.user_for_session(session_key)


@login_manager.unauthorized_handler
def _unauthorized():
    if request.path.startswith("/api/"):
        abort(401)
    flash("Sign in to see that page.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _too_many_attempts(seconds: int) -> str:
    return (
        "Too many failed attempts for this account from your address. Try again in "
        f"{seconds} second{'s' if seconds != 1 else ''}."
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email, address = form.email.data, request.remote_addr or ""
        # A pair that must wait is answered at once, without trying the password.
        wait = throttle.seconds_to_wait(email, address)
        if wait:
            form.password.errors.append(_too_many_attempts(wait))
            return _login_page(form, 429, wait)
        user = services.authenticate(email, form.password.data)
        if user is None:
            wait = throttle.record_failure(email, address)
            db.session.commit()
            form.password.errors.append(GENERIC_SIGN_IN_FAILURE)
            if wait:
                form.password.errors.append(_too_many_attempts(wait))
            return _login_page(form, 401, wait)
        throttle.record_success(email, address)
        _sign_in(user)
        db.session.commit()
        flash(f"Signed in as {user.email}.", "success")
        return redirect(safe_next_url(form.next.data) or url_for("overview.home"), code=303)
    return _login_page(form, 400 if request.method == "POST" else 200)


def _login_page(form: LoginForm, status: int, wait: int = 0):
    response = make_response(render_template("auth/login.html", form=form), status)
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


def _sign_in(user) -> None:
    """A new server-side session for this browser, in a fresh cookie (no CSRF token or other
    value survives from before, so nothing planted before sign-in is trusted after it)."""
    sessions.start_session(user)
    session.clear()
    session.permanent = True
    login_user(user)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "GET":
        # Signing out is a form post, so another site cannot sign people out with a link.
        return render_template("auth/logout.html")
    if current_user.is_authenticated:
        # Ended in the database: the cookie, if someone kept a copy, is refused everywhere.
        sessions.end_session(current_user.session_key, "signed_out")
        record("user.sign_out", "user", current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("overview.home"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Role.VIEWER)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        email, address = user.email, request.remote_addr or ""
        # Guessing the current password is throttled like signing in (a borrowed session must
        # not become a faster way to find it).
        wait = throttle.seconds_to_wait(email, address)
        try:
            if wait:
                raise DomainError(_too_many_attempts(wait), field="current_password")
            services.change_password(user, form.current_password.data, form.password.data)
        except DomainError as exc:
            db.session.rollback()
            if exc.field == "current_password" and not wait:
                if delay := throttle.record_failure(email, address):
                    exc.message += " " + _too_many_attempts(delay)
                db.session.commit()
            getattr(form, exc.field or "password").errors.append(exc.message)
        else:
            throttle.record_success(email, address)
            # Every session of the account ended; this browser goes on in a new one.
            _sign_in(user)
            db.session.commit()
            flash("Password changed. Every other sign-in of your account has ended.", "success")
            return redirect(url_for("overview.home"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status


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
