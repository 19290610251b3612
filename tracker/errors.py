"""Domain errors and the error pages: HTML for people, JSON for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge


class DomainError(Exception):
    """A rule of the job was broken (illegal transition, stale form, bad import row).

    Views turn it into a flash message and a 4xx; the API into a JSON error; the CLI into a
    message and a non-zero exit. `field` names the input at fault when there is one.
    """

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    """The record changed since the form was rendered; nothing was written."""

    status_code = 409


def wants_json() -> bool:
    """API paths always answer JSON, whatever the Accept header says."""
    return request.path.startswith("/api/")


def api_error(status: int, code: str, message: str, parameter: str | None = None):
    """The one error shape of the API: {"error": {"status", "code", "message", "parameter"}}."""
    body: dict = {"status": status, "code": code, "message": message}
    if parameter:
        body["parameter"] = parameter
    response = jsonify({"error": body})
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_exception(exc: HTTPException):
        status = exc.code or 500
        if wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            return api_error(status, code, exc.description or exc.name)
        return (
            render_template(
                "errors/error.html", status=status, title=exc.name, description=exc.description
            ),
            status,
        )

    @app.errorhandler(RequestEntityTooLarge)
    def handle_too_large(exc: RequestEntityTooLarge):
        limit = app.config["TRACKER_UPLOAD_MAX_MB"]
        exc.description = (
            f"The upload is too large: each file may be at most {limit} MB, and a form with its "
            f"files at most {limit + 1} MB. Nothing was saved."
        )
        return handle_http_exception(exc)

    @app.errorhandler(CSRFError)
    def handle_stale_form(exc: CSRFError):
        # The token lives in the session and is timed to a sign-in's lifetime: an old page, or
        # one from before signing out or in again, has a token that no longer counts.
        exc.description = (
            f"The form expired ({exc.description.rstrip('.')}): it was opened too long ago, or "
            "before you signed in or out. Nothing was saved. Reload the page and try again."
        )
        return handle_http_exception(exc)

    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        if wants_json():
            code = {404: "not_found", 409: "conflict"}.get(exc.status_code, "invalid")
            return api_error(exc.status_code, code, exc.message, exc.field)
        # Views that can re-show their form catch DomainError themselves; this is the fallback.
        return (
            render_template(
                "errors/error.html",
                status=exc.status_code,
                title="Not possible",
                description=exc.message,
            ),
            exc.status_code,
        )

    @app.errorhandler(StaleDataError)
    def handle_lost_race(exc: StaleDataError):
        # Two writers read the same version and the other one committed first. Views that can
        # re-show their form catch this themselves; anywhere else it is still a conflict to
        # report, never a server error. (The session is reached through the app, not
        # tracker.extensions: errors sit below the database layer, which raises them.)
        app.extensions["sqlalchemy"].session.rollback()
        return handle_domain_error(
            Conflict(
                "Someone else changed this record at the same moment. Nothing was saved; "
                "reload the page and try again."
            )
        )

    @app.errorhandler(500)
    def handle_server_error(exc):
        if wants_json():
            return api_error(500, "internal_error", "The server could not complete the request.")
        return render_template(
            "errors/error.html",
            status=500,
            title="Something went wrong",
            description="The server could not complete the request. Nothing was saved.",
        ), 500
